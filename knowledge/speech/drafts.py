"""A transcript waiting for its asker: "Ik heb verstaan: …" until Versturen, Aanpassen or Annuleren.

The raw transcript is client data that has not been de-identified yet. It is kept in one place
only, the payload of the card's own outbox row (`VoiceTranscript`, like the registration card
keeps its pending event), because the card has to show it anyway and a button click has to find
it again. Nothing else stores it: no table, no log line.

Invariants:
- a card is decided once: `take` (for Versturen and the edit modal's submit) and `cancel` both
  redraw the card without the transcript (`update_of` the card, keyed `<card key>:<state>`) and
  empty the original row's payload, in the caller's transaction; a second click finds no pending
  card and is told so;
- only the member the card belongs to may decide it;
- a pending card older than `ttl` is expired: `expire` empties every such payload (and redraws
  the card as expired), and `take` refuses one that `expire` has not reached yet.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from models.clock import as_utc
from models.messages import Address, VoiceTranscript
from models.outbox import enqueue, stored
from models.outbox_redaction import MARKER_PREFIX, OUTBOX, redact_payloads
from models.tables import Outbox

__all__ = [
    "DEFAULT_TTL",
    "DraftError",
    "cancel",
    "expire",
    "latest_pending",
    "peek",
    "propose",
    "shown",
    "take",
]

DEFAULT_TTL = timedelta(hours=24)
DECIDED = "spraak afgehandeld"
EXPIRED = "spraak verlopen"


class DraftError(Exception):
    """A click that cannot be honoured; `reason` is the Dutch sentence for the member."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def propose(
    session: Session,
    *,
    key: str,
    member_id: str,
    to: Address,
    transcript: str,
    duration_seconds: float,
    repaired: bool,
    now: datetime,
) -> VoiceTranscript:
    """Enqueue the card under `key` (the clip's cause, so a retried clip shows one card)."""
    card = VoiceTranscript(
        to=to,
        card_key=key,
        member_id=member_id,
        transcript=transcript,
        duration_seconds=round(duration_seconds, 1),
        repaired=repaired,
    )
    enqueue(session, key=key, message=card, now=now)
    return card


def _row(session: Session, key: str) -> Outbox | None:
    return session.exec(select(Outbox).where(Outbox.key == key)).first()


def shown(session: Session, key: str) -> bool:
    """True when the card of this clip exists (a retried clip is not transcribed again)."""
    return _row(session, key) is not None


def _pending(session: Session, key: str, member_id: str, now: datetime, ttl: timedelta) -> Outbox:
    row = _row(session, key)
    card = stored(row, VoiceTranscript)
    if row is None or card is None or card.state != "pending":
        raise DraftError("Deze ingesproken tekst is al verstuurd, geannuleerd of verlopen.")
    if card.member_id != member_id:
        raise DraftError("Alleen wie het spraakbericht stuurde kan deze tekst versturen.")
    if as_utc(now) - as_utc(row.created_at) > ttl:
        _decide(session, row, card, "expired", now)
        raise DraftError("Deze ingesproken tekst is verlopen. Spreek je vraag opnieuw in.")
    return row


def _decide(
    session: Session, row: Outbox, card: VoiceTranscript, state: str, now: datetime
) -> None:
    """Redraw the card as `state` without the transcript and empty the original payload."""
    recipient = card.to.recipient
    redrawn = replace(
        card,
        to=Address(recipient, update_of=card.card_key),
        transcript="",
        repaired=False,
        state=state,
    )
    enqueue(session, key=f"{card.card_key}:{state}", message=redrawn, now=now)
    reason = EXPIRED if state == "expired" else DECIDED
    redact_payloads(session, OUTBOX.c.id == row.id, reason=reason)


def take(
    session: Session, key: str, member_id: str, now: datetime, ttl: timedelta = DEFAULT_TTL
) -> str:
    """The pending transcript, for Versturen or the edit modal; the card is marked sent and
    the transcript leaves the database (the caller passes it to the intake)."""
    row = _pending(session, key, member_id, now, ttl)
    card = stored(row, VoiceTranscript)
    assert card is not None  # _pending checked it
    _decide(session, row, card, "sent", now)
    return card.transcript


def peek(
    session: Session, key: str, member_id: str, now: datetime, ttl: timedelta = DEFAULT_TTL
) -> str:
    """The pending transcript without deciding (to fill the edit modal)."""
    card = stored(_pending(session, key, member_id, now, ttl), VoiceTranscript)
    assert card is not None
    return card.transcript


def cancel(
    session: Session, key: str, member_id: str, now: datetime, ttl: timedelta = DEFAULT_TTL
) -> None:
    row = _pending(session, key, member_id, now, ttl)
    card = stored(row, VoiceTranscript)
    assert card is not None
    _decide(session, row, card, "cancelled", now)


def latest_pending(session: Session, member_id: str) -> str | None:
    """The key of the member's newest pending card (the console has no buttons to click)."""
    rows = session.exec(
        select(Outbox)
        .where(Outbox.template == VoiceTranscript.kind)
        .where(sa.not_(col(Outbox.payload).startswith(MARKER_PREFIX)))
        .order_by(col(Outbox.id).desc())
    ).all()
    for row in rows:
        card = stored(row, VoiceTranscript)
        if card is not None and card.state == "pending" and card.member_id == member_id:
            return card.card_key
    return None


def expire(session: Session, now: datetime, ttl: timedelta = DEFAULT_TTL) -> int:
    """Expire every pending card older than `ttl`; returns how many. Idempotent."""
    rows = session.exec(
        select(Outbox)
        .where(Outbox.template == VoiceTranscript.kind)
        .where(col(Outbox.created_at) < now - ttl)
        .where(sa.not_(col(Outbox.payload).startswith(MARKER_PREFIX)))
    ).all()
    expired = 0
    for row in rows:
        card = stored(row, VoiceTranscript)
        if card is not None and card.state == "pending":
            _decide(session, row, card, "expired", now)
            expired += 1
    return expired
