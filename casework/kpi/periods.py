"""Reporting periods: weeks, months and quarters as half-open [start, end) in Amsterdam time.

Boundaries are local midnights, so a quarter around a DST change is not a whole number of
24-hour days; every comparison is done on aware moments, never on dates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from models.clock import AMSTERDAM

Granularity = Literal["week", "month", "quarter"]
GRANULARITIES: tuple[Granularity, ...] = ("week", "month", "quarter")


@dataclass(frozen=True, order=True)
class Period:
    start: datetime
    end: datetime
    label: str

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None or self.start >= self.end:
            raise ValueError("a period needs aware start < end")

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=AMSTERDAM)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _month_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(day: date, granularity: Granularity) -> Period:
    """The week (ISO, Monday first), month or quarter that contains `day`."""
    if granularity == "week":
        first = day - timedelta(days=day.weekday())
        iso = first.isocalendar()
        return Period(
            _midnight(first), _midnight(first + timedelta(days=7)), f"{iso[0]}-W{iso[1]:02d}"
        )
    if granularity == "month":
        first = date(day.year, day.month, 1)
        return Period(_midnight(first), _midnight(_month_after(first, 1)), f"{first:%Y-%m}")
    first = _quarter_start(day)
    label = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
    return Period(_midnight(first), _midnight(_month_after(first, 3)), label)


def parse_quarter(label: str) -> Period:
    """ "2017-Q1" -> 1 January 2017 00:00 up to 1 April 2017 00:00, Amsterdam time."""
    match = re.fullmatch(r"\s*(\d{4})-?[Qq]([1-4])\s*", label)
    if match is None:
        raise ValueError(f"onbekend kwartaal: {label!r} (verwacht bijv. 2017-Q1)")
    return period_of(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarter")


def periods_between(first: date, last: date, granularity: Granularity) -> list[Period]:
    """The periods covering `first` up to and including `last`, in order."""
    if last < first:
        raise ValueError("de einddatum ligt voor de begindatum")
    periods = [period_of(first, granularity)]
    while periods[-1].end.date() <= last:
        periods.append(period_of(periods[-1].end.date(), granularity))
    return periods
