from __future__ import annotations

from datetime import datetime

import pytest

from models.clock import AMSTERDAM
from routing.working_hours import WorkingHours

HOURS = WorkingHours.parse("08:30", "17:30")


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        # inside a working day: plain addition
        (datetime(2026, 11, 24, 10, 0), 20, datetime(2026, 11, 24, 10, 20)),
        # 17:20 on a Tuesday: 10 minutes today, 10 tomorrow morning
        (datetime(2026, 11, 24, 17, 20), 20, datetime(2026, 11, 25, 8, 40)),
        # Friday evening: the clock runs on Monday
        (datetime(2026, 11, 27, 18, 0), 20, datetime(2026, 11, 30, 8, 50)),
        # Saturday: Monday as well
        (datetime(2026, 11, 28, 11, 0), 20, datetime(2026, 11, 30, 8, 50)),
        # before opening: counted from 08:30
        (datetime(2026, 11, 24, 6, 0), 20, datetime(2026, 11, 24, 8, 50)),
        # across the spring DST change (Sunday 29 March 2026): Monday 08:50 local
        (datetime(2026, 3, 27, 17, 25), 25, datetime(2026, 3, 30, 8, 50)),
    ],
)
def test_working_minutes(start: datetime, minutes: int, expected: datetime) -> None:
    result = HOURS.add(start.replace(tzinfo=AMSTERDAM), minutes)
    assert result == expected.replace(tzinfo=AMSTERDAM)
    assert result.utcoffset() == expected.replace(tzinfo=AMSTERDAM).utcoffset()


def test_a_long_timeout_spans_several_days() -> None:
    start = datetime(2026, 11, 24, 9, 0, tzinfo=AMSTERDAM)
    assert HOURS.add(start, 3 * 9 * 60) == datetime(2026, 11, 27, 9, 0, tzinfo=AMSTERDAM)


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        (datetime(2026, 11, 23, 8, 29, tzinfo=AMSTERDAM), False),  # Monday before opening
        (datetime(2026, 11, 23, 8, 30, tzinfo=AMSTERDAM), True),
        (datetime(2026, 11, 23, 17, 29, tzinfo=AMSTERDAM), True),
        (datetime(2026, 11, 23, 17, 30, tzinfo=AMSTERDAM), False),  # closing time is out
        (datetime(2026, 11, 28, 11, 0, tzinfo=AMSTERDAM), False),  # Saturday
    ],
)
def test_contains_is_the_working_day_on_workdays(moment: datetime, inside: bool) -> None:
    assert WorkingHours().contains(moment) is inside
