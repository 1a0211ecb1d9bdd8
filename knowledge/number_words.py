"""Dutch numbers written as words, read as numbers: "achtentwintig" 28, "negentienzeventig"
1970, "tweeduizendvijf" 2005, "negentienhonderdvijfenveertig" 1945.

Dutch writes every number below a million as one word, so a number is one token and reading
it is parsing that token by the grammar of Dutch numerals: the words for 0–19 and the tens,
the compounds unit + "en" + tens (an "ë" after a vowel: "drieënzestig"), then "honderd" and
"duizend" with an optional multiplier before and a remainder after, and the spoken year: two
numbers from 10 to 99 ("negentien" + "zeventig"). Accents are optional (phones drop them).
Hand-written because the grammar is these few rules; num2words would generate the same words
but needs seconds to build a table of them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

UNITS = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
TEENS = (
    *("tien", "elf", "twaalf", "dertien", "veertien"),
    *("vijftien", "zestien", "zeventien", "achttien", "negentien"),
)
TENS = ("twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig")
WORD = re.compile(r"[a-zA-ZÀ-ÿ]+")


@cache
def _below_hundred() -> dict[str, int]:
    table = {word: value for value, word in enumerate(UNITS + TEENS)}
    for tens, word in enumerate(TENS, start=2):
        table[word] = tens * 10
        for unit in range(1, 10):
            table[f"{UNITS[unit]}en{word}"] = tens * 10 + unit
    return table


def _plain(word: str) -> str:
    """Lower case without accents: "Één" → "een", "drieënzestig" → "drieenzestig"."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def value_of(word: str) -> int | None:
    """The number a single word names, or None when it is no Dutch numeral (0–999,999)."""
    return _parse(_plain(word))


_IRREGULAR_ORDINALS = {"eerste": 1, "derde": 3}


def ordinal_of(word: str) -> int | None:
    """The number an ordinal names ("dertiende" 13, "eenentwintigste" 21, "achtste" 8): the
    cardinal with "de" or "ste" after it; "eerste" and "derde" are the exceptions."""
    plain = _plain(word)
    if plain in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[plain]
    for suffix in ("ste", "de"):
        if plain.endswith(suffix) and (value := _parse(plain[: -len(suffix)])) is not None:
            return value if value > 0 else None
    return None


def ordinal_words(up_to: int) -> list[str]:
    """The ordinals from 1 to `up_to` as words ("eerste", "tweede", …), for patterns."""
    irregular = {value: word for word, value in _IRREGULAR_ORDINALS.items()}
    table = {value: word for word, value in _below_hundred().items()}
    return [
        irregular.get(n) or table[n] + ("ste" if n == 8 or n >= 20 else "de")
        for n in range(1, up_to + 1)
    ]


def _parse(word: str) -> int | None:
    if not word:
        return None
    small = _below_hundred().get(word)
    if small is not None:
        return small
    for scale, size in (("duizend", 1000), ("honderd", 100)):
        head, found, tail = word.partition(scale)
        if not found:
            continue
        times = 1 if not head else _parse(head)
        rest = 0 if not tail else _parse(tail)
        if times is None or rest is None or times == 0 or rest >= size:
            return None
        if size == 100 and times >= 100:
            return None
        return times * size + rest
    return _spoken_year(word)


def _spoken_year(word: str) -> int | None:
    """ "negentienzeventig": a century and a year of it, both 10–99, as years are said."""
    table = _below_hundred()
    for cut in range(3, len(word) - 2):
        century, year = table.get(word[:cut]), table.get(word[cut:])
        if century is not None and year is not None and century >= 10 and year >= 10:
            return century * 100 + year
    return None
