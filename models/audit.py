"""The audit log's store: append an entry, read entries back, and the actions it knows.

Invariants:
- an entry is inserted in the transaction of the action it records, so the action and its
  entry land together or not at all; nothing updates an entry, and only the retention sweep
  (models/retention.py) deletes entries, once they are older than the audit period;
- `detail` never holds client text: erasures, role changes, exports and sweeps store
  structured details (counts and flags; `append` with a mapping stores canonical JSON), and a
  free-text reason typed by a person (a reveal) is de-identified by its caller first
  (routing/anonymity.py).

This module sits in models/ so that every layer (the experts import, erasure, retention, the
reveal in routing/ through routing/audit.py) writes to the one log.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import AuditLog

__all__ = [
    "ACTIONS",
    "ACTOR_SYSTEM",
    "ERASE_CASE",
    "ERASE_MEMBER",
    "EXPORT",
    "RETENTION",
    "REVEAL",
    "ROLE_CHANGE",
    "append",
    "count_detail",
    "detail_of",
    "query",
]

ACTOR_SYSTEM = "systeem"  # the daily retention job

REVEAL = "reveal_asker"  # a coordinator saw who asked (routing/anonymity.py)
ERASE_CASE = "erase_case"  # right to erasure of a client's case (models/erasure.py)
ERASE_MEMBER = "erase_member"  # a colleague erased (models/erasure.py)
ROLE_CHANGE = "role_change"  # coordinator on/off, (re)activation (knowledge/experts_import.py)
EXPORT = "export"  # personal data left the database (`vraagbaak export events`)
RETENTION = "retention"  # the daily sweep removed rows past their period (models/retention.py)
ACTIONS = (REVEAL, ERASE_CASE, ERASE_MEMBER, ROLE_CHANGE, EXPORT, RETENTION)


def append(
    session: Session,
    *,
    actor_id: str,
    action: str,
    subject: str,
    detail: str | Mapping[str, object],
    now: datetime,
) -> AuditLog:
    """Add one entry; the caller's transaction commits it together with the action.

    A mapping is stored as canonical JSON (sorted keys), so equal details read equal.
    """
    text = (
        detail
        if isinstance(detail, str)
        else json.dumps(dict(detail), ensure_ascii=False, sort_keys=True)
    )
    row = AuditLog(at=now, actor_id=actor_id, action=action, subject=subject, detail=text)
    session.add(row)
    session.flush()
    return row


def count_detail(counts: Mapping[str, int]) -> dict[str, int]:
    """The detail of an entry about removed rows: the tables that changed, and the total (0
    says "nothing (more) to remove", which is worth recording too)."""
    return {key: n for key, n in counts.items() if n} | {"total": sum(counts.values())}


def query(
    session: Session,
    *,
    since: datetime | None = None,
    action: str | None = None,
    subject: str | None = None,
    actor_id: str | None = None,
) -> list[AuditLog]:
    """Entries in the order they were written, narrowed by any of: from `since` on, one
    action, one subject, one actor."""
    statement = select(AuditLog).order_by(col(AuditLog.id))
    if since is not None:
        statement = statement.where(col(AuditLog.at) >= since)
    if action is not None:
        statement = statement.where(AuditLog.action == action)
    if subject is not None:
        statement = statement.where(AuditLog.subject == subject)
    if actor_id is not None:
        statement = statement.where(AuditLog.actor_id == actor_id)
    return list(session.exec(statement).all())


def detail_of(row: AuditLog) -> object:
    """The detail as data: the JSON object of a structured entry, else the (reason) text."""
    try:
        parsed: object = json.loads(row.detail)
    except ValueError:
        return row.detail
    return parsed if isinstance(parsed, dict) else row.detail
