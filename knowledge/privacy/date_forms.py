"""How Dutch people write and dictate a date: month names, weekdays and number words.

The specification the date candidates (date_candidates.py) are built from and the synthetic
birth dates (evaluation/privacy_synthetic.py) are generated from:

- months: the Dutch names in full and abbreviated (with or without a full stop), the English
  names and abbreviations, and every spelling of a Dutch month name one typing slip away
  (a letter dropped, doubled or two swapped) that is not itself a Dutch word ("maart" without
  its t is "maar");
- weekdays, Dutch and English, in full and abbreviated, as they stand before a date;
- number words: the cardinals 1-99 ("eenentwintig", "tweeëntwintig" also as "tweeentwintig"),
  the ordinals 1-31 ("eenentwintigste") and spoken years ("negentien zevenentachtig",
  "negentienhonderdzevenentachtig", "tweeduizend negen", "twintig tien").

Invariants: pure data built at import from these rules; the value of a number word is its
arithmetic value (``number_value``), never looked up per case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any

from knowledge.dutch_calendar import MONTHS
from knowledge.dutch_calendar import WEEKDAYS as WEEKDAYS_NL
from knowledge.number_words import TEENS, TENS, UNITS
from knowledge.privacy.vocabulary import is_dutch_word

MONTHS_NL = MONTHS
MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
# The abbreviations people write, per month (Dutch first, then English).
MONTH_ABBREVIATIONS = (
    ("jan",),
    ("feb", "febr"),
    ("mrt", "mar", "mrch"),
    ("apr",),
    (),
    ("jun",),
    ("jul",),
    ("aug",),
    ("sep", "sept"),
    ("okt", "oct"),
    ("nov",),
    ("dec",),
)
WEEKDAYS = (
    *WEEKDAYS_NL,
    *("ma", "di", "wo", "do", "vr", "za", "zo"),
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    *("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
)

_UNITS = ("", *UNITS[1:])  # the Dutch numerals of knowledge/number_words.py, by value
_TEENS = TEENS
_TENS = ("", "", *TENS)


def _edits(word: str) -> set[str]:
    """Every spelling one typing slip from ``word``: a letter dropped, doubled, or two
    neighbours swapped."""
    out = {word[:i] + word[i + 1 :] for i in range(len(word))}
    out |= {word[:i] + word[i] + word[i:] for i in range(len(word))}
    out |= {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return out - {word}


def cardinals() -> dict[str, int]:
    """Cardinal number words 1-99, in each spelling people type ("tweeëntwintig",
    "tweeentwintig", "één")."""
    words: dict[str, int] = {"één": 1}
    for n in range(1, 100):
        if n < 10:
            words[_UNITS[n]] = n
        elif n < 20:
            words[_TEENS[n - 10]] = n
        else:
            tens, unit = divmod(n, 10)
            if unit == 0:
                words[_TENS[tens]] = n
                continue
            for joint in ("en", "ën") if _UNITS[unit].endswith("e") else ("en",):
                words[f"{_UNITS[unit]}{joint}{_TENS[tens]}"] = n
    return words


def ordinals() -> dict[str, int]:
    """Ordinal number words 1-31 ("eerste", "derde", "achtste", "eenentwintigste")."""
    irregular = {1: "eerste", 3: "derde", 8: "achtste"}
    words: dict[str, int] = {}
    for word, n in cardinals().items():
        if n > 31 or word == "één":
            continue
        if n in irregular:
            words[irregular[n]] = n
        elif n >= 20:
            words[word + "ste"] = n
        else:
            words[word + "de"] = n
    return words


def spoken_years() -> dict[str, int]:
    """Years 1900-2039 as they are said: "negentien zevenentachtig", "negentienhonderd
    zevenentachtig" (with or without the space), "tweeduizend negen", "twintig tien"."""
    numbers = cardinals()
    years: dict[str, int] = {"negentienhonderd": 1900, "tweeduizend": 2000}
    for word, n in numbers.items():
        for sep in (" ", ""):
            years[f"negentienhonderd{sep}{word}"] = 1900 + n
            years[f"tweeduizend{sep}{word}"] = 2000 + n if n < 40 else 0
            if n >= 10:
                years[f"negentien {word}"] = 1900 + n
                years[f"twintig {word}"] = 2000 + n if n < 40 else 0
        years[f"negentien honderd {word}"] = 1900 + n
        years[f"tweeduizend en {word}"] = 2000 + n if n < 40 else 0
    return {word: year for word, year in years.items() if year}


def _alternation(words: Iterable[str]) -> str:
    """One regex for a set of words, as a trie ("negentien(?:honderd)?…"): it matches what the
    longest-first alternation of the words matches, without trying every word at every
    position (some of these sets hold thousands of spellings)."""
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_pattern(trie)


def _trie_pattern(node: dict[str, Any]) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items())]
    branches = [b for b in branches if b]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body


@cache
def month_words() -> frozenset[str]:
    """Every month word: full, abbreviated, English, and Dutch full names one slip away
    (from names of five letters or more, never a Dutch word)."""
    exact = set(MONTHS_NL) | set(MONTHS_EN) | {a for abbr in MONTH_ABBREVIATIONS for a in abbr}
    slips = {
        slip
        for month in MONTHS_NL
        if len(month) >= 5
        for slip in _edits(month)
        if len(slip) >= 4 and not is_dutch_word(slip)
    }
    return frozenset(exact | (slips - exact))


@cache
def month_pattern() -> str:
    """A regex alternation of every month word (case-insensitive where it is used)."""
    return _alternation(month_words())


@cache
def day_word_pattern() -> str:
    return _alternation([w for w, n in cardinals().items() if n <= 31] + list(ordinals()))


@cache
def two_digit_word_pattern() -> str:
    """Number words 10-99: a year said in two digits ("zevenenvijftig" for '57)."""
    return _alternation(w for w, n in cardinals().items() if n >= 10)


@cache
def year_word_pattern() -> str:
    return _alternation(spoken_years())


WEEKDAY_PATTERN = _alternation(WEEKDAYS)


def number_value(words: str) -> int | None:
    """The value of a spoken year or day ("negentien zevenentachtig" -> 1987), else None."""
    folded = " ".join(words.lower().split())
    return spoken_years().get(folded) or cardinals().get(folded) or ordinals().get(folded)


_BIRTH_STEMS = ("geboren", "geboorte")
_BIRTH_TAILS = ("datum", "dat", "dag", "jaar", "jr", "dt")
_ENGLISH_BIRTH = frozenset({"dob", "born", "birth", "birthdate", "birthday"})


def _skeleton(word: str) -> str:
    return re.sub(r"[aeiou]", "", word)


@cache
def _birth_heads() -> frozenset[str]:
    """Prefixes (three letters or more) of the birth words, their consonant skeletons ("gb"),
    and spellings one slip away from a prefix of four letters or more ("gebr", "gebore")."""
    heads: set[str] = set()
    for stem in _BIRTH_STEMS:
        for i in range(3, len(stem) + 1):
            heads.add(stem[:i])
            if i >= 4:
                heads |= {slip for slip in _edits(stem[:i]) if not is_dutch_word(slip)}
        skeleton = _skeleton(stem)
        heads |= {skeleton[:i] for i in range(2, len(skeleton) + 1)}
    return frozenset(heads)


@lru_cache(maxsize=4096)
def is_birth_word(token: str) -> bool:
    """Whether a word (dots and case ignored) is a way of writing a birth cue: a prefix of
    "geboren"/"geboorte" or its consonants, one slip from one, optionally followed by the
    start of "datum"/"jaar"/"dag" ("geb", "gebr", "gb", "geb.dat.", "gbdatum", "geboortejr"),
    or the English "dob"/"d.o.b."/"born"."""
    word = re.sub(r"[.\s]", "", token.lower())
    if word in _ENGLISH_BIRTH:
        return True
    heads = _birth_heads()
    for cut in range(2, len(word) + 1):
        head, tail = word[:cut], word[cut:]
        if head in heads and (not tail or any(t.startswith(tail) for t in _BIRTH_TAILS)):
            return True
    return False
