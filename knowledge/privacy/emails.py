"""E-mail addresses, typed, written out against harvesters, or said aloud (RFC 5322's
characters by their Dutch or English names).

Said aloud, the local part may be spelled letter by letter with the Dutch letter names
("ka punt ee el ha at …"), and a number said after a word is part of that word ("kevin
underscore smit negentig at …": spoken.py has written the number in digits, "smit 90").
A domain said aloud may fall apart in two words ("at kpn mail punt nl" is kpnmail.nl).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.lexicon import PARTICLE
from knowledge.privacy.model import Hit
from knowledge.privacy.spoken_letters import LETTER_NAMES

# The letter names, with the A written with its long vowel as it sounds ("aa").
_LETTER_NAME = "|".join(sorted(map(re.escape, {*LETTER_NAMES, "aa"}), key=len, reverse=True))
# Letters spelled one by one: two or more letter names in a row ("ee el ha").
_SPELLED = rf"(?i:(?:{_LETTER_NAME})(?:[ ](?:{_LETTER_NAME}))+)(?![\w-])"
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# An address written out to keep harvesters off, or said aloud: the at sign as "(at)", "[at]",
# "apenstaartje" or a bare "at", the dot as "[dot]", "(punt)", "[.]" or a bare "punt"/"dot".
# Without "@" the address must end in a top-level domain people use here, so a sentence with
# "at" and "punt" in it is no address.
# Typed as it is said, the signs may stand between spaces: "naam @ gmail . com".
_AT = r"(?:[ ]?[(\[][ ]?(?i:at)[ ]?[)\]][ ]?|[ ](?i:at|apenstaartje|@)[ ])"
_DOT = r"(?:\.|[ ]\.[ ]|[ ]?[(\[][ ]?(?:\.|(?i:dot|punt))[ ]?[)\]][ ]?|[ ](?i:punt|dot)[ ])"
_TLD = r"(?i:com|nl|net|org|eu|be|de|fr|info|live|me|tr|ma|pl|uk)"
# Said aloud, a name in the local part keeps its particles as words: "familie punt de lange
# apenstaartje gmail punt com" is familie.delange@gmail.com. The other characters RFC 5322
# allows there that people use are said by name: the underscore ("underscore", "laag
# streepje", "liggend streepje") and the hyphen ("streepje", "koppelteken", "min").
_LOCAL_WORD = rf"(?:{_SPELLED}|(?:(?i:{PARTICLE})[ ])*[\w+-]+(?:[ ]\d{{1,4}}(?![\w-]))?)"
_SAID_SIGN = r"[ ](?i:underscore|(?:laag|liggend|lage)[ ]streepje|streepje|koppelteken|min|dash)[ ]"
_LOCAL_JOIN = rf"(?:{_DOT}|{_SAID_SIGN})"
_SAID_LABEL = r"[\w-]+(?:[ ][\w-]+)?"
_EMAIL_SPELLED = re.compile(
    rf"(?<![\w.+-]){_LOCAL_WORD}(?:{_LOCAL_JOIN}{_LOCAL_WORD})*{_AT}{_SAID_LABEL}(?:{_DOT}[\w-]+)*"
    rf"{_DOT}{_TLD}(?![\w-])"
)


def find_emails(text: str) -> Iterator[Hit]:
    for pattern in (_EMAIL, _EMAIL_SPELLED):
        for match in pattern.finditer(text):
            yield Hit(match.start(), match.end(), "email")
