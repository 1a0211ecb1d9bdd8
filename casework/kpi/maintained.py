"""The case tallies from the maintained case facts (models/kpi_tables.py), not the event log.

Why: the recomputation (casework/kpi/cases.py) needs correlated look-ups per aanmelding over
the whole log; the facts already hold those moments as day numbers, so each figure here is a
GROUP BY (team, day) over one kind of fact and, per period, a difference of prefix sums:
- gestart, melder, kennismaking, afsluitingen, HbH, metingen, leefgebieden, wachtlijst_uit:
  facts with their day in [start, end);
- lopend: opened before the end minus closed before the start (closed >= opened);
- Wat Telt gemeten: measured (max of opened and first meting) before the end minus closed
  before the start (regular facts have their meting no later than their close);
- wachtlijst stand: on the list before the end minus left before the end.
Facts marked irregular (see models/kpi_tables.py) are read row by row and counted with the
definitions themselves. Invariant: equal to `case_tallies` (and reference.py) for periods
that start and end at Amsterdam midnights; for any other period `maintained_tallies` returns
None and the caller recomputes.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.kpi.cases import CaseTally, Tallies
from casework.kpi.irregular import count_irregular
from casework.kpi.periods import Period
from knowledge.taxonomy import slugs
from models.clock import AMSTERDAM
from models.kpi_tables import FACTS, local_day

Bounds = list[tuple[int, int]]  # per period: first day, day after the last


def day_bounds(periods: Sequence[Period]) -> Bounds | None:
    """Each period as day numbers, or None when one does not start and end at midnight."""
    bounds = []
    for period in periods:
        for moment in (period.start, period.end):
            local = moment.astimezone(AMSTERDAM)
            if (local.hour, local.minute, local.second, local.microsecond) != (0, 0, 0, 0):
                return None
        bounds.append((local_day(period.start), local_day(period.end)))
    return bounds


class Series:
    """Running totals of some sums per day, for range sums over [low, high) days."""

    def __init__(self, rows: list[tuple[int, tuple[int, ...]]], width: int) -> None:
        rows.sort(key=lambda row: row[0])
        self.days = [day for day, _ in rows]
        self.totals: list[tuple[int, ...]] = [(0,) * width]
        for _, values in rows:
            last = self.totals[-1]
            self.totals.append(tuple(a + int(b or 0) for a, b in zip(last, values, strict=True)))

    def between(self, low: int | None, high: int) -> tuple[int, ...]:
        upper = self.totals[bisect.bisect_left(self.days, high)]
        if low is None:
            return upper
        lower = self.totals[bisect.bisect_left(self.days, low)]
        return tuple(a - b for a, b in zip(upper, lower, strict=True))


SeriesMap = dict[tuple[str, ...], Series]


def _series(
    session: Session, kind: str, day: sa.ColumnElement[Any], sums: Sequence[Any], *keys: Any
) -> SeriesMap:
    """Sums per (team, *keys) and day over the regular facts of one kind."""
    c = FACTS.c
    query = (
        sa.select(c.team, *keys, day, *sums)
        .where(c.kind == kind, c.irregular.is_(False), day.is_not(None))
        .group_by(c.team, *keys, day)
    )
    grouped: dict[tuple[str, ...], list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    width = len(keys) + 1
    for row in session.execute(query):
        grouped[tuple(row[:width])].append((row[width], tuple(row[width + 1 :])))
    return {key: Series(rows, len(sums)) for key, rows in grouped.items()}


def _count() -> Any:
    return sa.func.count()


def _ones(condition: sa.ColumnElement[bool]) -> Any:
    return sa.func.sum(sa.case((condition, 1), else_=0))


def maintained_tallies(session: Session, periods: Sequence[Period]) -> Tallies | None:
    """Raw numbers per (index into `periods`, team), from the facts; see the module."""
    bounds = day_bounds(periods)
    if bounds is None:
        return None
    tallies: Tallies = defaultdict(CaseTally)
    _aanmeldingen(session, bounds, tallies)
    _afsluitingen(session, bounds, tallies)
    _wachtlijst(session, bounds, tallies)
    _in_period(session, bounds, tallies)
    count_irregular(session, bounds, tallies)
    return {key: tally for key, tally in tallies.items() if tally != CaseTally()}


def _aanmeldingen(session: Session, bounds: Bounds, tallies: Tallies) -> None:
    c = FACTS.c
    sums = [_count(), sa.func.count(c.seconds), sa.func.sum(c.seconds)]
    started = _series(session, "aanmelding", c.day, sums, c.label)
    closed = _series(session, "aanmelding", c.close_day, [_count(), sa.func.count(c.measured_day)])
    measured = _series(session, "aanmelding", c.measured_day, [_count()])
    for idx, (low, high) in enumerate(bounds):
        for (team, melder), series in started.items():
            n, kennismaking_n, seconds = series.between(low, high)
            if n:
                t = tallies[idx, team]
                t.gestart += n
                t.melder[melder] += n
                t.kennismaking_n += kennismaking_n
                t.kennismaking_seconds += seconds
            opened = series.between(None, high)[0]
            if opened:
                tallies[idx, team].lopend += opened
        for (team,), series in closed.items():
            ended, ended_measured = series.between(None, low)
            if ended:
                tallies[idx, team].lopend -= ended
                tallies[idx, team].wat_telt_gemeten -= ended_measured
        for (team,), series in measured.items():
            if gemeten := series.between(None, high)[0]:
                tallies[idx, team].wat_telt_gemeten += gemeten


def _afsluitingen(session: Session, bounds: Bounds, tallies: Tallies) -> None:
    c = FACTS.c
    sums = [
        _count(),
        _ones(c.zelfstandig.is_(True)),
        sa.func.count(c.zelfstandig),
        _ones(c.volgens_plan.is_(True)),
        sa.func.sum(c.grade),
        sa.func.count(c.grade),
        _ones(c.grade < 6),
    ]
    names: tuple[str, ...] = ("afsluitingen", "zelfstandig_ja", "zelfstandig_n")
    names += ("volgens_plan_ja", "cijfer_sum", "cijfer_n", "cijfer_onvoldoende")
    closed = _series(session, "afsluiting", c.day, sums)
    for idx, (low, high) in enumerate(bounds):
        for (team,), series in closed.items():
            values = series.between(low, high)
            if values[0]:
                t = tallies[idx, team]
                t.afgesloten += values[0]  # regular: the first afsluiting of its team and case
                for name, value in zip(names, values, strict=True):
                    setattr(t, name, getattr(t, name) + value)


def _wachtlijst(session: Session, bounds: Bounds, tallies: Tallies) -> None:
    c = FACTS.c
    entered = _series(session, "wachtlijst_in", c.day, [_count()])
    left = _series(session, "wachtlijst_in", c.close_day, [_count()])
    waited = _series(
        session, "wachtlijst_uit", c.day, [sa.func.count(c.seconds), sa.func.sum(c.seconds)]
    )
    for idx, (low, high) in enumerate(bounds):
        for (team,), series in entered.items():
            on_list = series.between(None, high)[0]
            gone = left[(team,)].between(None, high)[0] if (team,) in left else 0
            if on_list - gone:
                tallies[idx, team].wachtlijst_stand += on_list - gone
        for (team,), series in waited.items():
            n, seconds = series.between(low, high)
            if n:
                tallies[idx, team].wachtlijst_uit_n += n
                tallies[idx, team].wachtlijst_seconds += seconds


def _in_period(session: Session, bounds: Bounds, tallies: Tallies) -> None:
    c = FACTS.c
    hbh = _series(session, "hbh_aanvraag", c.day, [_count()])
    names = slugs()
    scored = [_ones(c.label.contains(f";{slug};", autoescape=True)) for slug in names]
    metingen = _series(session, "wat_telt_meting", c.day, [_count(), *scored])
    for idx, (low, high) in enumerate(bounds):
        for (team,), series in hbh.items():
            if n := series.between(low, high)[0]:
                tallies[idx, team].hbh_aanvragen += n
        for (team,), series in metingen.items():
            n, *per_slug = series.between(low, high)
            if n:
                t = tallies[idx, team]
                t.metingen += n
                t.leefgebieden.update({s: k for s, k in zip(names, per_slug, strict=True) if k})
