"""Dutch postcodes, by PostNL's rules: four digits from 1000, then two letters, never SA, SD or
SS, in any case and spacing ("3526 EH", "3526eh", "3526 eh").

Capitals are the postcode's own way of writing and count anywhere. Lower-case letters that
are a word or a unit ("1500 en", "12 km", "2019 eh") count only where an address line puts a
postcode: after a cue ("postcode 3526 en", "pc: 3526 en"), right after a street and house
number, whatever floor or door follows it ("Amerikalaan 76 3 hoog 3526 en"), or right before
the place name that follows it on an envelope ("3526 en utrecht"), unless the number reads as
a year and the letters as a conjunction or preposition ("in 2019 en zeist").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.addresses import find_addresses
from knowledge.privacy.lexicon import word_set
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import has_common_reading, is_place

# A hyphen between digits and letters ("3564-cg") is typed too, but also joins ranges and
# codes, so a hyphenated postcode counts only where an address line puts one (_cued).
# Digits and letters apart by any spacing a phone produces ("3561  cj": a double space from
# an autocorrected or dictated line), or a hyphen.
_POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3}(?P<space>[ ]{0,3}|[ ]{0,2}-[ ]{0,2})(?P<letters>[A-Za-z]{2})(?![\w-])"
)
_NEVER_ISSUED = frozenset({"SA", "SD", "SS"})
_POSTCODE_CUE = re.compile(
    r"(?:postcode|p\.?c\.?)(?:[ ](?:is|was|wordt|nu))?\W{0,3}$", re.IGNORECASE
)
# Right after a street and house number ("Berlijnplein 202 3541 cm"): the postcode's place.
_AFTER_ADDRESS = re.compile(r"[^\W\d_]{4,}[ ]\d{1,5}(?:[ ]?[-/]?[ ]?\w{1,3})?[ ,]{1,2}$")
_GAP_AFTER_ADDRESS = re.compile(r"[ ]?,?[ ]?")
_PLACE_AFTER = re.compile(r"[ ]?,?[ ]?([^\W\d_]+(?:[-'’][^\W\d_]+)*)")
# Two letters after a number that are words or units, not postcode letters: "1500 en", "12km".
_FUNCTION_WORDS = word_set("en op in te de of na om af al is er")
_YEAR = re.compile(r"(?:19|20)\d\d")
_NOT_POSTCODE_LETTERS = frozenset(
    word_set("en op in is om te de af al nu zo ja ik je we ze uw na of er eh ok oh km kg cm mm ml")
)


def find_postcodes(text: str) -> Iterator[Hit]:
    """PostNL postcodes, by the rules of the module docstring."""
    address_ends: set[int] | None = None
    for match in _POSTCODE.finditer(text):
        letters = match.group("letters")
        if letters.upper() in _NEVER_ISSUED:
            continue
        hyphen = "-" in match.group("space")
        if not hyphen and (letters.isupper() or letters.lower() not in _NOT_POSTCODE_LETTERS):
            yield Hit(match.start(), match.end(), "postcode")
            continue
        if address_ends is None:
            address_ends = {hit.end for hit in find_addresses(text)}
        if _cued(text, match.start(), match.end(), address_ends):
            yield Hit(match.start(), match.end(), "postcode")


def _cued(text: str, start: int, end: int, address_ends: set[int]) -> bool:
    """A cue before it, an address right before it, or a place name right after it."""
    before = text[max(0, start - 40) : start]
    if _POSTCODE_CUE.search(before[-16:]) or _AFTER_ADDRESS.search(before):
        return True
    if any(_GAP_AFTER_ADDRESS.fullmatch(text, e, start) for e in address_ends if e <= start):
        return True
    if _YEAR.match(text, start) and text[end - 2 : end].lower() in _FUNCTION_WORDS:
        return False  # "in 2019 en zeist", "1980 te utrecht": a year, then a phrase
    place = _PLACE_AFTER.match(text, end)  # a place that is no common word: not "1500 en meer"
    return place is not None and is_place(word := place.group(1)) and not has_common_reading(word)
