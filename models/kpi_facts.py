"""Computing and refreshing the KPI case facts (models/kpi_tables.py says what they are).

Why here: migration 0014 builds the facts for the events already stored, and casework/events.py
refreshes them in the transaction that writes events; both need this below casework/.

Invariants: `case_facts` is a pure function of a case's live events; `refresh_cases` and
`forget_cases` change the day sums by exactly the difference they make to the regular facts.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from models.kpi_tables import (
    DAY_COLUMNS,
    DAYS,
    FACTS,
    LABELS,
    OPEN_DAY,
    UNKNOWN_MELDER,
    local_day,
)
from models.outbox_redaction import rowcount
from models.tables import CaseEvent

_EVENTS: sa.Table = CaseEvent.__table__  # type: ignore[attr-defined]
_CHUNK = 500  # case numbers per refresh round trip (well under SQLite's variable limit)
DayKey = tuple[str, int]
LabelKey = tuple[str, str, str, int]
_COLUMNS: tuple[str, ...] = ("id", "case_ref", "team", "kind", "occurred_at", "melder")
_COLUMNS += ("zelfstandig_verder", "volgens_plan", "rapportcijfer", "extra")


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
