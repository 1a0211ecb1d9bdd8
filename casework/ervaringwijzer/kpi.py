"""Ervaringwijzer figures for the KPI engine (casework/kpi/engine.py `ExtraSource`).

Per team and for the city, per period: invitations sent, responses received, the response
rate of the invitations sent in the period (as the jaarverslag counts it: 99 of 396), the mean
rapportcijfer and the share "ja" per question among those who answered it. SQL counts, Python
divides (as in kpi.py), so both stores give the same figures.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.ervaringwijzer import text
from casework.kpi.engine import Grades, Share
from casework.kpi.periods import Period
from casework.kpi.sql import periods_cte, within
from models.tables import FeedbackInvitation, FeedbackResponse

_INVITATIONS: sa.Table = FeedbackInvitation.__table__  # type: ignore[attr-defined]
_RESPONSES: sa.Table = FeedbackResponse.__table__  # type: ignore[attr-defined]
FAIL_GRADE = 6


@dataclass
class _Tally:
    sent: int = 0
    sent_answered: int = 0
    responses: int = 0
    grades: list[int] = field(default_factory=list)
    answered: Counter[str] = field(default_factory=Counter)
    positive: Counter[str] = field(default_factory=Counter)

    def add(self, other: _Tally) -> None:
        self.sent += other.sent
        self.sent_answered += other.sent_answered
        self.responses += other.responses
        self.grades.extend(other.grades)
        self.answered.update(other.answered)
        self.positive.update(other.positive)

    def figures(self) -> dict[str, Any]:
        n = len(self.grades)
        grades = Grades(
            round(sum(self.grades) / n, 1) if n else None,
            n,
            sum(1 for grade in self.grades if grade < FAIL_GRADE),
        )
        return {
            "uitnodigingen": self.sent,
            "reacties": self.responses,
            "respons": Share(self.sent_answered, self.sent).as_dict(),
            "rapportcijfer": grades.as_dict(),
            "positief": {
                key: Share(self.positive[key], self.answered[key]).as_dict()
                for key, _ in text.QUESTIONS
            },
        }


class ErvaringwijzerSource:
    """Pass to compute_kpis(extra_sources=[ErvaringwijzerSource()]); figures under
    "ervaringwijzer" for every team and the city."""

    name = "ervaringwijzer"

    def figures(
        self, session: Session, periods: Sequence[Period]
    ) -> Mapping[tuple[int, str | None], Mapping[str, Any]]:
        tallies: dict[tuple[int, str], _Tally] = {}
        if not periods:
            return {}
        cte = periods_cte(periods)
        i, r = _INVITATIONS, _RESPONSES
        sent = (
            sa.select(
                cte.c.idx,
                i.c.team,
                sa.func.count(),
                sa.func.coalesce(
                    sa.func.sum(sa.case((i.c.responded_at.is_not(None), 1), else_=0)), 0
                ),
            )
            .select_from(i.join(cte, within(i.c.sent_at, cte)))
            .group_by(cte.c.idx, i.c.team)
        )
        for idx, team, count, answered in session.execute(sent):
            tally = tallies.setdefault((idx, team), _Tally())
            tally.sent, tally.sent_answered = int(count), int(answered)
        received = sa.select(cte.c.idx, i.c.team, r.c.answers, r.c.grade).select_from(
            r.join(i, i.c.id == r.c.invitation_id).join(cte, within(r.c.received_at, cte))
        )
        for idx, team, answers, grade in session.execute(received):
            tally = tallies.setdefault((idx, team), _Tally())
            tally.responses += 1
            if grade is not None:
                tally.grades.append(int(grade))
            for key, value in json.loads(answers).items():
                tally.answered[key] += 1
                tally.positive[key] += value == text.POSITIVE
        result: dict[tuple[int, str | None], Mapping[str, Any]] = {}
        for idx in range(len(periods)):
            city = _Tally()
            for (tally_idx, team), tally in tallies.items():
                if tally_idx == idx:
                    city.add(tally)
                    result[(idx, team)] = tally.figures()
            result[(idx, None)] = city.figures()
        return result


def empty_figures() -> dict[str, Any]:
    """What a team without invitations shows (compute_kpis gives {} for missing teams)."""
    return _Tally().figures()
