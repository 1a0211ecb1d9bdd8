"""Phone numbers given without their trunk prefix, recognised by the word before them.

The Dutch numbering plan gives a mobile number as 06 and eight digits and any number as a
trunk 0 and nine digits; people who dictate or type a number after "tel" or "mobiel" often
leave the part everyone knows out ("mobiel 12345678" for 06-12345678, "tel 301234567").
Without the cue such a number is an order or case number; right after a phone cue it is
the subscriber's own number.

A mobile number typed a digit at a time ("06 1 2 3 9 8 4 7 5 6") has a digit too many or too
few as often as not; the 06 prefix with seven to nine more digits, spaces only between them
(hyphens and dots would make a date), is still that person's number and is removed whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.model import Hit

_PHONE_CUE = (
    r"(?:tel(?:efoon)?(?:nummer|nr)?|telnr|mob(?:iel)?(?:nummer|nr)?|mobiele[ ]nummer|gsm"
    r"|whatsapp|app-?nummer)"
)
_CUED = re.compile(
    rf"(?i)\b{_PHONE_CUE}\b\.?[ \t]*:?[ \t]*(?:is[ \t]+)?"
    r"(?P<number>[1-9](?:[ -]?\d){7,8})(?![\d/.,-]?\d)"
)

_MISTYPED_MOBILE = re.compile(r"(?<![\w+/.-])06(?:(?:[ ]?\d){9}|(?:[ ]?\d){7})(?![\w/. -]?\d)")


def find_cued_phones(text: str) -> Iterator[Hit]:
    """Eight digits (a mobile number without 06) or nine (any number without its trunk 0)
    right after a phone cue; and a mobile number with a digit too many or too few."""
    for match in _CUED.finditer(text):
        yield Hit(match.start("number"), match.end("number"), "telefoon")
    for match in _MISTYPED_MOBILE.finditer(text):
        yield Hit(match.start(), match.end(), "telefoon")
