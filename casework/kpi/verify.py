"""The maintained figures checked against the full recomputation, and the facts rebuilt.

Why: the maintained case facts (models/kpi_tables.py) are only as right as every code path
that writes events; `verify` recomputes every tally from the event log (casework/kpi/cases.py,
the reference) and names each (period, team) where the two differ, so a missed path shows up
as a non-zero exit of `vraagbaak kpi --verify` instead of a silently wrong report. `rebuild`
repairs the facts from the log (after a restore, or a bulk change made outside events.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from casework.kpi.cases import CaseTally, case_tallies
from casework.kpi.maintained import maintained_tallies
from casework.kpi.periods import Period
from models.kpi_facts import rebuild_all


@dataclass(frozen=True)
class Difference:
    period: str
    team: str
    maintained: CaseTally
    recomputed: CaseTally

    def fields(self) -> list[str]:
        """The names of the tallies that differ."""
        names = vars(self.maintained).keys()
        return [n for n in names if getattr(self.maintained, n) != getattr(self.recomputed, n)]


def verify(session: Session, periods: Sequence[Period]) -> list[Difference]:
    """Every (period, team) whose maintained tally differs from the recomputed one."""
    maintained = maintained_tallies(session, periods)
    if maintained is None:
        raise ValueError("periods must start and end at midnight (Amsterdam)")
    recomputed = case_tallies(session, periods)
    differences = []
    for idx, team in sorted(maintained.keys() | recomputed.keys()):
        mine = maintained.get((idx, team), CaseTally())
        reference = recomputed.get((idx, team), CaseTally())
        if mine != reference:
            differences.append(Difference(periods[idx].label, team, mine, reference))
    return differences


def rebuild(session: Session) -> int:
    """Rebuild every case fact from the live events; the caller commits. Returns the rows."""
    return rebuild_all(session)
