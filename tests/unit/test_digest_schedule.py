"""Schedule maths and what people type for /cijfers: pure functions, a fixed 'now'."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from casework.digest_schedule import (
    DigestInputError,
    Schedule,
    last_due,
    parse_period,
    parse_time,
    parse_weekday,
    period_due,
    period_from_key,
    split_team_and_period,
)
from models.clock import AMSTERDAM
from models.errors import Why

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)  # Tuesday of week 48
MONDAY_0830 = Schedule("Zuilen", 0, time(8, 30), "Europe/Amsterdam", "C1")


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("", "2026-W47"),  # default: the last full week
        ("vorige week", "2026-W47"),
        ("deze week", "2026-W48"),
        ("2026-W47", "2026-W47"),
        ("2026-w5", "2026-W05"),
        ("week 12", "2026-W12"),
        ("november", "2026-11"),  # the current month has begun
        ("december", "2025-12"),  # not yet begun this year: last year's
        ("dec 2026", "2026-12"),
        ("2026-11", "2026-11"),
        ("Q3", "2026-Q3"),
        ("q4", "2026-Q4"),
        ("2025-Q1", "2025-Q1"),
        ("vorig kwartaal", "2026-Q3"),
        ("vorige maand", "2026-10"),
    ],
)
def test_periods_as_people_write_them(text: str, label: str) -> None:
    assert parse_period(text, NOW).label == label


@pytest.mark.parametrize("text", ["gisteren", "2026-13", "week 60", "Q5"])
def test_unknown_periods_get_a_dutch_explanation(text: str) -> None:
    with pytest.raises(DigestInputError) as error:
        parse_period(text, NOW)
    assert error.value.why in (Why.UNKNOWN_PERIOD, Why.NO_SUCH_WEEK)


@pytest.mark.parametrize(
    ("text", "team", "label"),
    [
        ("Overvecht Centrum vorige week", "Overvecht Centrum", "2026-W47"),
        ("Zuilen november", "Zuilen", "2026-11"),
        ("Kanaleneiland Noord", "Kanaleneiland Noord", "2026-W47"),  # "noord" is no month
        ("2026-Q3", "", "2026-Q3"),
        ("West 2026-W40", "West", "2026-W40"),
        ("", "", "2026-W47"),
    ],
)
def test_team_and_period_are_split_from_the_end(text: str, team: str, label: str) -> None:
    found_team, period = split_team_and_period(text, NOW)
    assert (found_team, period.label) == (team, label)


def test_weekdays_and_times_in_dutch() -> None:
    assert [parse_weekday(d) for d in ("maandag", "Di", "woens", "zondag")] == [0, 1, 2, 6]
    assert [parse_time(t) for t in ("09:00", "9.30", "8u", "17")] == [
        time(9),
        time(9, 30),
        time(8),
        time(17),
    ]
    for bad_day in ("morgen", "m"):
        with pytest.raises(DigestInputError, match=Why.NOT_A_DAY):
            parse_weekday(bad_day)
    for bad_time in ("25:00", "9:75", "half tien"):
        with pytest.raises(DigestInputError, match=Why.NOT_A_TIME):
            parse_time(bad_time)


def test_the_digest_due_is_the_last_scheduled_moment_and_covers_the_week_before() -> None:
    due = last_due(MONDAY_0830, NOW)
    assert due == datetime(2026, 11, 23, 8, 30, tzinfo=AMSTERDAM)
    assert period_due(due).label == "2026-W47"
    # at the very moment it is due, it is that moment; a minute before, the week before
    exactly = datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)
    assert last_due(MONDAY_0830, exactly) == exactly
    assert period_due(last_due(MONDAY_0830, exactly.replace(minute=29))).label == "2026-W47"


def test_local_time_holds_across_the_dst_change() -> None:
    # Monday 30 March 2026 is the first Monday of summer time: 08:30 is then 06:30 UTC
    after = datetime(2026, 3, 30, 12, 0, tzinfo=AMSTERDAM)
    due = last_due(MONDAY_0830, after)
    assert (due.hour, due.minute, due.utcoffset().total_seconds()) == (8, 30, 7200)  # type: ignore[union-attr]
    assert period_due(due).label == "2026-W13"


def test_period_keys_round_trip() -> None:
    for key in ("2026-W47", "2026-11", "2026-Q3", "2020-W53"):
        assert period_from_key(key).label == key
