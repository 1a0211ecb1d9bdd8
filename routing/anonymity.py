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
  change never grants or removes the right by accident) can reveal who asked, only with a
  reason, and every reveal is an AuditLog row in the same transaction (routing/audit.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from models.clock import AMSTERDAM
from models.tables import Member, Question
from routing.audit import record
from routing.intake import IntakeRefused

__all__ = [
    "REVEAL_ACTION",
    "AnonymityPolicy",
    "AskFlags",
    "RevealRefused",
    "check_anonymous_quota",
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


class RevealRefused(Exception):
    """Revealing the asker is not allowed or not possible; `reason` is Dutch for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
        raise IntakeRefused(
            f"Je hebt vandaag al {asked} anonieme vragen gesteld; meer dan {policy.per_day} "
            "per dag kan niet. Stel je vraag zonder 'anoniem', of stel hem morgen anoniem."
        )


def reveal_asker(
    session: Session, question_id: int, coordinator_id: str, reason: str, now: datetime
) -> str:
    """The name of who asked `question_id`, for a coordinator with a reason; audited.

    Raises RevealRefused for anyone who is not an active coordinator, without a reason of at
    least MIN_REASON_CHARS characters, or for an unknown question. Nothing is written then.
    """
    coordinator = session.get(Member, coordinator_id)
    if coordinator is None or not coordinator.is_active or not coordinator.is_coordinator:
        raise RevealRefused("Alleen een coördinator kan opvragen wie een anonieme vraag stelde.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_CHARS:
        raise RevealRefused(
            "Schrijf erbij waarom je dit wilt weten, bijvoorbeeld: "
            "/onthul 12 zorgen over de veiligheid van een kind. De reden wordt vastgelegd."
        )
    question = session.get(Question, question_id)
    asker = session.get(Member, question.asker_id) if question is not None else None
    if question is None or asker is None:
        raise RevealRefused(f"Vraag {question_id} bestaat niet (meer).")
    record(
        session,
        actor_id=coordinator_id,
        action=REVEAL_ACTION,
        subject=f"question:{question_id}",
        detail=reason,
        now=now,
    )
    return asker.display_name
