"""The audit trail: an append-only log of sensitive actions (who did what, to what, and why).

Invariant: rows are only ever inserted, in the transaction of the action they record, so an
action and its audit row land together or not at all. Nothing updates or deletes them.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.tables import AuditLog

__all__ = ["entries", "record"]


def record(
    session: Session, *, actor_id: str, action: str, subject: str, detail: str, now: datetime
) -> AuditLog:
    """Append one row; the caller's transaction commits it together with the action."""
    row = AuditLog(at=now, actor_id=actor_id, action=action, subject=subject, detail=detail)
    session.add(row)
    session.flush()
    return row


def entries(session: Session, subject: str | None = None) -> list[AuditLog]:
    """The log, oldest first, optionally for one subject (e.g. "question:12")."""
    query = select(AuditLog).order_by(col(AuditLog.id))
    if subject is not None:
        query = query.where(AuditLog.subject == subject)
    return list(session.exec(query).all())
