"""Dates said aloud in a dictated message, for spoken.py: an ordinal is a day only before a
month ("de dertiende mei"); a date said with ordinals for day and month ("de vijfde van de
zesde zevenenvijftig") is written "5-6-57"; a century typed before the rest of the year said
("19 eenenzestig") is one year. The detectors then read them as they read typed dates.
"""

from __future__ import annotations

import re

from knowledge.dutch_calendar import MONTHS
from knowledge.number_words import ordinal_of, value_of

Token = tuple[int, int, int, str]  # start, end, value, the word in lower case (spoken.py)

_BEFORE_MONTH = re.compile(rf"\b([a-zA-Zë]+)[ \t]+(?i:{'|'.join(MONTHS)})\b")
# "de vijfde van de zesde zevenenvijftig": the day and the month said as ordinals, the year
# after them in one or two words or in digits.
_ORDINAL_DATE = re.compile(
    r"(?i)(?<![\w-])(?:de[ ])?(?P<day>[^\W\d_]+)[ ]van[ ]de[ ](?P<month>[^\W\d_]+)"
    r",?[ ](?P<year>[^\W\d_]+(?:[ ][^\W\d_]+)?|\d{4}|['’]?\d{2})(?![\w-])"
)
# "19 eenenzestig": a century typed, the rest of the year said.
_CENTURY_TYPED = re.compile(r"(?<![\d\w.,/-])(?P<century>19|20)[ ]$")


def ordinal_days(text: str) -> list[tuple[int, int, str]]:
    """An ordinal right before a month as its day in digits ("de dertiende mei")."""
    return [
        (match.start(1), match.end(1), str(day))
        for match in _BEFORE_MONTH.finditer(text)
        if (day := ordinal_of(match.group(1))) is not None and day <= 31
    ]


def ordinal_dates(text: str) -> list[tuple[int, int, str]]:
    """A date said with ordinals for day and month, written as digits ("5-6-57"); a second
    year word is kept only when the two are one year ("negentien zevenenvijftig")."""
    found = []
    for match in _ORDINAL_DATE.finditer(text):
        day, month = ordinal_of(match.group("day")), ordinal_of(match.group("month"))
        if day is None or month is None or not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        said = match.group("year")
        year = _year_said(said)
        end = match.end("year")
        if year is None and " " in said:  # the second word is no part of the year
            said = said.split(" ")[0]
            year, end = _year_said(said), match.start("year") + len(said)
        if year is not None:
            found.append((match.start(), end, f"{day}-{month}-{year}"))
    return found


def _year_said(said: str) -> str | None:
    """A year in digits, or said in words as two digits or in full, as digits."""
    digits = said.lstrip("'’")
    if digits.isdigit():
        return digits
    value = value_of(said.replace(" ", ""))
    if value is not None and (10 <= value < 100 or 1900 <= value <= 2099):
        return str(value)
    return None


def half_written_years(text: str, runs: list[list[Token]]) -> list[tuple[int, int, str]]:
    """A century in digits before two digits said as a word: "19 eenenzestig" is 1961."""
    found = []
    for run in runs:
        start, end, value, _ = run[0]
        if 10 <= value < 100 and (century := _CENTURY_TYPED.search(text, 0, start)):
            found.append((century.start(), end, f"{century.group('century')}{value:02d}"))
    return found
