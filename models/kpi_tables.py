"""The KPI case facts: what each live case event means for the figures, kept up to date.

Why: recomputing the figures from the raw events needs, per aanmelding, the first kennismaking
and afsluiting after it (correlated look-ups over the whole log), which cannot reach the 1 s
target at 1,000,000 events. A fact row stores those derived moments once, as Amsterdam day
numbers (date.toordinal()), so every period's figures become a few GROUP BY day aggregates
(casework/kpi/maintained.py). Periods start and end at local midnights, so "moment < period
start" is exactly "day < start day".

Invariants:
- The facts of a case are a pure function of that case's live events (`case_facts`);
  `refresh_cases` replaces them whole, in the transaction that changed the events
  (casework/events.py calls it on every write, retraction and import).
- One fact row per live anchor event (aanmelding, afsluiting, wachtlijst_in, wachtlijst_uit,
  hbh_aanvraag, wat_telt_meting), deleted with it (ON DELETE CASCADE): erasure and retention
  remove whole cases, so their facts go with them.
- `irregular` rows are those a day histogram cannot count (a second aanmelding, afsluiting or
  wachtlijst_in of the same team and case, or a Wat Telt meting only after the episode closed);
  the reader evaluates them one by one. In real data they are a few percent.

This module lives in models/ (not casework/) because migration 0014 builds the facts for the
events already stored; it depends on nothing above models.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, SQLModel

from models.clock import AMSTERDAM
from models.outbox_redaction import rowcount
from models.tables import CaseEvent

OPEN_DAY = date.max.toordinal()  # prev_close_day of an earlier episode that never closed
UNKNOWN_MELDER = "onbekend"
_EVENTS: sa.Table = CaseEvent.__table__  # type: ignore[attr-defined]
_CHUNK = 500  # case numbers per refresh round trip (well under SQLite's variable limit)


class KpiCaseFact(SQLModel, table=True):
    """One live anchor event of a case with what the KPI figures need of it (see module)."""

    __tablename__ = "kpicasefact"
    __table_args__ = (
        Index("ix_kpicasefact_kind_irregular_day", "kind", "irregular", "day"),
        Index("ix_kpicasefact_kind_irregular_close_day", "kind", "irregular", "close_day"),
        Index("ix_kpicasefact_kind_irregular_measured_day", "kind", "irregular", "measured_day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("caseevent.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    case_ref: str = Field(index=True)
    team: str
    kind: str
    day: int  # local day of the event
    prev_day: int | None = None  # previous event of this kind, same team and case
    close_day: int | None = None  # first afsluiting (aanmelding) / wachtlijst_uit at or after
    prev_close_day: int | None = None  # latest close_day of the earlier ones (OPEN_DAY: open)
    measured_day: int | None = None  # aanmelding: max(day, first Wat Telt meting of the case)
    seconds: int | None = None  # to the first kennismaking / waited on the list
    grade: int | None = None
    zelfstandig: bool | None = None
    volgens_plan: bool | None = None
    label: str | None = None  # melder slug, or ';geld;wonen;' for a meting's leefgebieden
    irregular: bool = False


DAY_COLUMNS = (
    "started",  # regular aanmeldingen on this day
    "kennismaking_n",
    "kennismaking_seconds",
    "closed",  # regular aanmeldingen whose episode closed on this day
    "closed_measured",  # ... and whose case has a Wat Telt meting
    "measured",  # regular aanmeldingen whose max(day, first meting) is this day
    "afsluitingen",
    "zelfstandig_ja",
    "zelfstandig_n",
    "volgens_plan_ja",
    "cijfer_sum",
    "cijfer_n",
    "cijfer_onvoldoende",
    "wachtlijst_in",
    "wachtlijst_left",  # regular wachtlijst_in facts that left the list on this day
    "wachtlijst_uit_n",
    "wachtlijst_seconds",
    "hbh_aanvragen",
    "metingen",
)


class KpiDay(SQLModel, table=True):
    """The regular facts' sums per team and day: what the figures read (a few rows per team
    and day, however many events). Kept by adding each refresh's difference (an upsert that
    adds, so concurrent writers never lose an update); equal to summing `contributions` over
    the regular facts, which `rebuild_all` recomputes."""

    __tablename__ = "kpiday"
    team: str = Field(primary_key=True)
    day: int = Field(primary_key=True, index=True)
    started: int = 0
    kennismaking_n: int = 0
    kennismaking_seconds: int = 0
    closed: int = 0
    closed_measured: int = 0
    measured: int = 0
    afsluitingen: int = 0
    zelfstandig_ja: int = 0
    zelfstandig_n: int = 0
    volgens_plan_ja: int = 0
    cijfer_sum: int = 0
    cijfer_n: int = 0
    cijfer_onvoldoende: int = 0
    wachtlijst_in: int = 0
    wachtlijst_left: int = 0
    wachtlijst_uit_n: int = 0
    wachtlijst_seconds: int = 0
    hbh_aanvragen: int = 0
    metingen: int = 0


class KpiDayLabel(SQLModel, table=True):
    """Counts per team, day and label of the regular facts: kind 'melder' (gestart by melder)
    and 'leefgebied' (metingen scoring it); kept like KpiDay."""

    __tablename__ = "kpidaylabel"
    __table_args__ = (Index("ix_kpidaylabel_kind_day", "kind", "day", "team", "label", "n"),)
    kind: str = Field(primary_key=True)
    team: str = Field(primary_key=True)
    label: str = Field(primary_key=True)
    day: int = Field(primary_key=True)
    n: int = 0


FACTS: sa.Table = KpiCaseFact.__table__  # type: ignore[attr-defined]
DAYS: sa.Table = KpiDay.__table__  # type: ignore[attr-defined]
LABELS: sa.Table = KpiDayLabel.__table__  # type: ignore[attr-defined]
DayKey = tuple[str, int]
LabelKey = tuple[str, str, str, int]
_COLUMNS: tuple[str, ...] = ("id", "case_ref", "team", "kind", "occurred_at", "melder")
_COLUMNS += ("zelfstandig_verder", "volgens_plan", "rapportcijfer", "extra")


def local_day(moment: datetime) -> int:
    """The Amsterdam calendar day of an aware moment, as a day number."""
    return moment.astimezone(AMSTERDAM).date().toordinal()


def _seconds(later: datetime, earlier: datetime) -> int:
    return int(later.timestamp()) - int(earlier.timestamp())


def _first_at_or_after(moments: list[datetime], moment: datetime) -> datetime | None:
    index = bisect.bisect_left(moments, moment)
    return moments[index] if index < len(moments) else None


def case_facts(events: Sequence[Any]) -> list[dict[str, Any]]:
    """The fact rows of one case from its live events, sorted by (occurred_at, id).

    Mirrors casework/kpi/reference.py: look-ups (first afsluiting, kennismaking, meting,
    wachtlijst moments) use the events of every team of the case; de-duplication (one count
    per team and case) uses the same team's earlier events.
    """
    moments: dict[str, list[datetime]] = defaultdict(list)
    for event in events:
        moments[event.kind].append(event.occurred_at)
    metingen = moments.get("wat_telt_meting", [])
    first_meting = local_day(metingen[0]) if metingen else None
    last_day: dict[tuple[str, str], int] = {}
    latest_close: dict[tuple[str, str], int] = {}
    facts = []
    for e in events:
        if e.kind in ("kennismaking", "start_ondersteuning"):
            continue
        day = local_day(e.occurred_at)
        fact: dict[str, Any] = {"event_id": e.id, "case_ref": e.case_ref, "team": e.team}
        fact |= {"kind": e.kind, "day": day, "irregular": False}
        same = (e.team, e.kind)
        if e.kind in ("aanmelding", "afsluiting", "wachtlijst_in"):
            fact["prev_day"] = last_day.get(same)
            last_day[same] = day
        if e.kind in ("aanmelding", "wachtlijst_in"):
            until = "afsluiting" if e.kind == "aanmelding" else "wachtlijst_uit"
            closed = _first_at_or_after(moments.get(until, []), e.occurred_at)
            fact["close_day"] = local_day(closed) if closed else None
            fact["prev_close_day"] = latest_close.get(same)
            latest_close[same] = max(latest_close.get(same, 0), fact["close_day"] or OPEN_DAY)
        if e.kind == "aanmelding":
            _aanmelding(fact, e, moments, first_meting)
        elif e.kind == "afsluiting":
            fact |= {"grade": e.rapportcijfer, "zelfstandig": e.zelfstandig_verder}
            fact |= {"volgens_plan": e.volgens_plan, "irregular": fact["prev_day"] is not None}
        elif e.kind == "wachtlijst_in":
            fact["irregular"] = fact["prev_close_day"] is not None
        elif e.kind == "wachtlijst_uit":
            entered = moments.get("wachtlijst_in", [])
            before = bisect.bisect_right(entered, e.occurred_at)
            fact["seconds"] = _seconds(e.occurred_at, entered[before - 1]) if before else None
        elif e.kind == "wat_telt_meting":
            scores = json.loads(e.extra)["scores"] if e.extra else {}
            fact["label"] = ";" + "".join(f"{slug};" for slug in sorted(scores))
        facts.append(fact)
    return facts


def _aanmelding(
    fact: dict[str, Any], e: Any, moments: dict[str, list[datetime]], first_meting: int | None
) -> None:
    kennismaking = _first_at_or_after(moments.get("kennismaking", []), e.occurred_at)
    if kennismaking is not None:
        fact["seconds"] = _seconds(kennismaking, e.occurred_at)
    fact["label"] = e.melder or UNKNOWN_MELDER
    measured = None if first_meting is None else max(fact["day"], first_meting)
    fact["measured_day"] = measured
    closed = fact["close_day"]
    late_meting = measured is not None and closed is not None and measured > closed
    fact["irregular"] = fact["prev_day"] is not None or late_meting
    fact["irregular"] |= fact["prev_close_day"] is not None


def contributions(
    fact: Any, sign: int, days: dict[DayKey, Counter[str]], labels: Counter[LabelKey]
) -> None:
    """Add (sign 1) or take away (sign -1) what one regular fact adds to the day sums."""
    here = days[fact.team, fact.day]
    if fact.kind == "aanmelding":
        here["started"] += sign
        labels["melder", fact.team, fact.label, fact.day] += sign
        if fact.seconds is not None:
            here["kennismaking_n"] += sign
            here["kennismaking_seconds"] += sign * fact.seconds
        if fact.close_day is not None:
            closed = days[fact.team, fact.close_day]
            closed["closed"] += sign
            closed["closed_measured"] += sign * (fact.measured_day is not None)
        if fact.measured_day is not None:
            days[fact.team, fact.measured_day]["measured"] += sign
    elif fact.kind == "afsluiting":
        here["afsluitingen"] += sign
        here["zelfstandig_ja"] += sign * (fact.zelfstandig is True)
        here["zelfstandig_n"] += sign * (fact.zelfstandig is not None)
        here["volgens_plan_ja"] += sign * (fact.volgens_plan is True)
        if fact.grade is not None:
            here["cijfer_sum"] += sign * fact.grade
            here["cijfer_n"] += sign
            here["cijfer_onvoldoende"] += sign * (fact.grade < 6)
    elif fact.kind == "wachtlijst_in":
        here["wachtlijst_in"] += sign
        if fact.close_day is not None:
            days[fact.team, fact.close_day]["wachtlijst_left"] += sign
    elif fact.kind == "wachtlijst_uit" and fact.seconds is not None:
        here["wachtlijst_uit_n"] += sign
        here["wachtlijst_seconds"] += sign * fact.seconds
    elif fact.kind == "hbh_aanvraag":
        here["hbh_aanvragen"] += sign
    elif fact.kind == "wat_telt_meting":
        here["metingen"] += sign
        for slug in filter(None, (fact.label or "").split(";")):
            labels["leefgebied", fact.team, slug, fact.day] += sign


def _apply(connection: Any, days: dict[DayKey, Counter[str]], labels: Counter[LabelKey]) -> None:
    """Add the differences to the day sums: INSERT … ON CONFLICT DO UPDATE SET x = x + new.

    Rows go in key order, so two writers touching the same days lock them in the same order
    (no deadlock on PostgreSQL); the addition itself is atomic, so no update is lost.
    """
    bind = connection if isinstance(connection, sa.Connection) else connection.get_bind()
    module: Any = postgresql if bind.dialect.name == "postgresql" else sqlite
    day_rows = [
        {"team": team, "day": day, **{name: delta.get(name, 0) for name in DAY_COLUMNS}}
        for (team, day), delta in sorted(days.items())
        if any(delta.values())
    ]
    if day_rows:
        insert = module.insert(DAYS)
        added = {name: DAYS.c[name] + insert.excluded[name] for name in DAY_COLUMNS}
        statement = insert.on_conflict_do_update(index_elements=["team", "day"], set_=added)
        connection.execute(statement, day_rows)
    label_rows = [
        {"kind": kind, "team": team, "label": label, "day": day, "n": n}
        for (kind, team, label, day), n in sorted(labels.items())
        if n
    ]
    if label_rows:
        insert = module.insert(LABELS)
        keys = ["kind", "team", "label", "day"]
        set_ = {"n": LABELS.c.n + insert.excluded.n}
        connection.execute(insert.on_conflict_do_update(index_elements=keys, set_=set_), label_rows)


def refresh_cases(connection: sa.Connection | Any, case_refs: Iterable[str]) -> int:
    """Replace the facts of these cases by those of their live events; returns rows written.

    `connection` is a Connection or a Session (both `execute`); the caller's transaction is
    used, so the facts commit (or roll back) with the events that changed them.
    """
    refs = sorted(set(case_refs))
    c = _EVENTS.c
    written = 0
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start : start + _CHUNK]
        days: dict[DayKey, Counter[str]] = defaultdict(Counter)
        labels: Counter[LabelKey] = Counter()
        old = sa.and_(FACTS.c.case_ref.in_(chunk), FACTS.c.irregular.is_(False))
        for fact in connection.execute(sa.select(FACTS).where(old)):
            contributions(fact, -1, days, labels)
        connection.execute(sa.delete(FACTS).where(FACTS.c.case_ref.in_(chunk)))
        query = (
            sa.select(*(c[name] for name in _COLUMNS))
            .where(c.case_ref.in_(chunk), c.retracted_at.is_(None))
            .order_by(c.case_ref, c.occurred_at, c.id)
        )
        facts = _insert(connection, list(connection.execute(query)))
        for fact in facts:
            if not fact["irregular"]:
                contributions(_Fact(fact), 1, days, labels)
        _apply(connection, days, labels)
        written += len(facts)
    return written


def forget_cases(connection: sa.Connection | Any, case_refs: Iterable[str]) -> int:
    """Take these cases out of the facts and the day sums, before their events are deleted
    (erasure, retention: models/erasure.py, models/retention.py). It must run first: deleting
    the events cascades to the facts, and then their share of the day sums could not be
    subtracted any more. Returns the facts removed."""
    refs = sorted(set(case_refs))
    removed = 0
    for start in range(0, len(refs), _CHUNK):
        chunk = refs[start : start + _CHUNK]
        days: dict[DayKey, Counter[str]] = defaultdict(Counter)
        labels: Counter[LabelKey] = Counter()
        mine = FACTS.c.case_ref.in_(chunk)
        for fact in connection.execute(sa.select(FACTS).where(mine, FACTS.c.irregular.is_(False))):
            contributions(fact, -1, days, labels)
        removed += rowcount(connection.execute(sa.delete(FACTS).where(mine)))
        _apply(connection, days, labels)
    return removed


def rebuild_all(connection: sa.Connection | Any) -> int:
    """Rebuild every fact from the event log (migration 0014, `vraagbaak kpi --rebuild`)."""
    for table in (FACTS, DAYS, LABELS):
        connection.execute(sa.delete(table))
    refs = connection.execute(sa.select(_EVENTS.c.case_ref).distinct()).scalars().all()
    return refresh_cases(connection, refs)


class _Fact:
    """A fact dict read as attributes, like a fetched row (for `contributions`)."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(dict.fromkeys(FACTS.c.keys()), **values)


def _insert(connection: Any, events: list[Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    start = 0
    for index in range(1, len(events) + 1):
        if index == len(events) or events[index].case_ref != events[start].case_ref:
            rows.extend(case_facts(events[start:index]))
            start = index
    if rows:
        keys = {key for row in rows for key in row}
        connection.execute(sa.insert(FACTS), [{k: row.get(k) for k in keys} for row in rows])
    return rows
