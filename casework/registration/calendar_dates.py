"""Calendar dates in registrations: "3/11", "12 jan", "2026-11-23", and the mention type.

A day and month without a year ("3/11", "12 jan") are the coming date when that is within a
month (so "30/11" sent on 24 November is in the future, and refused), else the latest such
date not after today ("28/12" sent on 3 January is last December). A date that does not
exist ("31-4") is refused as such. Split from `dates.py` (relative days and weekdays), which
reads these patterns in its order of specificity.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Problem = Literal["future", "invalid", "vague", "weekday"]
FUTURE_WINDOW_DAYS = 31

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "maart": 3, "mrt": 3, "april": 4,
    "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augustus": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MO = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO = re.compile(r"(?<![0-9])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![0-9])")
NUMERIC = re.compile(
    r"(?<![0-9/-])(?P<d>[0-9]{1,2})[/-](?P<m>[0-9]{1,2})(?:[/-](?P<y>[0-9]{4}|[0-9]{2}))?"
    r"(?![0-9/-])"
)
NAMED = re.compile(
    rf"(?<![0-9])(?P<d>[0-9]{{1,2}})(?:e|ste|de)?\s*(?P<mname>{_MO})\b\.?(?:\s+(?P<y>[0-9]{{4}}))?"
)


@dataclass(frozen=True)
class DateMention:
    text: str
    value: date | None
    problem: Problem | None = None


def at(match: re.Match[str], value: date, today: date) -> DateMention:
    return DateMention(match.group(), value, "future" if value > today else None)


def plausible_numeric(match: re.Match[str]) -> bool:
    """'31-4' and '3-13' are dates that do not exist (and are refused as such); '0-0' is no
    date at all. Scores out of 15 ("6/15") were taken out before."""
    return int(match["d"]) > 0 and int(match["m"]) > 0


def calendar(match: re.Match[str], today: date) -> DateMention:
    day = int(match["d"])
    month = MONTHS[match["mname"]] if "mname" in match.groupdict() else int(match["m"])
    year_text = match["y"]
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        value = safe_date(year, month, day)
    else:
        value = _nearest_year(today, month, day)
    if value is None:
        return DateMention(match.group().strip(), None, "invalid")
    return at(match, value, today)


def _nearest_year(today: date, month: int, day: int) -> date | None:
    """A day and month in the year that fits a registration: within the coming month it is
    that (future) date, so a typo is caught; otherwise the latest one not after today."""
    options = [safe_date(today.year + shift, month, day) for shift in (-1, 0, 1)]
    valid = [option for option in options if option is not None]
    soon = [d for d in valid if today < d <= today + timedelta(days=FUTURE_WINDOW_DAYS)]
    past = [d for d in valid if d <= today]
    return soon[0] if soon else max(past, default=None)


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
