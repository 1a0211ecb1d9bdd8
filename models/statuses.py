"""The statuses a row moves through, as `StrEnum`s.

A member compares equal to its stored string (`QuestionStatus.OPEN == "open"`), so the stored
values are the same words as before and old rows need no migration. The columns are
`StrEnumColumn`s (models/tables.py): they store the plain word and read it back as the member.
"""

from __future__ import annotations

from enum import StrEnum


class QuestionStatus(StrEnum):
    """concept (not sent yet: the asker looks first) → held (earlier answers shown first) →
    open → taken → answered → closed; open or held ends as unanswered when the waves run out."""

    CONCEPT = "concept"
    HELD = "held"
    OPEN = "open"
    TAKEN = "taken"
    ANSWERED = "answered"
    CLOSED = "closed"
    UNANSWERED = "unanswered"


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    FORWARDED = "forwarded"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class InboxStatus(StrEnum):
    """pending (stored, acknowledged, not yet handled) → done, or dead after too many tries."""

    PENDING = "pending"
    DONE = "done"
    DEAD = "dead"
