"""Text plumbing for registrations: folding, typo repair and taking matched stretches out.

Messages are typed on a phone ("aanmeldng zelfmeldr", "kennismakin 9104"). Every word that is
not a known word is compared with the vocabulary and replaced by a close enough match, before
any pattern runs, so each extractor sees "aanmelding" however it was typed. Extractors then
`take` what they recognise: the stretch is blanked, so a date is never read again as a case
number or a score.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from knowledge.textnorm import STOPWORDS, fold

_WORD = re.compile(r"[a-z]+")
TOKEN = re.compile(r"[a-z0-9]+")
_BREAK = re.compile(r"[,;:.!()]")

# Words that carry no registration meaning but look like typos of ones that do ("gezien" is
# not "gezin"); never corrected. Language, not domain data.
_FILLER_TEXT = """
    gehad gedaan gezet gehaald ingediend binnengekomen gesprek gesprekken kantoor thuis klant
    client vanuit melder reden casus dossier nummer sinds vanaf gezien gemaild gebeld gebeurd
    geweest plek vrij vrije erop eraf binnen komen kwam gaat gaan ging graag bericht berichtje
    registratie registreren nieuwe nieuw eerste tweede heeft hebben vanwege omdat ongeveer
    team buurtteam utrecht staat stond moment ondersteuning begeleiding traject
"""
FILLERS = frozenset(_FILLER_TEXT.split())
# Dutch shorthand for a preposition and its article ("vd wachtlijst", "v.h. team"): written
# out before anything reads the message, so the phrases that hold them match ("van de
# wachtlijst"). Language, not domain data.
SHORTHANDS: dict[str, str] = {"vd": "van de", "vh": "van het", "ivm": "in verband met"}
_DOTTED = "|".join(r"\.?".join(word) for word in sorted(SHORTHANDS, key=len, reverse=True))
_SHORTHAND = re.compile(rf"(?<![\w.])(?:{_DOTTED})\.?(?![\w'’-])")


def normalise(message: str) -> str:
    """Lower case, accents folded, one space between words (offsets are not kept)."""
    return " ".join(fold(message).split())


def written_out(text: str) -> str:
    """`text` (normalised) with the shorthands of `SHORTHANDS` written out."""
    return _SHORTHAND.sub(lambda m: SHORTHANDS[m.group().replace(".", "")], text)


@dataclass
class Speller:
    """Repairs typos against a vocabulary with RapidFuzz; results are cached per word."""

    vocabulary: frozenset[str]
    short_cutoff: float = 88.0  # five-letter words: one wrong letter at most
    long_cutoff: float = 82.0  # longer words tolerate a swap ("zuilne")
    # A word of the language is what was meant, never a typo ("zorgen" is no "morgen").
    is_word: Callable[[str], bool] = lambda word: False
    _choices: list[str] = field(init=False)
    _cache: dict[str, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self._choices = sorted(w for w in self.vocabulary if len(w) >= 4)

    def correct_word(self, word: str) -> str:
        if len(word) < 5 or word in self.vocabulary or word in FILLERS or word in STOPWORDS:
            return word
        if self.is_word(word):
            return word
        if word not in self._cache:
            cutoff = self.short_cutoff if len(word) <= 5 else self.long_cutoff
            match = process.extractOne(
                word,
                self._choices,
                scorer=fuzz.ratio,
                processor=utils.default_process,
                score_cutoff=cutoff,
            )
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[word] = match[0] if match else word
        return self._cache[word]

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self.correct_word(m.group()), text)


class Masked:
    """A normalised message from which recognised stretches are taken one by one."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str], group: int | str = 0) -> list[re.Match[str]]:
        """All matches of `pattern`, with `group` blanked out of the text ("casus 4411" gives
        up the number but keeps "casus", which "nieuwe casus" still needs)."""
        matches = list(pattern.finditer(self.text))
        if matches:
            chars = list(self.text)
            for match in matches:
                start, end = match.span(group)
                chars[start:end] = " " * (end - start)
            self.text = "".join(chars)
        return matches

    def tokens(self) -> list[str]:
        return TOKEN.findall(self.text)

    def breaks(self) -> frozenset[int]:
        """Indices of the tokens after punctuation (",", ";", ":", "." and brackets): where a
        phrase typed as a list item ends ("via haar man, spreekuur")."""
        found: set[int] = set()
        cursor = 0
        for index, match in enumerate(TOKEN.finditer(self.text)):
            if index and _BREAK.search(self.text[cursor : match.start()]):
                found.add(index)
            cursor = match.end()
        return frozenset(found)

    def dots(self) -> frozenset[int]:
        """Indices of the tokens after a full stop alone: the stop may close a shortened word
        ("geest. gezondheid 12") rather than a clause."""
        found: set[int] = set()
        cursor = 0
        for index, match in enumerate(TOKEN.finditer(self.text)):
            if index and self.text[cursor : match.start()].strip() == ".":
                found.add(index)
            cursor = match.end()
        return frozenset(found)

    def bracketed(self) -> frozenset[int]:
        """Indices of the tokens between brackets: an aside ("via mantelzorger (schoonzoon)")
        that explains, and gives way when it disagrees with the main text."""
        inside: set[int] = set()
        depth, cursor = 0, 0
        for index, match in enumerate(TOKEN.finditer(self.text)):
            between = self.text[cursor : match.start()]
            depth = max(0, depth + between.count("(") - between.count(")"))
            cursor = match.start()
            if depth:
                inside.add(index)
        return frozenset(inside)
