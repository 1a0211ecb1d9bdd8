"""Vraagbaak's own figures per team of the asker: questions asked, share answered, median
minutes to the first answer, and invitations per invited expert.

Medians and distinct experts do not add up across teams, so the tally keeps the per-question
durations and the set of invited experts (small: one row per question); the database still
does the joining and the per-question arithmetic.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from casework.kpi.periods import Period
from casework.kpi.sql import epoch_seconds, periods_cte, within
from models.tables import Answer, Invitation, Member, Question

_QUESTIONS: sa.Table = Question.__table__  # type: ignore[attr-defined]
_ANSWERS: sa.Table = Answer.__table__  # type: ignore[attr-defined]
_INVITATIONS: sa.Table = Invitation.__table__  # type: ignore[attr-defined]
_MEMBERS: sa.Table = Member.__table__  # type: ignore[attr-defined]


@dataclass
class VraagbaakTally:
    asked: int = 0
    answer_seconds: list[int] = field(default_factory=list)  # one per answered question
    invitations: Counter[str] = field(default_factory=Counter)  # per invited member

    def add(self, other: VraagbaakTally) -> None:
        self.asked += other.asked
        self.answer_seconds.extend(other.answer_seconds)
        self.invitations.update(other.invitations)


@dataclass(frozen=True)
class VraagbaakFigures:
    vragen: int
    beantwoord: int
    beantwoord_pct: float | None
    mediaan_minuten_eerste_antwoord: float | None
    uitnodigingen: int
    deskundigen_uitgenodigd: int
    uitnodigingen_per_deskundige: float | None

    @classmethod
    def from_tally(cls, tally: VraagbaakTally) -> VraagbaakFigures:
        answered = len(tally.answer_seconds)
        invitations = sum(tally.invitations.values())
        experts = len(tally.invitations)
        return cls(
            vragen=tally.asked,
            beantwoord=answered,
            beantwoord_pct=round(100 * answered / tally.asked, 1) if tally.asked else None,
            mediaan_minuten_eerste_antwoord=(
                round(statistics.median(tally.answer_seconds) / 60, 1) if answered else None
            ),
            uitnodigingen=invitations,
            deskundigen_uitgenodigd=experts,
            uitnodigingen_per_deskundige=round(invitations / experts, 2) if experts else None,
        )


VraagbaakTallies = dict[tuple[int, str], VraagbaakTally]


def vraagbaak_tallies(session: Session, periods: Sequence[Period]) -> VraagbaakTallies:
    """Per (index into `periods`, team of the asker)."""
    tallies: VraagbaakTallies = {}
    if not periods:
        return tallies
    cte = periods_cte(periods)
    q, m = _QUESTIONS, _MEMBERS
    first_answer = (
        sa.select(sa.func.min(_ANSWERS.c.created_at))
        .where(_ANSWERS.c.question_id == q.c.id)
        .scalar_subquery()
    )
    seconds = epoch_seconds(first_answer) - epoch_seconds(q.c.created_at)
    asked_in = q.join(m, m.c.id == q.c.asker_id).join(cte, within(q.c.created_at, cte))
    rows: Any = session.execute(
        sa.select(cte.c.idx, m.c.team, seconds.label("seconds")).select_from(asked_in)
    )
    for idx, team, answer_seconds in rows:
        tally = tallies.setdefault((idx, team), VraagbaakTally())
        tally.asked += 1
        if answer_seconds is not None:
            tally.answer_seconds.append(int(answer_seconds))
    i = _INVITATIONS
    invited = (
        sa.select(cte.c.idx, m.c.team, i.c.member_id, sa.func.count())
        .select_from(asked_in.join(i, i.c.question_id == q.c.id))
        .group_by(cte.c.idx, m.c.team, i.c.member_id)
    )
    for idx, team, member_id, count in session.execute(invited):
        tallies.setdefault((idx, team), VraagbaakTally()).invitations[member_id] += count
    return tallies
