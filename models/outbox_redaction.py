"""Emptying outbox payloads: what the retention sweep and an erasure do to stored messages.

A payload (the message's content: names, texts, Slack ids, a client's address) is replaced by
a marker `{"verwijderd": reason}`. The row itself stays — key, template, status, times and
where the message landed — because the key keeps its cause from being sent a second time and
the landing place lets later messages reply in its thread or update it.

Invariants: a payload that already is a marker (this module's, or bot/workers/delivery.py's after a
mail is sent) is left alone, so emptying twice counts once; a pending row that is emptied can
no longer be sent and becomes "dead", with the reason as its last error.
"""

from __future__ import annotations

import json
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlmodel import Session

from models.statuses import OutboxStatus
from models.tables import Outbox

__all__ = ["MARKER_PREFIX", "marker", "redact_payloads", "rowcount"]

MARKER_PREFIX = '{"verwijderd":'
OUTBOX: sa.Table = Outbox.__table__  # type: ignore[attr-defined]


def marker(reason: str) -> str:
    return json.dumps({"verwijderd": reason}, ensure_ascii=False)


def rowcount(result: object) -> int:
    """Rows an UPDATE or DELETE touched (the same on SQLite and psycopg)."""
    return int(cast(CursorResult[Any], result).rowcount)


def redact_payloads(session: Session, condition: sa.ColumnElement[bool], *, reason: str) -> int:
    """Empty the payloads of the rows matching `condition`; returns how many were emptied."""
    column = OUTBOX.c
    fresh = sa.and_(condition, sa.not_(column.payload.startswith(MARKER_PREFIX)))
    stopped = session.execute(
        sa.update(OUTBOX)
        .where(fresh, column.status == OutboxStatus.PENDING)
        .values(payload=marker(reason), status=OutboxStatus.DEAD, last_error=f"gewist: {reason}")
    )
    emptied = session.execute(sa.update(OUTBOX).where(fresh).values(payload=marker(reason)))
    return rowcount(stopped) + rowcount(emptied)
