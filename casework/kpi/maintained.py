"""The case tallies from the maintained day sums (models/kpi_tables.py), not the event log.

Why: the recomputation (casework/kpi/cases.py) needs correlated look-ups per aanmelding over
the whole log; the case facts hold those moments as day numbers and their sums per team and
day are kept with every write, so reading costs a few rows per team and day, however many
events there are. Per period each figure is a difference of running totals over days:
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
from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from casework.kpi.cases import CaseTally, Tallies
from casework.kpi.irregular import count_irregular
from casework.kpi.periods import Period
from models.clock import AMSTERDAM
from models.kpi_tables import CLOSURE_SUMS, DAY_COLUMNS, DAYS, LABELS, local_day

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


def _stretch_sums(
    session: Session,
    table: sa.Table,
    keys: Sequence[sa.ColumnElement[Any]],
    sums: Sequence[sa.ColumnElement[Any]],
    where: sa.ColumnElement[bool],
    edges: list[int],
) -> SeriesMap:
    """Sums per keys and stretch between consecutive period boundaries, as running totals.

    The database adds up the days of each stretch, so only (stretches x keys) rows come back:
    on PostgreSQL by width_bucket, on SQLite by one index range scan per stretch. A Series is
    keyed by each stretch's first day, so "before a boundary" is exact.
    """
    day = table.c.day
    wanted = sa.and_(where, day < edges[-1])
    if session.get_bind().dialect.name == "postgresql":
        bucket: Any = sa.func.width_bucket(day, postgresql.array(edges))
        query = sa.select(bucket, *keys, *sums).where(wanted)
    else:
        stretches = sa.union_all(
            *(
                sa.select(
                    sa.literal(i).label("bucket"),
                    sa.literal(lo).label("lo"),
                    sa.literal(hi).label("hi"),
                )
                for i, (lo, hi) in enumerate(zip([0, *edges], edges, strict=False))
            )
        ).cte("stretches")
        inside = sa.and_(wanted, day >= stretches.c.lo, day < stretches.c.hi)
        bucket = stretches.c.bucket
        query = sa.select(bucket, *keys, *sums).select_from(stretches.join(table, inside))
    starts = [0, *edges]
    grouped: dict[tuple[str, ...], list[tuple[int, tuple[int, ...]]]] = defaultdict(list)
    width = len(keys) + 1
    for row in session.execute(query.group_by(bucket, *keys)):
        grouped[tuple(row[1:width])].append((starts[row[0]], tuple(row[width:])))
    return {key: Series(rows, len(sums)) for key, rows in grouped.items()}


def maintained_tallies(session: Session, periods: Sequence[Period]) -> Tallies | None:
    """Raw numbers per (index into `periods`, team), from the maintained sums; see the module."""
    bounds = day_bounds(periods)
    if bounds is None:
        return None
    if not bounds:
        return {}
    edges = sorted({edge for pair in bounds for edge in pair})
    tallies: Tallies = defaultdict(CaseTally)
    sums = [sa.func.sum(DAYS.c[name]) for name in DAY_COLUMNS]
    days = _stretch_sums(session, DAYS, [DAYS.c.team], sums, sa.true(), edges)
    for idx, (low, high) in enumerate(bounds):
        for (team,), series in days.items():
            _add_days(tallies[idx, team], series, low, high)
    for kind in ("melder", "leefgebied"):
        keys, count = [LABELS.c.team, LABELS.c.label], [sa.func.sum(LABELS.c.n)]
        found = _stretch_sums(session, LABELS, keys, count, LABELS.c.kind == kind, edges)
        for (team, label), series in found.items():
            for idx, (low, high) in enumerate(bounds):
                if n := series.between(low, high)[0]:
                    counter = (
                        tallies[idx, team].melder
                        if kind == "melder"
                        else tallies[idx, team].leefgebieden
                    )
                    counter[label] += n
    count_irregular(session, bounds, tallies)
    return {key: tally for key, tally in tallies.items() if tally != CaseTally()}


_IN_PERIOD = (
    "kennismaking_n",
    "kennismaking_seconds",
    *CLOSURE_SUMS,
    "wachtlijst_uit_n",
    "wachtlijst_seconds",
    "hbh_aanvragen",
    "metingen",
)


def _add_days(t: CaseTally, series: Series, low: int, high: int) -> None:
    """One team's regular part of one period, by the identities in the module docstring."""
    inside = dict(zip(DAY_COLUMNS, series.between(low, high), strict=True))
    before_end = dict(zip(DAY_COLUMNS, series.between(None, high), strict=True))
    before_start = dict(zip(DAY_COLUMNS, series.between(None, low), strict=True))
    t.gestart += inside["started"]
    t.afgesloten += inside["afsluitingen"]  # regular: the first of its team and case
    for name in _IN_PERIOD:
        setattr(t, name, getattr(t, name) + inside[name])
    t.lopend += before_end["started"] - before_start["closed"]
    t.wat_telt_gemeten += before_end["measured"] - before_start["closed_measured"]
    t.wachtlijst_stand += before_end["wachtlijst_in"] - before_end["wachtlijst_left"]
