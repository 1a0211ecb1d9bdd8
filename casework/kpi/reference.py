"""A plain-Python computation of the case tallies, independent of the SQL in kpi_cases.

Two uses: the tests check the database's figures against it on every granularity, and
bench/kpi.py times it as the baseline the SQL engine is compared with. It reads every event
into memory, which is exactly what the engine avoids; keep it simple rather than fast.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime

from casework.events import CaseEventData
from casework.kpi.cases import CaseTally, Tallies
from casework.kpi.periods import Period
from models.kpi_tables import UNKNOWN_MELDER


def _seconds(later: datetime, earlier: datetime) -> int:
    return int(later.timestamp()) - int(earlier.timestamp())


def _first_at_or_after(moments: list[datetime], moment: datetime) -> datetime | None:
    index = bisect.bisect_left(moments, moment)
    return moments[index] if index < len(moments) else None


def reference_tallies(events: Iterable[CaseEventData], periods: Sequence[Period]) -> Tallies:
    """The same numbers as kpi_cases.case_tallies, from events already in memory."""
    by_case: dict[str, dict[str, list[CaseEventData]]] = defaultdict(lambda: defaultdict(list))
    for event in events:
        by_case[event.case_ref][event.kind].append(event)
    tallies: Tallies = {}

    def tally(idx: int, team: str) -> CaseTally:
        return tallies.setdefault((idx, team), CaseTally())

    for kinds in by_case.values():
        for found in kinds.values():
            found.sort(key=lambda e: e.occurred_at)
        moments = {kind: [e.occurred_at for e in found] for kind, found in kinds.items()}
        for idx, period in enumerate(periods):
            _case(kinds, moments, idx, period, tally)
    return tallies


def _case(
    kinds: Mapping[str, list[CaseEventData]],
    moments: Mapping[str, list[datetime]],
    idx: int,
    period: Period,
    tally: Callable[[int, str], CaseTally],
) -> None:
    started: set[tuple[str, str]] = set()
    running: set[tuple[str, str]] = set()
    waiting: set[tuple[str, str]] = set()
    for a in kinds.get("aanmelding", []):
        closed = _first_at_or_after(moments.get("afsluiting", []), a.occurred_at)
        overlaps = a.occurred_at < period.end and (closed is None or closed >= period.start)
        if overlaps and (a.team, a.case_ref) not in running:
            running.add((a.team, a.case_ref))
            t = tally(idx, a.team)
            t.lopend += 1
            metingen = moments.get("wat_telt_meting", [])
            t.wat_telt_gemeten += bool(metingen and metingen[0] < period.end)
        if period.contains(a.occurred_at):
            t = tally(idx, a.team)
            if (a.team, a.case_ref) not in started:
                started.add((a.team, a.case_ref))
                t.gestart += 1
                t.melder[a.melder or UNKNOWN_MELDER] += 1
            first = _first_at_or_after(moments.get("kennismaking", []), a.occurred_at)
            if first is not None:
                t.kennismaking_n += 1
                t.kennismaking_seconds += _seconds(first, a.occurred_at)
    closed_cases: set[tuple[str, str]] = set()
    for f in kinds.get("afsluiting", []):
        if not period.contains(f.occurred_at):
            continue
        t = tally(idx, f.team)
        if (f.team, f.case_ref) not in closed_cases:
            closed_cases.add((f.team, f.case_ref))
            t.afgesloten += 1
        t.afsluitingen += 1
        t.zelfstandig_ja += f.zelfstandig_verder is True
        t.zelfstandig_n += f.zelfstandig_verder is not None
        t.volgens_plan_ja += f.volgens_plan is True
        if f.rapportcijfer is not None:
            t.cijfer_sum += f.rapportcijfer
            t.cijfer_n += 1
            t.cijfer_onvoldoende += f.rapportcijfer < 6
    for w in kinds.get("wachtlijst_in", []):
        left = _first_at_or_after(moments.get("wachtlijst_uit", []), w.occurred_at)
        on_list = w.occurred_at < period.end and (left is None or left >= period.end)
        if on_list and (w.team, w.case_ref) not in waiting:
            waiting.add((w.team, w.case_ref))
            tally(idx, w.team).wachtlijst_stand += 1
    entered = moments.get("wachtlijst_in", [])
    for u in kinds.get("wachtlijst_uit", []):
        before = bisect.bisect_right(entered, u.occurred_at)
        if period.contains(u.occurred_at) and before:
            t = tally(idx, u.team)
            t.wachtlijst_uit_n += 1
            t.wachtlijst_seconds += _seconds(u.occurred_at, entered[before - 1])
    for e in kinds.get("hbh_aanvraag", []):
        if period.contains(e.occurred_at):
            tally(idx, e.team).hbh_aanvragen += 1
    for m in kinds.get("wat_telt_meting", []):
        if period.contains(m.occurred_at):
            t = tally(idx, m.team)
            t.metingen += 1
            t.leefgebieden.update(list(m.scores or ()))
