"""A street typed in lower case after a living cue and a preposition: "woont sinds kort op
gagelsteede 5", "wonend aan de zwanenvecht 12".

Streets whose name has no street word at its end (-steede, -vecht, -rijn, a bare name) are
found by addresses.py only when capitalised. After "woont … op/aan" a word and a house
number are an address in any case, provided the word is no whole Dutch word: a street name
is a proper noun, whereas "woont op kamer 4" or "op nummer 5" name a room or a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.addresses import is_quantity
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import is_place, is_whole_dutch_word

_CUED_LOWER = re.compile(
    r"(?i:(?:woont|wonen|woonde|wonende?|woonachtig)(?:[ ][a-zë0-9]+){0,3}?[ ](?:op|aan)"
    r"|verhuisd(?:[ ][a-zë]+){0,3}?[ ]naar)[ ](?:de[ ]|het[ ])?"
    r"(?P<street>[a-zà-ÿ][a-zà-ÿ'’-]{2,})[ ](?P<number>\d{1,5}(?:[ ]?[a-z](?![\w]))?)(?![\w])"
)


def find_lower_case_streets(text: str) -> Iterator[Hit]:
    """Lower-case streets with a house number after a living cue (module docstring)."""
    for match in _CUED_LOWER.finditer(text):
        street = match.group("street")
        if is_whole_dutch_word(street) or is_place(street):
            continue
        if not is_quantity(text, match.end("number")):
            yield Hit(match.start("street"), match.end("number"), "adres")
