"""A monthly nudge to confirm or update a profile that has gone stale.

A profile is stale when it was neither confirmed nor edited for `stale_after` (by then its
declared tags count noticeably less, routing/learning.py). The nudge is an outbox row under
`profile-nudge:{member}:{YYYY-MM}` (the Amsterdam month), so a job run twice, on two
instances or after a restart, sends it once; `last_nudged_at` adds a minimum gap so that the
31st and the 1st are not two nudges in two days. Confirming or editing the profile
(routing/profiles.py) ends the nudges until it goes stale again. The scheduler calls
`enqueue_profile_nudges` (daily is fine); bot/ renders the message (`ProfileNudge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from models.clock import AMSTERDAM, as_utc
from models.messages import Address, ProfileNudge
from models.outbox import enqueue
from models.tables import ExpertiseProfile, Member
from routing.learning import last_confirmed, learned_profile


@dataclass(frozen=True)
class NudgePolicy:
    # Half a year without a "klopt nog": declared tags then count ~0.9 and keep fading.
    stale_after: timedelta = timedelta(days=180)
    # The shortest month: "at most once a month" also across a month boundary.
    min_gap: timedelta = timedelta(days=28)
    # Words of the learned profile shown in the nudge, so it asks something concrete.
    topics_shown: int = 5


def nudge_key(member_id: str, now: datetime) -> str:
    return f"profile-nudge:{member_id}:{now.astimezone(AMSTERDAM):%Y-%m}"


def due_nudges(
    session: Session, now: datetime, policy: NudgePolicy = NudgePolicy()
) -> list[ExpertiseProfile]:
    """Profiles of present, reachable colleagues that are stale and not nudged recently."""
    rows = session.exec(
        select(ExpertiseProfile, Member)
        .join(Member, col(Member.id) == col(ExpertiseProfile.member_id))
        .where(col(Member.is_active).is_(True), col(Member.chat_user_id).is_not(None))
        .order_by(col(ExpertiseProfile.member_id))
    ).all()
    due = []
    for profile, member in rows:
        if member.away_until is not None and as_utc(member.away_until) > now:
            continue  # on leave: the nudge would wait in their inbox, ask when back
        confirmed = last_confirmed(profile)
        if confirmed is not None and now - confirmed < policy.stale_after:
            continue
        nudged = profile.last_nudged_at
        if nudged is not None and now - as_utc(nudged) < policy.min_gap:
            continue
        due.append(profile)
    return due


def enqueue_profile_nudges(
    session: Session, now: datetime, policy: NudgePolicy = NudgePolicy()
) -> list[str]:
    """Write the due nudges to the outbox; returns the member ids nudged now."""
    nudged = []
    for profile in due_nudges(session, now, policy):
        learned = learned_profile(session, profile.member_id, now)
        confirmed = last_confirmed(profile)
        enqueue(
            session,
            key=nudge_key(profile.member_id, now),
            message=ProfileNudge(
                to=Address.member(profile.member_id),
                last_confirmed=confirmed.date() if confirmed else None,
                tags=profile.tags,
                learned_topics=tuple(t.label for t in learned.terms[: policy.topics_shown]),
            ),
            now=now,
        )
        profile.last_nudged_at = now
        session.add(profile)
        nudged.append(profile.member_id)
    session.flush()
    return nudged
