"""Reporting periods (Amsterdam midnights, half-open) and the final division and rounding."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

import pytest

from casework.kpi.cases import CaseTally
from casework.kpi.engine import CaseFigures
from casework.kpi.periods import Period, parse_quarter, period_of, periods_between
from models.clock import AMSTERDAM


@pytest.mark.parametrize(
    ("label", "start_utc", "end_utc"),
    [
        # winter time on both sides: midnight Amsterdam is 23:00 UTC the day before
        ("2017-Q1", datetime(2016, 12, 31, 23, tzinfo=UTC), datetime(2017, 3, 31, 22, tzinfo=UTC)),
        # summer time: 22:00 UTC
        ("2017-Q2", datetime(2017, 3, 31, 22, tzinfo=UTC), datetime(2017, 6, 30, 22, tzinfo=UTC)),
        ("2017q4", datetime(2017, 9, 30, 22, tzinfo=UTC), datetime(2017, 12, 31, 23, tzinfo=UTC)),
    ],
)
def test_a_quarter_runs_from_local_midnight_to_local_midnight(
    label: str, start_utc: datetime, end_utc: datetime
) -> None:
    period = parse_quarter(label)
    assert (period.start, period.end) == (start_utc, end_utc)
    assert period.contains(start_utc) and not period.contains(end_utc)


def test_an_unknown_quarter_is_refused_in_dutch() -> None:
    with pytest.raises(ValueError, match="onbekend kwartaal"):
        parse_quarter("2017-Q5")


@pytest.mark.parametrize(
    ("day", "granularity", "label", "first_day", "days"),
    [
        (date(2017, 3, 29), "week", "2017-W13", date(2017, 3, 27), 7),  # the DST week
        (date(2017, 1, 1), "week", "2016-W52", date(2016, 12, 26), 7),  # ISO year differs
        (date(2017, 2, 14), "month", "2017-02", date(2017, 2, 1), 28),
        (date(2017, 12, 31), "month", "2017-12", date(2017, 12, 1), 31),
        (date(2017, 8, 15), "quarter", "2017-Q3", date(2017, 7, 1), 92),
    ],
)
def test_period_of_a_day(
    day: date, granularity: str, label: str, first_day: date, days: int
) -> None:
    period = period_of(day, granularity)  # type: ignore[arg-type]
    assert period.label == label
    assert period.start == datetime.combine(first_day, datetime.min.time(), tzinfo=AMSTERDAM)
    assert (period.end.date() - period.start.date()).days == days


def test_periods_between_cover_both_ends() -> None:
    months = periods_between(date(2017, 1, 15), date(2017, 3, 1), "month")
    assert [p.label for p in months] == ["2017-01", "2017-02", "2017-03"]
    assert all(a.end == b.start for a, b in zip(months, months[1:], strict=False))
    with pytest.raises(ValueError):
        periods_between(date(2017, 3, 1), date(2017, 1, 1), "month")


def test_a_period_needs_aware_ordered_moments() -> None:
    with pytest.raises(ValueError):
        Period(datetime(2017, 1, 1), datetime(2017, 2, 1), "naive")


DAY = 86400


@pytest.mark.parametrize(
    ("tally", "figure", "expected"),
    [
        # no kennismaking at all: no mean, not zero
        (CaseTally(), "gem_tijd_dagen", None),
        # 1.75 days is exact in binary: Python rounds half to even -> 1.8
        (CaseTally(kennismaking_n=2, kennismaking_seconds=int(3.5 * DAY)), "gem_tijd_dagen", 1.8),
        # 1.25 days -> 1.2 (half to even), the same on every store
        (CaseTally(kennismaking_n=4, kennismaking_seconds=5 * DAY), "gem_tijd_dagen", 1.2),
        # a third of a day, not integer division
        (CaseTally(kennismaking_n=3, kennismaking_seconds=DAY), "gem_tijd_dagen", 0.3),
        (CaseTally(wachtlijst_uit_n=2, wachtlijst_seconds=21 * DAY), "wachtlijst_gem_dagen", 10.5),
    ],
)
def test_means_are_divided_and_rounded_in_python(
    tally: CaseTally, figure: str, expected: float | None
) -> None:
    assert getattr(CaseFigures.from_tally(tally), figure) == expected


def test_shares_grades_and_rankings_from_a_tally() -> None:
    figures = CaseFigures.from_tally(
        CaseTally(
            lopend=7,
            wat_telt_gemeten=3,
            afsluitingen=816,
            zelfstandig_ja=715,
            zelfstandig_n=816,
            cijfer_sum=6490,
            cijfer_n=854,
            cijfer_onvoldoende=16,
            leefgebieden=Counter({"wonen": 2, "geld": 5, "werk": 2, "zingeving": 1}),
            melder=Counter({"overig": 3, "zelfmelder": 9, "familie": 3}),
        )
    )
    assert figures.zelfstandig_verder.pct == 87.6  # the seeds' 88% in Q3 2019
    assert figures.wat_telt.pct == 42.9
    assert figures.rapportcijfer.mean == 7.6 and figures.rapportcijfer.onvoldoende_pct == 1.9
    assert figures.top_leefgebieden == (("geld", 5), ("werk", 2), ("wonen", 2))
    assert list(figures.melder) == ["zelfmelder", "familie", "overig"]
    assert figures.volgens_plan.pct == 0.0
