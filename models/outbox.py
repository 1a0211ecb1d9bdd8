"""The outbox: every message that leaves the process is first a row here.

A row is written in the same transaction as the state change that caused it, under a key that
names its cause ("invitation:17"); writing the same key twice is a no-op, so a retried event or
a restarted job never produces a second message. Delivery (bot/workers/delivery.py) sends rows and
records where the message landed, so later messages can reply in its thread or update it.

A row holds one typed message (models/messages/): `template` is the type's registered name,
`payload` its address and fields as JSON, `channel_kind` the type's channel. `message_of` reads
it back as that type, so whoever shows a stored message again (a card redrawn, a suggestion
list with its verdicts) works with the type, never with the raw JSON.

A message type may name fields that must not outlive the message (a live survey link, its QR
code, `redact_after_delivery`); they are listed in the payload under REDACT_AFTER_DELIVERY, the
delivery worker keeps them for its retries and removes them (`forget_after_delivery`) once the
message is delivered or given up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.sql.expression import Executable
from sqlmodel import Session, col, select

from models.messages import (
    REDACT_AFTER_DELIVERY,
    Address,
    Conversation,
    EmptiedMessage,
    MemberRef,
    Message,
    UnreadableMessage,
    decode,
    encode,
)
from models.tables import Outbox

__all__ = [
    "REDACTED_MARK",
    "REDACT_AFTER_DELIVERY",
    "enqueue",
    "enqueue_many",
    "find_by_delivery",
    "forget_after_delivery",
    "message_of",
    "payload_of",
    "recipient_of",
    "stored",
]

REDACTED_MARK = {"verwijderd": "na verzending"}
_COLUMNS = tuple(Outbox.__table__.columns)  # type: ignore[attr-defined]
M = TypeVar("M", bound=Message)


def enqueue(session: Session, *, key: str, message: Message, now: datetime) -> Outbox:
    """Add a message under `key` unless one with that key exists; returns the row."""
    return enqueue_many(session, [(key, message)], now=now)[0]


def enqueue_many(
    session: Session, messages: Sequence[tuple[str, Message]], *, now: datetime
) -> list[Outbox]:
    """Add each (key, message) unless a message with that key exists; returns the rows, in
    order (a wave's invitations go in together).

    One statement for all of them: INSERT ... VALUES (...), (...) ON CONFLICT (key) DO NOTHING
    RETURNING id, key (the dialect's own insert, PostgreSQL and SQLite alike), no SELECT
    first; only a replayed key reads the row already there. New rows join the session as if
    loaded (no read back), so a caller may still change one and the session flushes the
    change. Two transactions racing on one key: PostgreSQL lets the second wait and do
    nothing, SQLite has one writer.
    """
    rows = [
        Outbox(
            key=key,
            template=message.kind,
            channel_kind=message.channel_kind,
            payload=json.dumps(encode(message), ensure_ascii=False, sort_keys=True),
            next_attempt_at=now,
            created_at=now,
            recipient=recipient_of(message.to, key),
            priority=int(message.priority),
        )
        for key, message in messages
    ]
    if not rows:
        return []
    session.flush()  # what the cause wrote goes first, as when the row was added and flushed
    values = [{c.name: getattr(row, c.name) for c in _COLUMNS if c.name != "id"} for row in rows]
    new_ids = {key: new_id for new_id, key in session.execute(_insert_once(session, values))}
    result = []
    for row in rows:
        if row.key not in new_ids:  # a replay: the first message under this key stands
            result.append(session.exec(select(Outbox).where(Outbox.key == row.key)).one())
            continue
        row.id = new_ids.pop(row.key)  # a key twice in one call: the second is a replay
        make_transient_to_detached(row)
        session.add(row)
        result.append(row)
    return result


def recipient_of(address: Address, key: str) -> str:
    """The queue a message waits in: a member's DM or a conversation (its threads included,
    so a reply never overtakes its parent); a client's contact is never written here, so
    mail and SMS rows each wait alone under their own key."""
    match address.recipient:
        case MemberRef(id=member_id):
            return f"member:{member_id}"
        case Conversation(id=channel):
            return f"conversation:{channel}"
        case _:
            return f"own:{key}"


def _insert_once(session: Session, values: list[dict[str, Any]]) -> Executable:
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING id, key, in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        insert: postgresql.Insert | sqlite.Insert = postgresql.insert(Outbox)
    else:
        insert = sqlite.insert(Outbox)
    return (
        insert.values(values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(col(Outbox.id), col(Outbox.key))
    )


def find_by_delivery(session: Session, channel: str, ts: str) -> Outbox | None:
    """The message we sent that landed at (channel, ts): how a thread reply finds its cause."""
    return session.exec(
        select(Outbox).where(Outbox.delivered_channel == channel, Outbox.delivered_ts == ts)
    ).first()


def payload_of(row: Outbox) -> dict[str, Any]:
    """The stored JSON as it is (tests, and the few readers that only need a key of it)."""
    data: dict[str, Any] = json.loads(row.payload)
    return data


def message_of(row: Outbox) -> Message:
    """The row's typed message; raises UnreadableMessage (an unknown name, a payload that does
    not fit, or no JSON) or EmptiedMessage (emptied by retention, an erasure or delivery)."""
    try:
        payload = payload_of(row)
    except ValueError as error:
        raise UnreadableMessage(f"{row.template}: the payload is not JSON") from error
    return decode(row.template, payload)


def stored(row: Outbox | None, message_type: type[M]) -> M | None:
    """The row's message when it is a `message_type` that is still whole; None when there is
    no row, it holds another kind of message, or its payload was emptied."""
    if row is None or row.template != message_type.kind:
        return None
    try:
        message = message_of(row)
    except EmptiedMessage:
        return None
    return message if isinstance(message, message_type) else None


def forget_after_delivery(row: Outbox) -> bool:
    """Remove the fields the payload lists under REDACT_AFTER_DELIVERY (and the list itself),
    leaving the rest (who it went to, what it was about); True when anything was removed."""
    payload = payload_of(row)
    fields = payload.pop(REDACT_AFTER_DELIVERY, None)
    if not fields:
        return False
    for name in fields:
        payload.pop(name, None)
    row.payload = json.dumps(payload | REDACTED_MARK, ensure_ascii=False, sort_keys=True)
    return True
