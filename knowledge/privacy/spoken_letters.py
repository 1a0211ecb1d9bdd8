"""Letters said aloud in a dictated message, for spoken.py: a postcode's two letters after
its four digits ("drie vijf zes vier bee ee" reads "3564 be") and an IBAN's country before
its spoken number ("en el vierenzeventig" reads "NL74"). The Dutch names of the letters are
used, not the spelling alphabet's code words ("Anton", "Bernard").
"""

from __future__ import annotations

import re

from knowledge.privacy.iban import IBAN_LENGTHS
from knowledge.privacy.lexicon import STOPWORDS

Token = tuple[int, int, int, str]  # start, end, value, the word in lower case (spoken.py)

# The Dutch names of the letters, as a word is spelled aloud (not the spelling alphabet's
# code words "Anton", "Bernard").
_SPOKEN_LETTERS = (
    *("a", "bee", "cee", "dee", "ee", "ef", "gee", "haa", "ie", "jee", "kaa", "el", "em"),
    *("en", "oo", "pee", "kuu", "er", "es", "tee", "uu", "vee", "wee", "iks", "ij", "zet"),
)
_NAMED = dict(zip(_SPOKEN_LETTERS, "abcdefghijklmnopqrstuvwxyz", strict=True))
# A long vowel at the end of an open syllable is written single as well ("ka", "ha", "pe"):
# that spelling counts too, unless it is a Dutch word of its own ("de", "we").
_OPEN_SYLLABLE = {
    name[:-1]: letter
    for name, letter in _NAMED.items()
    if len(name) == 3 and name[-1] == name[-2] and name[:-1] not in STOPWORDS
}
LETTER_NAMES = {**_NAMED, **_OPEN_SYLLABLE, "griekse ij": "y"}
_LETTERS = "|".join(sorted(map(re.escape, LETTER_NAMES), key=len, reverse=True))
# A postcode's letters are said as letter names or typed as single letters ("c s", "G T"),
# after a space or a comma (the pause between digits and letters: "drie vier, bee ee").
_LETTER_PAIR = re.compile(
    rf"(?:[ \t]*,)?[ \t]+(?i:({_LETTERS}|[a-z])[ \t]+({_LETTERS}|[a-z]))(?![\w-])"
)
# A postcode's four digits, written together or one by one ("3 5 5 4").
_FOUR_DIGITS = re.compile(r"(?<![\d\w])[1-9](?:\d{3}|(?:[ ]\d){3})(?![\w-])")
# Two letter names before a spoken number: an IBAN's country ("en el", "d e", "bee ee").
_COUNTRY = re.compile(rf"(?<![\w-])(?i:({_LETTERS}|[a-z])[ \t]+({_LETTERS}|[a-z]))[ \t]+$")


def spelled_letters(text: str, dictated_ends: list[int]) -> list[tuple[int, int, str]]:
    """Two letter names right after four digits (a postcode's), dictated one by one or
    written, as letters; a number said as a whole ("negentien negentien") is no postcode."""
    written = [(match.start(), match.end()) for match in _FOUR_DIGITS.finditer(text)]
    letters = []
    for start, end in [(-1, end) for end in dictated_ends] + written:
        if pair := _LETTER_PAIR.match(text, end):
            spelled = "".join(_letter(pair.group(g)) for g in (1, 2))
            if "," in text[pair.start() : pair.start(1)]:  # the pause read as a space
                letters.append((pair.start(), pair.end(2), " " + spelled))
            else:
                letters.append((pair.start(1), pair.end(2), spelled))
            if start >= 0 and " " in text[start:end]:  # "3 5 5 4 G T": the digits joined
                letters.append((start, end, text[start:end].replace(" ", "")))
    return letters


def _letter(said: str) -> str:
    """A letter name as its letter; a letter typed on its own stays as typed ("G")."""
    return said if len(said) == 1 else LETTER_NAMES[said.lower()]


def countries(text: str, runs: list[list[Token]]) -> list[tuple[int, int, str]]:
    """Two letter names that form an IBAN country code right before a spoken number, as the
    code joined to the number ("en el vierenzeventig" reads "NL74")."""
    found = []
    for run in runs:
        pair = _COUNTRY.search(text, max(0, run[0][0] - 20), run[0][0])
        if pair is None:
            continue
        code = (_letter(pair.group(1)) + _letter(pair.group(2))).upper()
        if code in IBAN_LENGTHS:
            found.append((pair.start(1), run[0][0], code))
    return found
