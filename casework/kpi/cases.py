"""The case figures (kpi_definitions.md) as SQL aggregations per period and team.

Each query returns whole numbers per (period, team) — counts and sums of epoch seconds — that
add up across teams; `casework.kpi.engine` turns them into means and percentages. Invariant: a case
belongs to the team its events name (KTSD registers a transfer as a new case), so the city's
figures are the sums of the teams' tallies.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.kpi.periods import Period
from casework.kpi.sql import (
    EVENTS,
    count_true,
    epoch_seconds,
    first_after,
    last_before,
    live,
    of_kind,
    periods_cte,
    total,
    within,
)
from knowledge.taxonomy import slugs
from models.kpi_tables import CLOSURE_SUMS, UNKNOWN_MELDER


@dataclass
class CaseTally:
    """Additive raw numbers of one team (or the city) in one period."""

    gestart: int = 0
    lopend: int = 0
    afgesloten: int = 0
    kennismaking_n: int = 0
    kennismaking_seconds: int = 0
    wachtlijst_stand: int = 0
    wachtlijst_uit_n: int = 0
    wachtlijst_seconds: int = 0
    afsluitingen: int = 0
    zelfstandig_ja: int = 0
    zelfstandig_n: int = 0
    volgens_plan_ja: int = 0
    cijfer_sum: int = 0
    cijfer_n: int = 0
    cijfer_onvoldoende: int = 0
    wat_telt_gemeten: int = 0
    metingen: int = 0
    hbh_aanvragen: int = 0
    leefgebieden: Counter[str] = field(default_factory=Counter)
    melder: Counter[str] = field(default_factory=Counter)

    def add(self, other: CaseTally) -> None:
        for item in fields(self):
            mine = getattr(self, item.name)
            if isinstance(mine, Counter):
                mine.update(getattr(other, item.name))
            else:
                setattr(self, item.name, mine + getattr(other, item.name))


Tallies = dict[tuple[int, str], CaseTally]


def _tally(tallies: Tallies, idx: int, team: str) -> CaseTally:
    return tallies.setdefault((idx, team), CaseTally())


def _store(tallies: Tallies, rows: Any, names: Sequence[str]) -> None:
    for row in rows:
        tally = _tally(tallies, row.idx, row.team)
        for name in names:
            setattr(tally, name, int(getattr(row, name) or 0))


def _started(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    """gestart, and the time from aanmelding to the first kennismaking after it."""
    a = EVENTS.alias("a")
    kennismaking = first_after(a, "kennismaking")
    wait = (epoch_seconds(kennismaking) - epoch_seconds(a.c.occurred_at)).label("wait")
    started = (
        sa.select(periods.c.idx, a.c.team, a.c.case_ref, wait)
        .select_from(a.join(periods, within(a.c.occurred_at, periods)))
        .where(of_kind(a, "aanmelding"))
        .subquery()
    )
    query = sa.select(
        started.c.idx,
        started.c.team,
        sa.func.count(sa.distinct(started.c.case_ref)).label("gestart"),
        sa.func.count(started.c.wait).label("kennismaking_n"),
        total(started.c.wait).label("kennismaking_seconds"),
    ).group_by(started.c.idx, started.c.team)
    _store(tallies, session.execute(query), ("gestart", "kennismaking_n", "kennismaking_seconds"))


def _melders(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    a = EVENTS.alias("a")
    melder = sa.func.coalesce(a.c.melder, UNKNOWN_MELDER).label("melder")
    query = (
        sa.select(periods.c.idx, a.c.team, melder, sa.func.count(sa.distinct(a.c.case_ref)))
        .select_from(a.join(periods, within(a.c.occurred_at, periods)))
        .where(of_kind(a, "aanmelding"))
        .group_by(periods.c.idx, a.c.team, melder)
    )
    for idx, team, name, count in session.execute(query):
        _tally(tallies, idx, team).melder[name] += count


def _running(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    """lopend (an episode from aanmelding to the first afsluiting after it overlaps the
    period) and how many of those have a Wat Telt meting before the period ends.

    The episodes are computed once (materialised) and then compared with every period, so a
    year of weeks costs one pass over the cases, not one per week.
    """
    a = EVENTS.alias("a")
    meting = EVENTS.alias("m")
    first_meting = (
        sa.select(sa.func.min(meting.c.occurred_at))
        .where(meting.c.case_ref == a.c.case_ref, of_kind(meting, "wat_telt_meting"))
        .scalar_subquery()
    )
    episodes = (
        sa.select(
            a.c.team,
            a.c.case_ref,
            a.c.occurred_at.label("opened"),
            first_after(a, "afsluiting").label("closed"),
            first_meting.label("measured"),
        )
        .where(of_kind(a, "aanmelding"))
        .cte("episodes")
        .prefix_with("MATERIALIZED")
    )
    overlaps = sa.and_(
        episodes.c.opened < periods.c.end,
        sa.or_(episodes.c.closed.is_(None), episodes.c.closed >= periods.c.start),
    )
    measured = sa.case((episodes.c.measured < periods.c.end, episodes.c.case_ref))
    query = (
        sa.select(
            periods.c.idx,
            episodes.c.team,
            sa.func.count(sa.distinct(episodes.c.case_ref)).label("lopend"),
            sa.func.count(sa.distinct(measured)).label("wat_telt_gemeten"),
        )
        .select_from(episodes.join(periods, overlaps))
        .group_by(periods.c.idx, episodes.c.team)
    )
    _store(tallies, session.execute(query), ("lopend", "wat_telt_gemeten"))


def _closed(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    f = EVENTS.alias("f")
    grade = f.c.rapportcijfer
    query = (
        sa.select(
            periods.c.idx,
            f.c.team,
            sa.func.count(sa.distinct(f.c.case_ref)).label("afgesloten"),
            sa.func.count().label("afsluitingen"),
            count_true(f.c.zelfstandig_verder).label("zelfstandig_ja"),
            sa.func.count(f.c.zelfstandig_verder).label("zelfstandig_n"),
            count_true(f.c.volgens_plan).label("volgens_plan_ja"),
            total(grade).label("cijfer_sum"),
            sa.func.count(grade).label("cijfer_n"),
            total(sa.case((grade < 6, 1), else_=0)).label("cijfer_onvoldoende"),
        )
        .select_from(f.join(periods, within(f.c.occurred_at, periods)))
        .where(of_kind(f, "afsluiting"))
        .group_by(periods.c.idx, f.c.team)
    )
    _store(tallies, session.execute(query), ("afgesloten", *CLOSURE_SUMS))


def _waiting_list(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    """Stand at period end, and days waited by those who left the list in the period."""
    w = EVENTS.alias("w")
    stays = (
        sa.select(
            w.c.team,
            w.c.case_ref,
            w.c.occurred_at.label("entered"),
            first_after(w, "wachtlijst_uit").label("left"),
        )
        .where(of_kind(w, "wachtlijst_in"))
        .cte("stays")
        .prefix_with("MATERIALIZED")
    )
    on_list = sa.and_(
        stays.c.entered < periods.c.end,
        sa.or_(stays.c.left.is_(None), stays.c.left >= periods.c.end),
    )
    stand = (
        sa.select(
            periods.c.idx,
            stays.c.team,
            sa.func.count(sa.distinct(stays.c.case_ref)).label("wachtlijst_stand"),
        )
        .select_from(stays.join(periods, on_list))
        .group_by(periods.c.idx, stays.c.team)
    )
    _store(tallies, session.execute(stand), ("wachtlijst_stand",))
    u = EVENTS.alias("u")
    waited = epoch_seconds(u.c.occurred_at) - epoch_seconds(last_before(u, "wachtlijst_in"))
    waits = (
        sa.select(periods.c.idx, u.c.team, waited.label("waited"))
        .select_from(u.join(periods, within(u.c.occurred_at, periods)))
        .where(of_kind(u, "wachtlijst_uit"))
        .subquery()
    )
    query = sa.select(
        waits.c.idx,
        waits.c.team,
        sa.func.count(waits.c.waited).label("wachtlijst_uit_n"),
        total(waits.c.waited).label("wachtlijst_seconds"),
    ).group_by(waits.c.idx, waits.c.team)
    _store(tallies, session.execute(query), ("wachtlijst_uit_n", "wachtlijst_seconds"))


def _events_in_period(session: Session, periods: sa.CTE, tallies: Tallies) -> None:
    """HbH aanvragen, and how often each leefgebied was scored in the period's metingen.

    Scores are canonical JSON (`{"scores":{"geld":8,…}}`), so a key test is a plain LIKE and
    works unchanged on both stores.
    """
    e = EVENTS.alias("e")
    is_meting = e.c.kind == "wat_telt_meting"
    columns = [
        total(sa.case((e.c.kind == "hbh_aanvraag", 1), else_=0)).label("hbh_aanvragen"),
        total(sa.case((is_meting, 1), else_=0)).label("metingen"),
    ]
    for slug in slugs():
        scored = sa.and_(is_meting, e.c.extra.contains(f'"{slug}":', autoescape=True))
        columns.append(total(sa.case((scored, 1), else_=0)).label(f"lg_{slug}"))
    query = (
        sa.select(periods.c.idx, e.c.team, *columns)
        .select_from(e.join(periods, within(e.c.occurred_at, periods)))
        .where(e.c.kind.in_(["hbh_aanvraag", "wat_telt_meting"]), live(e))
        .group_by(periods.c.idx, e.c.team)
    )
    for row in session.execute(query):
        tally = _tally(tallies, row.idx, row.team)
        tally.hbh_aanvragen = int(row.hbh_aanvragen)
        tally.metingen = int(row.metingen)
        for slug in slugs():
            if count := int(row._mapping[f"lg_{slug}"]):
                tally.leefgebieden[slug] = count


def case_tallies(session: Session, periods: Sequence[Period]) -> Tallies:
    """Raw numbers per (index into `periods`, team), computed by the database."""
    if not periods:
        return {}
    tallies: Tallies = {}
    cte = periods_cte(periods)
    for step in (_started, _melders, _running, _closed, _waiting_list, _events_in_period):
        step(session, cte, tallies)
    return tallies
