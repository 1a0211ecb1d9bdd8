"""Birthdays: the day and month of a birth date, named by what Dutch says of that day.

"ze is 2 maart jarig", "jarig op 12/4", "haar verjaardag is 7 juni": a day and a month next
to "jarig" or "verjaardag" is the day someone was born, the better part of a birth date
(with an age or a birth year elsewhere in the text it gives the whole date away). Without
that word a day and a month are an appointment and stay.

A holiday on a fixed date of the Dutch calendar names a day as well as a date does: "geboren
op nieuwjaarsdag 1960", "geboren op Tweede Kerstdag 2019" after a birth cue is a birth date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from knowledge.privacy.date_forms import month_pattern
from knowledge.privacy.model import Hit
from knowledge.privacy.patterns import has_birth_cue

_BIRTHDAY_WORD = r"(?:jarig|verjaardag|verjaardagen|birthday|bday|b-day)"
# What may stand between the date and the word: "is 2 maart jarig", "2 maart is ze jarig",
# "jarig op 2 maart", "verjaardag is op 12-4", "verjaardag: 7 juni".
_GAP_AFTER = r"(?:[ ]+(?:is|wordt|was|ben|zijn|ze|zij|hij|ie|ook|weer|al)){0,3}[ ]+"
_GAP_BEFORE = r"(?:[ ]*:|[ ]+(?:is|was|valt))?(?:[ ]+(?:op|in|rond))?[ ]*"


# The holidays on a fixed date (Dutch calendar): New Year, Christmas, New Year's Eve, the
# King's (formerly Queen's) Day, Liberation Day, Valentine's Day, Saint Nicholas' Eve.
_FIXED_HOLIDAY = re.compile(
    r"(?i)(?<![\w-])(?:nieuwjaars?dag|nieuwjaar|oude?jaarsdag|oude?jaarsavond|kerstavond"
    r"|kerstmis|(?:eerste|tweede|1e|2e)[ ]kerstdag|kerstdag|koningsdag|koninginnedag"
    r"|bevrijdingsdag|valentijnsdag|pakjesavond|sinterklaasavond)"
    r"(?:[ ](?:van[ ])?(?:\d{4}|['’]\d{2}))?(?![\w-])"
)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    day_month = (
        rf"(?<![\w/.-])(?:\d{{1,2}}(?:e|ste|de)?[ ]+(?:{month_pattern()})\b\.?"
        r"|\d{1,2}[-/.]\d{1,2}(?![\d/.-]*\d))"
    )
    after = re.compile(rf"(?i)(?P<date>{day_month}){_GAP_AFTER}{_BIRTHDAY_WORD}\b")
    before = re.compile(rf"(?i)\b{_BIRTHDAY_WORD}{_GAP_BEFORE}(?P<date>{day_month})")
    return after, before


def find_birthdays(text: str) -> Iterator[Hit]:
    """The day and month given as someone's birthday, as a birth date."""
    for pattern in _patterns():
        for match in pattern.finditer(text):
            day = int(re.findall(r"\d+", match.group("date"))[0])
            if 1 <= day <= 31:
                yield Hit(match.start("date"), match.end("date"), "geboortedatum")
    for match in _FIXED_HOLIDAY.finditer(text):
        if has_birth_cue(text, match.start(), match.end()):
            yield Hit(match.start(), match.end(), "geboortedatum")
