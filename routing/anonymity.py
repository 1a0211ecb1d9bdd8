"""Anonymous asking and asking for external experts: the prefixes, the daily limit, reveal.

An asker may start a question with "anoniem:" (or "anoniem ") to hide their name and team
from the experts, and with "extern:" (or "extern ") to ask colleagues of partner
organisations from the first wave on; both may be combined ("anoniem extern: ..."). The
prefixes are removed before intake, so they never reach the de-identified text.

Invariants:
- an anonymous question is stored with Question.anonymous; every message to an expert about
  it (invitation, forward) says "een collega" instead of the asker (routing/waves.py), and so
  does every invitation to an external expert, asked anonymously or not;
- at most `AnonymityPolicy.per_day` anonymous questions per asker per calendar day
  (Amsterdam); the next one is refused before anything is written;
- only a coordinator (Member.is_coordinator: an explicit flag, not a role name, so a title
  change never grants or removes the right by accident) can reveal who asked, only for an
  anonymous question of their own team, and only with a reason; the reason is de-identified
  before it is stored. Every reveal is one AuditLog row (routing/audit.py), written in the
  transaction that also enqueues the answer to the coordinator and the message that tells the
  asker who looked and why, all keyed by the cause: the same command delivered twice reveals,
  logs and tells once;
- forwarding never reveals the asker: the asker, the forwarder and anyone already invited are
  refused with the same words, and only a still-pending invitation can be forwarded (claimed
  with a compare-and-set UPDATE, so two concurrent forwards of one invitation cannot both win).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from knowledge.privacy import Deidentifier
from models.clock import AMSTERDAM
from models.errors import DomainError, Why
from models.messages import Address, MemberRef, RevealAnswer, RevealTold
from models.outbox import enqueue, stored
from models.statuses import InvitationState
from models.tables import Invitation, Member, Outbox, Question
from routing.audit import record
from routing.intake import IntakeRefused

__all__ = [
    "REVEAL_ACTION",
    "AnonymityPolicy",
    "AskFlags",
    "ForwardRefused",
    "RevealRefused",
    "Revealed",
    "check_anonymous_quota",
    "claim_forward",
    "parse_flags",
    "reveal_asker",
]

REVEAL_ACTION = "reveal_asker"
MIN_REASON_CHARS = 10  # "zorgen" alone is no reason; "zorgen over veiligheid" is
# The word itself, then ":" / "," or whitespace; "externe" or "anonieme" are not a prefix.
_PREFIX = re.compile(r"^\s*(anoniem|extern)(?:\s*[:,]\s*|\s+)", re.IGNORECASE)


@dataclass(frozen=True)
class AnonymityPolicy:
    # Anonymous questions per asker per day: enough for the rare sensitive question, too
    # few to turn the channel into an anonymous complaints box.
    per_day: int = 3


@dataclass(frozen=True)
class AskFlags:
    text: str  # the question without its prefixes
    anonymous: bool = False
    include_external: bool = False


class RevealRefused(DomainError):
    """Revealing the asker is not allowed or not possible."""


class ForwardRefused(DomainError):
    """Forwarding this invitation to this colleague cannot be done; the code never tells who
    asked (`Why.FORWARD_NOT_TO_THEM` covers the asker and everyone already invited alike)."""


@dataclass(frozen=True)
class Revealed:
    question_id: int
    asker_id: str
    asker_name: str
    reason: str  # de-identified: what the audit log and the asker's message hold
    already: bool = False  # the same cause revealed before: nothing new written or sent


def parse_flags(text: str) -> AskFlags:
    """Strip leading "anoniem"/"extern" words (with or without a colon), in any order."""
    anonymous = include_external = False
    while match := _PREFIX.match(text):
        word = match[1].lower()
        anonymous |= word == "anoniem"
        include_external |= word == "extern"
        text = text[match.end() :]
    return AskFlags(text.strip(), anonymous, include_external)


def _start_of_day(now: datetime) -> datetime:
    local = now.astimezone(AMSTERDAM)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def check_anonymous_quota(
    session: Session, asker_id: str, now: datetime, policy: AnonymityPolicy
) -> None:
    """IntakeRefused when the asker already asked `policy.per_day` anonymous questions today."""
    start = _start_of_day(now)
    asked = session.exec(
        select(func.count())
        .select_from(Question)
        .where(
            Question.asker_id == asker_id,
            col(Question.anonymous).is_(True),
            col(Question.created_at) >= start,
            col(Question.created_at) < start + timedelta(days=1),
        )
    ).one()
    if asked >= policy.per_day:
        raise IntakeRefused(Why.ANONYMOUS_LIMIT, asked=asked, per_day=policy.per_day)


def reveal_asker(
    session: Session,
    question_id: int,
    coordinator_id: str,
    reason: str,
    now: datetime,
    *,
    cause: str,
    deidentifier: Deidentifier,
) -> Revealed:
    """Who asked `question_id`, for a coordinator of the asker's team with a reason; audited.

    In the caller's transaction: one AuditLog row with the de-identified reason, the answer to
    the coordinator (outbox key `cause`, `RevealAnswer`) and the message that tells the asker
    (key `cause:vrager`, `RevealTold`). When `cause` was revealed before
    (the same command delivered twice) nothing is written and `Revealed.already` is set.

    Raises RevealRefused, writing nothing, for anyone who is not an active coordinator,
    without a reason of at least MIN_REASON_CHARS characters, and for a question that is
    unknown, not anonymous or of another team (one wording for those three, so a refusal says
    nothing about a question the coordinator may not see).
    """
    coordinator = session.get(Member, coordinator_id)
    if coordinator is None or not coordinator.is_active or not coordinator.is_coordinator:
        raise RevealRefused(Why.REVEAL_COORDINATORS_ONLY)
    if session.exec(select(Outbox).where(Outbox.key == cause)).first() is not None:
        return _revealed_before(session, cause)
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARS:
        raise RevealRefused(Why.REVEAL_NEEDS_REASON)
    question = session.get(Question, question_id)
    asker = session.get(Member, question.asker_id) if question is not None else None
    if (
        question is None
        or asker is None
        or not question.anonymous
        or asker.team != coordinator.team
    ):
        raise RevealRefused(Why.REVEAL_NOT_ALLOWED, question_id=question_id)
    stored_reason = deidentifier.deidentify(reason).text
    record(
        session,
        actor_id=coordinator_id,
        action=REVEAL_ACTION,
        subject=f"question:{question_id}",
        detail=stored_reason,
        now=now,
    )
    enqueue(
        session,
        key=cause,
        message=RevealAnswer(
            to=Address.member(coordinator_id),
            question_id=question_id,
            asker_name=asker.display_name,
        ),
        now=now,
    )
    enqueue(
        session,
        key=f"{cause}:vrager",
        message=RevealTold(
            to=Address.member(asker.id),
            question_id=question_id,
            coordinator_name=coordinator.display_name,
            reason=stored_reason,
        ),
        now=now,
    )
    return Revealed(question_id, asker.id, asker.display_name, stored_reason)


def _revealed_before(session: Session, cause: str) -> Revealed:
    """What an earlier delivery of the same command revealed, read back from its messages."""
    rows = {
        row.key: row
        for row in session.exec(
            select(Outbox).where(col(Outbox.key).in_([cause, f"{cause}:vrager"]))
        ).all()
    }
    answer = stored(rows.get(cause), RevealAnswer)
    told = stored(rows.get(f"{cause}:vrager"), RevealTold)
    if answer is None:  # emptied since (retention, an erasure): nothing to repeat
        raise RevealRefused(Why.REVEAL_GONE)
    asker = told.to.recipient if told is not None else None
    return Revealed(
        answer.question_id,
        asker.id if isinstance(asker, MemberRef) else "",
        answer.asker_name,
        told.reason if told is not None else "",
        already=True,
    )


def claim_forward(
    session: Session, invitation_id: int, actor_id: str, colleague_id: str, now: datetime
) -> None:
    """Check and claim a forward before the dispatcher carries it out (routing/dispatch.py).

    Raises ForwardRefused when the invitation was already answered (declined, taken, forwarded
    before) or when the colleague is the forwarder, the asker or already invited; the last
    three share one wording, so the refusal never points at the asker. Otherwise the
    invitation is moved from pending to forwarded with a compare-and-set UPDATE in the
    caller's transaction: of two concurrent forwards of one invitation only one commits.
    What this does not decide (an unknown invitation, someone else's, a colleague who is not
    active, a question no longer open) is left to the dispatcher and its own wording.
    """
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.member_id != actor_id:
        return
    if invitation.state != InvitationState.PENDING:
        raise ForwardRefused(Why.FORWARD_NOT_PENDING)
    colleague = session.get(Member, colleague_id)
    question = session.get(Question, invitation.question_id)
    if colleague is None or not colleague.is_active or question is None:
        return
    invited = set(
        session.exec(
            select(Invitation.member_id).where(Invitation.question_id == question.id)
        ).all()
    )
    if colleague_id in invited | {actor_id, question.asker_id}:
        raise ForwardRefused(Why.FORWARD_NOT_TO_THEM)
    claimed = session.execute(
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id, col(Invitation.state) == InvitationState.PENDING
        )
        .values(state=InvitationState.FORWARDED, responded_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]  # answered concurrently
        raise ForwardRefused(Why.FORWARD_NOT_PENDING)
