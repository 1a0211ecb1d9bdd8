"""What the database knows about each expert's recent load and responsiveness.

These are ranking signals, not judgements: a person with many open invitations, who declines
often or answers slowly, is asked a little less so attention is spread over the team.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

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
