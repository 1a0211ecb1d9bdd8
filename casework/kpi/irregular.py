"""The irregular case facts, counted one by one with the definitions themselves.

Why: a day histogram counts a fact by where its days fall; a second aanmelding, afsluiting or
wachtlijst_in of the same team and case counts only when the earlier one does not (one count
per team and case), and a meting only after the episode closed breaks the prefix-sum identity
for Wat Telt. These facts are few (a few percent of the cases), so they are read and counted
here, per period, exactly as casework/kpi/reference.py does; the regular ones never come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.kpi.cases import Tallies
from models.kpi_tables import FACTS

Bounds = Sequence[tuple[int, int]]


def count_irregular(session: Session, bounds: Bounds, tallies: Tallies) -> None:
    """Add the irregular facts' part of every figure to `tallies` (a defaultdict)."""
    rows = session.execute(sa.select(FACTS).where(FACTS.c.irregular.is_(True))).all()
    for row in rows:
        count = _COUNTERS.get(row.kind)
        if count is not None:
            for idx, (low, high) in enumerate(bounds):
                count(row, idx, low, high, tallies)


def _earlier_not_in(row: Any, low: int) -> bool:
    """No earlier fact of this kind, team and case in the period (so this one counts)."""
    return row.prev_day is None or row.prev_day < low


def _aanmelding(row: Any, idx: int, low: int, high: int, tallies: Tallies) -> None:
    if low <= row.day < high:
        t = tallies[idx, row.team]
        if _earlier_not_in(row, low):
            t.gestart += 1
            t.melder[row.label] += 1
        if row.seconds is not None:
            t.kennismaking_n += 1
            t.kennismaking_seconds += row.seconds
    open_then = row.close_day is None or row.close_day >= low
    earlier_open = row.prev_close_day is not None and row.prev_close_day >= low
    if row.day < high and open_then and not earlier_open:
        t = tallies[idx, row.team]
        t.lopend += 1
        t.wat_telt_gemeten += row.measured_day is not None and row.measured_day < high


def _afsluiting(row: Any, idx: int, low: int, high: int, tallies: Tallies) -> None:
    if not low <= row.day < high:
        return
    t = tallies[idx, row.team]
    t.afgesloten += _earlier_not_in(row, low)
    t.afsluitingen += 1
    t.zelfstandig_ja += row.zelfstandig is True
    t.zelfstandig_n += row.zelfstandig is not None
    t.volgens_plan_ja += row.volgens_plan is True
    if row.grade is not None:
        t.cijfer_sum += row.grade
        t.cijfer_n += 1
        t.cijfer_onvoldoende += row.grade < 6


def _wachtlijst_in(row: Any, idx: int, low: int, high: int, tallies: Tallies) -> None:
    on_list = row.day < high and (row.close_day is None or row.close_day >= high)
    earlier_on = row.prev_close_day is not None and row.prev_close_day >= high
    if on_list and not earlier_on:
        tallies[idx, row.team].wachtlijst_stand += 1


_COUNTERS = {
    "aanmelding": _aanmelding,
    "afsluiting": _afsluiting,
    "wachtlijst_in": _wachtlijst_in,
}
