"""Abbreviations read against the vocabulary: a prefix, a consonant skeleton, initials.

Colleagues shorten what they type ("aanm.", "kennism", "wachtl", "afgesl", "ondst", "LR").
No list of abbreviations is kept: a word the vocabulary does not know is read as the
vocabulary word it abbreviates when that is unambiguous in *meaning*. "afsl" may be
"afsluiting" or "afsluiten", both the kind afsluiting, so it is one; "psych" may be
"psychisch" (a leefgebied) or "psychiater" (a melder), so on its own it stays unread, and only
a slot that admits one category (a word before a Wat Telt score) reads it (`phrase_at`).

Invariants: a known word, a filler, a stop word or a first name is never expanded (a name is
left for the privacy check), and neither is a word of the Dutch dictionary outside a slot
("week" is no abbreviation of anything); a prefix needs three letters, a skeleton four and the
word's first letter (a skeleton may shorten a phrase typed as one word: "dmeern"); initials
need a team name of two or more words and may not be a prefix of a team word ("ov" is
Overvecht, not Overvecht Vechtzoom).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from casework.registration.vocabulary import Reading, Vocabulary
from knowledge.textnorm import STOPWORDS

MIN_PREFIX = 3
MIN_SKELETON = 3
SKELETON_SHARE = 0.35
MIN_PART = 4  # each part of a compound, for its initials ("huis" + "arts")
_GLUE = frozenset({"en", "de", "het", "van", "bij", "op", "naar", "met", "voor"})


def is_prefix_of(short: str, word: str) -> bool:
    return len(short) < len(word) and word.startswith(short)


def is_skeleton_of(short: str, word: str, minimum: int = MIN_SKELETON) -> bool:
    """'ondst' in 'ondersteuning': same first letter, the letters in order, the word longer
    but not more than about three times as long ("week" is no skeleton of
    "wijkverpleegkundige")."""
    if len(short) < minimum or len(word) <= len(short) or short[0] != word[0]:
        return False
    if len(short) < SKELETON_SHARE * len(word):
        return False
    rest = iter(word[1:])
    return all(letter in rest for letter in short[1:])


Categories = frozenset[str] | None  # the categories a slot admits; None: any


@dataclass
class Abbreviations:
    """Reads unknown words as the vocabulary words or phrases they shorten.

    Args:
        vocabulary: the registration words and their readings.
        protected: words never expanded (fillers, stop words, date words, first names and
            words of the Dutch dictionary).
        is_word: a word of the Dutch dictionary (to split compounds for their initials).
    """

    vocabulary: Vocabulary
    protected: Callable[[str], bool]
    is_word: Callable[[str], bool] = lambda word: False
    _meaning: dict[str, frozenset[Reading]] = field(init=False)
    _initials: dict[str, set[tuple[str, ...]]] = field(init=False)
    _joined: tuple[tuple[str, ...], ...] = field(init=False)
    _cache: dict[tuple[str, Categories], str | None] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        meaning: dict[str, set[Reading]] = defaultdict(set)
        for phrase, readings in self.vocabulary.phrases.items():
            for word in phrase:
                meaning[word].update(readings)
        self._meaning = {word: frozenset(r) for word, r in meaning.items() if len(word) > 2}
        self._initials = _initials(self.vocabulary, self.is_word)
        self._joined = tuple(p for p in self.vocabulary.phrases if len(p) > 1)

    def meaning(self, word: str) -> frozenset[Reading]:
        """The readings of every phrase that holds `word` (empty for an unknown word)."""
        return self._meaning.get(word, frozenset())

    def expand(self, word: str, categories: Categories = None) -> str | None:
        """What `word` abbreviates: a vocabulary word, or a phrase for initials ("wl",
        "lr"), among the readings of `categories` only; None when `word` is known, protected
        or ambiguous there. Initials are tried first, then a prefix, then a skeleton."""
        key = (word, categories)
        if key not in self._cache:
            self._cache[key] = self._expand(word, categories)
        return self._cache[key]

    def _expand(self, word: str, categories: Categories) -> str | None:
        if len(word) < 2 or word in self.vocabulary.words or self.protected(word):
            return None
        phrases = {p: frozenset(self.vocabulary.phrases[p]) for p in self._initials.get(word, ())}
        found = _pick(phrases, categories)
        prefixes: dict[tuple[str, ...], frozenset[Reading]] = {
            (w,): m for w, m in self._meaning.items() if is_prefix_of(word, w)
        }
        if found is None and len(word) >= MIN_PREFIX:
            found = _pick(prefixes, categories)
        if found is None and not prefixes and len(word) >= MIN_SKELETON:
            # A skeleton only when no word starts with `word`: "gez" stays ambiguous
            # between "gezin" and "gezondheid" rather than becoming its shortest skeleton.
            words: dict[tuple[str, ...], frozenset[Reading]] = {
                (w,): m for w, m in self._meaning.items() if is_skeleton_of(word, w)
            }
            # A phrase typed as one word, shortened ("dmeern" for "de meern").
            words |= {
                p: frozenset(self.vocabulary.phrases[p])
                for p in self._joined
                if is_skeleton_of(word, "".join(p))
            }
            found = _pick(words, categories)
        return " ".join(found) if found else None


def _pick(
    candidates: Mapping[tuple[str, ...], frozenset[Reading]], categories: Categories
) -> tuple[str, ...] | None:
    """The shortest candidate, when all candidates left by `categories` share a meaning."""
    if categories is not None:
        candidates = {
            words: frozenset(r for r in meaning if r.category in categories)
            for words, meaning in candidates.items()
        }
        candidates = {words: meaning for words, meaning in candidates.items() if meaning}
    if not candidates:
        return None
    if len(candidates) > 1 and not frozenset.intersection(*candidates.values()):
        return None
    return min(candidates, key=lambda words: (len(" ".join(words)), words))


def phrase_at(
    tokens: Sequence[str],
    start: int,
    phrases: Mapping[tuple[str, ...], str],
    free: Sequence[bool],
    protected: Callable[[str], bool],
) -> tuple[tuple[str, ...], int] | None:
    """A phrase that the free tokens from `start` abbreviate word by word ("pers verz" is
    "persoonlijke verzorging", "kan noord" is "kanaleneiland noord"), longest first, when all
    phrases that fit mean the same value (`phrases` maps each to its value); None otherwise.
    Each shortened word needs three letters, or two when another word of the phrase is
    written in full ("st. ondersteuning"); a protected word ("kan") only counts as short
    when another word of the phrase is written in full (and never with two letters)."""
    for size in range(min(4, len(tokens) - start), 0, -1):
        window = tokens[start : start + size]
        if not all(free[start : start + size]):
            continue
        fits = sorted(p for p in phrases if len(p) == size and _abbreviates(window, p, protected))
        if fits and len({phrases[p] for p in fits}) == 1:
            return fits[0], size
    return None


def _abbreviates(
    window: Sequence[str], phrase: Sequence[str], protected: Callable[[str], bool]
) -> bool:
    exact = sum(short == word for short, word in zip(window, phrase, strict=True))
    for short, word in zip(window, phrase, strict=True):
        if short == word:
            continue
        shortens = is_prefix_of(short, word) or is_skeleton_of(short, word, minimum=2)
        if exact and len(short) == 2 and shortens and not protected(short):
            continue  # "st. ondersteuning", "kanaleneiland zd": a word in full makes two clear
        if len(short) < MIN_PREFIX or (protected(short) and not exact):
            return False
        if not (is_prefix_of(short, word) or is_skeleton_of(short, word)):
            return False
    return exact < len(phrase)


def _initials(vocab: Vocabulary, is_word: Callable[[str], bool]) -> dict[str, set[tuple[str, ...]]]:
    """Initials -> phrases, for phrases of two or more content words ("zv": zelfstandig
    verder, "lr": Leidsche Rijn) and compounds of two dictionary words ("wl": wachtlijst,
    "ha": huisarts); initials that start a team or wijk word are left out ("ov" is
    Overvecht)."""
    found: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    place_words: set[str] = set()
    for phrase, readings in vocab.phrases.items():
        if any(r.category in ("team", "region") for r in readings):
            place_words.update(phrase)
        for letters in _letters(phrase, is_word):
            found[letters].add(phrase)
    return {
        letters: phrases
        for letters, phrases in found.items()
        if not any(w.startswith(letters) for w in place_words)
    }


def _letters(phrase: tuple[str, ...], is_word: Callable[[str], bool]) -> set[str]:
    """Initials of a phrase's words when every word but glue is a full word of four letters
    or more ("hbh aanbieder" is no "ha"); of a compound's two parts."""
    if len(phrase) > 1:
        content = [w for w in phrase if w not in _GLUE]
        if len(content) < 2 or any(len(w) < MIN_PART or w in STOPWORDS for w in content):
            return set()
        return {"".join(w[0] for w in content)}
    word = phrase[0]
    return {
        word[0] + word[cut]
        for cut in range(MIN_PART, len(word) - MIN_PART + 1)
        if is_word(word[:cut]) and is_word(word[cut:])
    }
