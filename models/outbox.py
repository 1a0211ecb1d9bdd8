"""The outbox: every message that leaves the process is first a row here.

A row is written in the same transaction as the state change that caused it, under a key that
names its cause ("invitation:17"); writing the same key twice is a no-op, so a retried event or
a restarted job never produces a second message. Delivery (bot/delivery.py) sends rows and
records where the message landed, so later messages can reply in its thread or update it.

A payload may name fields that must not outlive the message (a live survey link, its QR code)
under REDACT_AFTER_DELIVERY; the delivery worker keeps them for its retries and removes them
(`forget_after_delivery`) once the message is delivered or given up.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from models.tables import Outbox

REDACT_AFTER_DELIVERY = "redact_after_delivery"  # payload key: fields to drop once delivered
REDACTED_MARK = {"verwijderd": "na verzending"}


def enqueue(
    session: Session,
    *,
    key: str,
    template: str,
    payload: Mapping[str, Any],
    now: datetime,
    channel_kind: str = "chat",
) -> Outbox:
    """Add a message under `key` unless one with that key exists; returns the row."""
    existing = session.exec(select(Outbox).where(Outbox.key == key)).first()
    if existing is not None:
        return existing
    row = Outbox(
        key=key,
        template=template,
        channel_kind=channel_kind,
        payload=json.dumps(dict(payload), ensure_ascii=False, sort_keys=True),
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def find_by_delivery(session: Session, channel: str, ts: str) -> Outbox | None:
    """The message we sent that landed at (channel, ts): how a thread reply finds its cause."""
    return session.exec(
        select(Outbox).where(Outbox.delivered_channel == channel, Outbox.delivered_ts == ts)
    ).first()


def payload_of(row: Outbox) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(row.payload)
    return data


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
