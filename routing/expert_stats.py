"""What the database knows about each expert's recent load and responsiveness.

These are ranking signals, not judgements: a person with many open invitations, who declines
often or answers slowly, is asked a little less so attention is spread over the team.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.clock import AMSTERDAM, as_utc
from models.statuses import InvitationState
from models.tables import Invitation

HISTORY = timedelta(days=90)
MIN_RESPONSES_FOR_RATE = 3
_RESPONDED = (InvitationState.ACCEPTED, InvitationState.DECLINED, InvitationState.EXPIRED)


@dataclass(frozen=True)
class ExpertLoad:
    invitations_today: int = 0
    open_invitations: int = 0
    accept_rate: float | None = None
    median_response_minutes: float | None = None


def start_of_day(now: datetime) -> datetime:
    local = now.astimezone(AMSTERDAM)
    return datetime.combine(local.date(), time(0, 0), tzinfo=AMSTERDAM)


def expert_loads(session: Session, now: datetime) -> dict[str, ExpertLoad]:
    """Load per member id, from the invitations of the last 90 days."""
    rows = session.exec(
        select(
            Invitation.member_id, Invitation.state, Invitation.created_at, Invitation.responded_at
        ).where(col(Invitation.created_at) >= now - HISTORY)
    ).all()
    today = start_of_day(now)
    per_member: dict[str, list[tuple[str, datetime, datetime | None]]] = defaultdict(list)
    for member_id, state, created, responded in rows:
        per_member[member_id].append((state, as_utc(created), responded))
    loads = {}
    for member_id, items in per_member.items():
        answered = [s for s, _, _ in items if s in _RESPONDED]
        accepted = [(c, r) for s, c, r in items if s == InvitationState.ACCEPTED and r is not None]
        loads[member_id] = ExpertLoad(
            invitations_today=sum(1 for _, c, _ in items if c >= today),
            open_invitations=sum(1 for s, _, _ in items if s == InvitationState.PENDING),
            accept_rate=(
                answered.count(InvitationState.ACCEPTED) / len(answered)
                if len(answered) >= MIN_RESPONSES_FOR_RATE
                else None
            ),
            median_response_minutes=(
                statistics.median((as_utc(r) - c).total_seconds() / 60 for c, r in accepted)
                if accepted
                else None
            ),
        )
    return loads


def _window_counts(session: Session, now: datetime) -> tuple[dict[str, ExpertLoad], datetime]:
    """`expert_loads` by aggregates: one GROUP BY for the counts and one read of the accepted
    invitations for the medians, so no row per invitation reaches Python but those. Returns the
    loads and the moment the oldest invitation in the window leaves it (after which the figures
    may change without any write)."""
    since, today = now - HISTORY, start_of_day(now)
    created = col(Invitation.created_at)
    grouped = session.execute(
        sa.select(
            col(Invitation.member_id),
            col(Invitation.state),
            sa.func.count(),
            sa.func.sum(sa.case((created >= today, 1), else_=0)),
            sa.func.min(created),
        )
        .where(created >= since)
        .group_by(col(Invitation.member_id), col(Invitation.state))
    ).all()
    accepted = session.execute(
        sa.select(col(Invitation.member_id), created, col(Invitation.responded_at)).where(
            created >= since,
            col(Invitation.state) == InvitationState.ACCEPTED,
            col(Invitation.responded_at).is_not(None),
        )
    ).all()
    per_state: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    oldest = now + HISTORY
    for member_id, state, count, today_count, first in grouped:
        per_state[member_id][state] = (int(count), int(today_count or 0))
        oldest = min(oldest, as_utc(first) + HISTORY)
    minutes: dict[str, list[float]] = defaultdict(list)
    for member_id, first, responded in accepted:
        minutes[member_id].append((as_utc(responded) - as_utc(first)).total_seconds() / 60)
    loads = {}
    for member_id, states in per_state.items():
        answered = sum(states.get(s, (0, 0))[0] for s in _RESPONDED)
        loads[member_id] = ExpertLoad(
            invitations_today=sum(today_count for _, today_count in states.values()),
            open_invitations=states.get(InvitationState.PENDING, (0, 0))[0],
            accept_rate=(
                states.get(InvitationState.ACCEPTED, (0, 0))[0] / answered
                if answered >= MIN_RESPONSES_FOR_RATE
                else None
            ),
            median_response_minutes=(
                statistics.median(minutes[member_id]) if minutes[member_id] else None
            ),
        )
    return loads, oldest


class LoadCache:
    """`expert_loads` kept between questions: recomputed only when an invitation changed (the
    "loads" counter, bumped by a trigger in the writer's transaction), the day turned, the
    oldest invitation left the 90-day window or the clock went back. Between those moments the
    figures cannot change, so the cached ones are exactly what `expert_loads` would return.
    """

    def __init__(self) -> None:
        self._key: tuple[int, datetime] | None = None
        self._span: tuple[datetime, datetime] | None = None  # [computed at, valid until]
        self.loads: dict[str, ExpertLoad] = {}
        self.recomputed = 0  # how often the figures were read again (tests count it)

    def current(self, session: Session, now: datetime, version: int) -> bool:
        """Bring the figures up to `now`; True when they were read again."""
        key = (version, start_of_day(now))
        span = self._span
        if key == self._key and span is not None and span[0] <= now <= span[1]:
            return False
        self.loads, valid_until = _window_counts(session, now)
        self._key, self._span = key, (now, valid_until)
        self.recomputed += 1
        return True
