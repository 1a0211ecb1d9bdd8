"""The audit trail: an append-only log of sensitive actions (who did what, to what, and why).

Invariant: rows are only ever inserted, in the transaction of the action they record, so an
action and its audit row land together or not at all. Nothing updates them; only the
retention sweep deletes them after the audit period (models/retention.py). A `detail` typed by
a person (the reason of a reveal) is de-identified by the caller before it comes here: the log
never holds client text.

The store, the actions and the query functions live in models/audit.py, so every layer (the
experts import, erasure, retention) writes to the same log; this module keeps the interface
routing has always used.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from models.audit import ACTIONS, append, detail_of, query
from models.tables import AuditLog

__all__ = ["ACTIONS", "detail_of", "entries", "query", "record"]


def record(
    session: Session, *, actor_id: str, action: str, subject: str, detail: str, now: datetime
) -> AuditLog:
    """Append one row; the caller's transaction commits it together with the action."""
    return append(
        session, actor_id=actor_id, action=action, subject=subject, detail=detail, now=now
    )


def entries(session: Session, subject: str | None = None) -> list[AuditLog]:
    """The log, oldest first, optionally for one subject (e.g. "question:12")."""
    return query(session, subject=subject)
