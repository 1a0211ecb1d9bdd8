"""Dutch text normalisation shared by every lexical signal (BM25, fuzzy, leefgebied cues).

Colleagues type fast on a phone: "mevr zit in de schulden ivm toeslagen", "HbH loopt niet".
The documents they should find are written out in full ("hulp bij het huishouden",
"schuldhulpverlening"). So both sides go through the same steps: lowercase, accent folding,
tokenisation, stop-word removal, Snowball Dutch stemming with two repairs (see `stem`),
optional decompounding against a corpus lexicon, and synonym concepts from
`knowledge/data/synonyms.csv`, which is data so that domain staff can extend it without code.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

SYNONYMS_CSV = Path(__file__).parent / "data" / "synonyms.csv"
CONCEPT_PREFIX = "~"

# Snowball's Dutch list plus chat filler that appears in nearly every question ("wie kan
# helpen", "klant", "mevr") and so only adds noise to matching.
_STOPWORD_TEXT = """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
    nog nu of om omdat onder ons ook op over reeds te tegen toch toen tot u uit uw van veel
    voor want waren was wat we wel werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo
    zonder zou echt even gewoon graag heel nou soms steeds vaak wellicht zou zouden weet weten
    iemand klant klanten client clienten mevr mevrouw meneer dhr mw hr casus vraag vraagje
    vragen help helpen hulpvraag zoek zoeken advies tips weet denk denken meedenken mee
    ervaring ivm icm mbt tav vd vh evt bv bijv oid etc hoi hallo dank bedankt alvast collega
    collegas weer waar wanneer welke welk via toe paar beetje ermee erbij ervoor erin daarmee
    daarbij hierbij hiermee
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_TOKEN = re.compile(r"[a-z0-9]+")
# De-identification placeholders ("[naam]", "[adres]", "[BSN]", "[e-mailadres]"): they say that
# something was there, not what, so no signal may read them ("[adres]" is otherwise a wonen cue).
PLACEHOLDER = re.compile(r"\[[A-Za-z][A-Za-z-]{0,30}\]")
_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?)])")
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")
# The classic Snowball Dutch algorithm: the newer "dutch" one strips ge- and conflates
# "gezin" with "zin" and "gezondheid" with "zon".
_STEMMER = snowballstemmer.stemmer("dutch_porter")
_LINKING = ("", "s", "e", "en")


def fold(text: str) -> str:
    """Lowercase and strip accents, so "cliënt", "Cliënt" and "client" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def strip_placeholders(text: str) -> str:
    """`text` without de-identification placeholders (each becomes one space)."""
    return PLACEHOLDER.sub(" ", text)


def clean_for_embedding(text: str) -> str:
    """`text` without placeholders and the spacing they leave ("mevr. [naam], 54" ->
    "mevr., 54"), so the embedder sees only what the asker wrote about the situation."""
    stripped = PLACEHOLDER.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", stripped)).strip()


def tokenize(text: str) -> list[str]:
    """Folded alphanumeric tokens; hyphens and slashes split ("POH-GGZ" -> poh, ggz).
    Placeholders such as "[naam]" yield no tokens."""
    return _TOKEN.findall(fold(strip_placeholders(text)))


@lru_cache(maxsize=65536)
def stem(token: str) -> str:
    """Snowball Dutch (classic) plus two repairs that let verb forms meet their stem.

    Snowball leaves the -t/-d of a conjugated verb ("drinkt", "betaald", "woont") while
    "drinken", "betalen", "wonen" lose it; dropping a final d/t and collapsing doubled vowels
    on stems of five letters or more makes them meet. Short words are left alone: repairs on
    "eer" or "ex" would collide with unrelated words.
    """
    if len(token) < 4:
        return token
    stemmed: str = _STEMMER.stemWord(token)
    if len(stemmed) < 5:
        return stemmed
    stemmed = _DOUBLE_VOWEL.sub(r"\1", stemmed)
    return stemmed[:-1] if stemmed[-1] in "dt" else stemmed


def content_tokens(text: str) -> list[str]:
    """Folded tokens without stop words (unstemmed: fuzzy matching wants the surface form)."""
    return [t for t in tokenize(text) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def split_compound(token: str, lexicon: Collection[str]) -> tuple[str, str] | None:
    """Split a Dutch compound into two stems that both occur in `lexicon`, longest head first.

    "huurschuld" -> (huur, schul) lets a question about "huurschuld" meet a document about
    "huur" and "schulden". Linking -s-/-e-/-en- are allowed; short parts are refused because
    they split ordinary words into nonsense.
    """
    for cut in range(4, len(token) - 3):
        head = stem(token[cut:])
        if len(token) - cut < 4 or head not in lexicon:
            continue
        for link in _LINKING:
            modifier = token[:cut]
            if link and not modifier.endswith(link):
                continue
            modifier = modifier[: len(modifier) - len(link)] if link else modifier
            if len(modifier) >= 3 and stem(modifier) in lexicon:
                return stem(modifier), head
    return None


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases meaning one thing; `relation` (afkorting, synoniem, verwant) says how closely."""

    key: str
    phrases: tuple[str, ...]
    relation: str

    @property
    def concept(self) -> str:
        return CONCEPT_PREFIX + self.key


def load_synonyms(path: Path = SYNONYMS_CSV) -> tuple[SynonymGroup, ...]:
    """Read `term,expansions,relation` rows (expansions separated by `;`)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    groups = []
    for row in rows:
        term = row["term"].strip()
        expansions = [e.strip() for e in row["expansions"].split(";") if e.strip()]
        groups.append(SynonymGroup(fold(term), (term, *expansions), row["relation"].strip()))
    return tuple(groups)


WeightedTerms = list[tuple[str, float]]

# How much a derived term counts next to a word that is literally there.
_RELATION_WEIGHT = {"afkorting": 1.0, "synoniem": 1.0, "verwant": 0.5}
_COMPOUND_PART_WEIGHT = 0.5


class DutchAnalyzer:
    """Turns text into weighted terms; the same call serves documents and queries.

    Symmetry is the point: a synonym group adds one concept term (`~hbh`) wherever any of its
    phrases occurs, on either side, so "HbH" in a document meets "hulp bij het huishouden" in a
    question without either being rewritten.
    """

    def __init__(
        self,
        synonyms: Sequence[SynonymGroup] | None = None,
        lexicon: Collection[str] = frozenset(),
    ) -> None:
        self.groups = tuple(load_synonyms() if synonyms is None else synonyms)
        self.lexicon = frozenset(lexicon)
        # Patterns indexed by their first stem, so matching costs one lookup per word.
        self._patterns: dict[str, list[tuple[tuple[str, ...], SynonymGroup]]] = {}
        for group in self.groups:
            for phrase in group.phrases:
                pattern = tuple(stem(t) for t in content_tokens(phrase))
                if pattern:
                    self._patterns.setdefault(pattern[0], []).append((pattern, group))

    def with_lexicon(self, lexicon: Iterable[str]) -> DutchAnalyzer:
        """A copy that splits compounds against this corpus vocabulary."""
        return DutchAnalyzer(self.groups, frozenset(lexicon))

    def stems(self, text: str) -> list[str]:
        return [stem(t) for t in content_tokens(text)]

    def matched_groups(self, text: str) -> list[SynonymGroup]:
        """Synonym groups with a phrase occurring (as stems, in order) in `text`."""
        stems = self.stems(text)
        found: dict[str, SynonymGroup] = {}
        for i, first in enumerate(stems):
            for pattern, group in self._patterns.get(first, ()):
                if group.key not in found and tuple(stems[i : i + len(pattern)]) == pattern:
                    found[group.key] = group
        return list(found.values())

    def terms(self, text: str) -> WeightedTerms:
        """Stems (1.0), compound parts (0.5) and synonym concepts (by relation)."""
        tokens = content_tokens(text)
        weighted: WeightedTerms = [(stem(t), 1.0) for t in tokens]
        if self.lexicon:
            for token in tokens:
                parts = split_compound(token, self.lexicon) if len(token) >= 8 else None
                weighted.extend((part, _COMPOUND_PART_WEIGHT) for part in parts or ())
        for group in self.matched_groups(text):
            weighted.append((group.concept, _RELATION_WEIGHT.get(group.relation, 0.5)))
        return weighted

    def expand_text(self, text: str) -> str:
        """Spell out abbreviations for the embedder, which has never seen "HbH" or "BW";
        de-identification placeholders are dropped, as they are for every other signal."""
        text = clean_for_embedding(text)
        expansions = [
            group.phrases[1]
            for group in self.matched_groups(text)
            if group.relation == "afkorting" and len(group.phrases) > 1
        ]
        return f"{text} ({'; '.join(expansions)})" if expansions else text
