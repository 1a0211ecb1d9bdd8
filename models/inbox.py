"""The inbox: every request Slack sends is a row here before Slack gets its acknowledgement.

A row is written once per request (`record`: Slack's event id, or a hash of the body, is the
unique key, so a retried delivery finds its row and stores nothing twice). Workers take rows
with `claim`: a conditional UPDATE (`status = pending` and no unexpired claim) that only one
process wins, on PostgreSQL (where the candidate is also locked with SKIP LOCKED, so workers do
not queue on one row) and on SQLite alike. A claim is a lease: a process that crashes holding
one leaves a row that is taken again once `claimed_until` has passed; a live process renews the
claims of the rows in hand (`renew`), so a slow request is not taken twice; a process that
stops cleanly hands its claims back at once (`release`).

Invariants: a row's body is client data and is emptied when the row is done or dead (`finish`,
`give_up`, an erasure's `forget_pending`): only identity, kind, status and times stay. A
request's effects are keyed by the request (outbox keys, Question.source_key), so a row
handled twice after a lease ran out writes nothing twice. Nothing here logs a body.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast
from urllib.parse import unquote_plus

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult

from models.statuses import InboxStatus
from models.tables import InboxRequest

__all__ = [
    "INBOX",
    "Claimed",
    "claim",
    "describe",
    "finish",
    "forget_pending",
    "give_up",
    "identity",
    "record",
    "release",
    "renew",
    "retry_later",
    "stats",
    "sweep",
]

INBOX: sa.Table = InboxRequest.__table__  # type: ignore[attr-defined]
ERROR_LIMIT = 300


@dataclass(frozen=True)
class Claimed:
    """A row this worker holds: what it needs to dispatch the request again."""

    id: int
    kind: str
    body: str
    content_type: str
    attempts: int


def identity(body: bytes, parsed: dict[str, Any] | None) -> str:
    """The row's unique key: Slack's event id when the request has one (a retry carries the
    same id), else a hash of the body (a click or command carries its own trigger id, so two
    different requests never share a body)."""
    event_id = (parsed or {}).get("event_id")
    if isinstance(event_id, str) and event_id:
        return f"event:{event_id}"
    return "sha256:" + hashlib.sha256(body).hexdigest()


def record(
    connection: Connection,
    *,
    key: str,
    kind: str,
    body: str,
    content_type: str,
    now: datetime,
    claimed_by: str | None = None,
    lease: timedelta | None = None,
) -> int | None:
    """Store a request; its id, or None when a row with this key exists (a retry). With
    `claimed_by` the row is stored claimed (the caller handles it at once)."""
    values: dict[str, Any] = {
        "key": key,
        "kind": kind,
        "body": body,
        "content_type": content_type,
        "status": InboxStatus.PENDING,
        "attempts": 1 if claimed_by else 0,
        "received_at": now,
    }
    if claimed_by is not None:
        values |= {"claimed_by": claimed_by, "claimed_until": now + (lease or timedelta(0))}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(INBOX)
        .values(values)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(INBOX.c.id)
    )
    row = connection.execute(statement).first()
    return None if row is None else int(row[0])


def _free(now: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        INBOX.c.status == InboxStatus.PENDING,
        sa.or_(INBOX.c.claimed_until.is_(None), INBOX.c.claimed_until < now),
    )


def claim(
    connection: Connection,
    *,
    worker: str,
    now: datetime,
    lease: timedelta,
    kinds: tuple[str, ...] | None = None,
) -> Claimed | None:
    """Take the oldest free row (of `kinds`, when given) for `lease`; None when none is free.
    Call inside a transaction; the claim holds once it is committed."""
    condition = _free(now)
    if kinds is not None:
        condition = sa.and_(condition, INBOX.c.kind.in_(kinds))
    for _ in range(3):  # another worker may win the candidate: try the next one
        candidate = connection.execute(
            sa.select(INBOX.c.id)
            .where(condition)
            .order_by(INBOX.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if candidate is None:
            return None
        taken = connection.execute(
            sa.update(INBOX)
            .where(INBOX.c.id == candidate[0], condition)
            .values(
                claimed_by=worker,
                claimed_until=now + lease,
                attempts=INBOX.c.attempts + 1,
            )
            .returning(
                INBOX.c.id, INBOX.c.kind, INBOX.c.body, INBOX.c.content_type, INBOX.c.attempts
            )
        ).first()
        if taken is not None:
            row_id, kind, body, content_type, attempts = taken
            return Claimed(int(row_id), str(kind), str(body or ""), str(content_type), attempts)
    return None


def finish(connection: Connection, row_id: int, now: datetime) -> bool:
    """The request was handled: done, and its body emptied. False when it was done already."""
    result = connection.execute(
        sa.update(INBOX)
        .where(INBOX.c.id == row_id, INBOX.c.status == InboxStatus.PENDING)
        .values(status=InboxStatus.DONE, body=None, done_at=now, claimed_until=None)
    )
    return _count(result) == 1


def give_up(connection: Connection, row_id: int, now: datetime, error: str) -> None:
    """The request failed too often: dead, its body emptied, the error's type kept."""
    connection.execute(
        sa.update(INBOX)
        .where(INBOX.c.id == row_id, INBOX.c.status == InboxStatus.PENDING)
        .values(
            status=InboxStatus.DEAD,
            body=None,
            done_at=now,
            claimed_until=None,
            last_error=error[:ERROR_LIMIT],
        )
    )


def retry_later(connection: Connection, row_id: int, until: datetime, error: str) -> None:
    """A failure worth another try: the claim is kept until `until`, then the row is free."""
    connection.execute(
        sa.update(INBOX)
        .where(INBOX.c.id == row_id, INBOX.c.status == InboxStatus.PENDING)
        .values(claimed_until=until, last_error=error[:ERROR_LIMIT])
    )


def forget_pending(connection: Connection, names: Sequence[str], now: datetime) -> int:
    """An erasure (models/erasure.py): a request still waiting whose body names one of
    `names` (a Slack user id, a case reference; as a whole word, in the body as sent or
    url-decoded) is given up and emptied instead of handled. Returns how many."""
    names = [name for name in names if name]
    if not names:
        return 0
    mentions = sa.or_(*(INBOX.c.body.contains(name, autoescape=True) for name in names))
    candidates = connection.execute(
        sa.select(INBOX.c.id, INBOX.c.body).where(INBOX.c.status == InboxStatus.PENDING, mentions)
    ).all()
    word = re.compile("|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names))
    erased = [
        row_id
        for row_id, body in candidates
        if word.search(body or "") or word.search(unquote_plus(body or ""))
    ]
    for row_id in erased:
        give_up(connection, row_id, now, "gewist op verzoek")
    return len(erased)


def renew(connection: Connection, worker: str, ids: Sequence[int], until: datetime) -> int:
    """Extend `worker`'s claims on the rows `ids` (still in hand) to `until`."""
    if not ids:
        return 0
    result = connection.execute(
        sa.update(INBOX)
        .where(
            INBOX.c.id.in_(ids),
            INBOX.c.claimed_by == worker,
            INBOX.c.status == InboxStatus.PENDING,
        )
        .values(claimed_until=until)
    )
    return _count(result)


def release(connection: Connection, worker: str) -> int:
    """Hand back every row `worker` still holds (a clean stop): free at once, and the try it
    was on does not count. Returns how many."""
    result = connection.execute(
        sa.update(INBOX)
        .where(INBOX.c.claimed_by == worker, INBOX.c.status == InboxStatus.PENDING)
        .values(
            claimed_by=None,
            claimed_until=None,
            attempts=sa.func.greatest(INBOX.c.attempts - 1, 0)
            if connection.dialect.name == "postgresql"
            else sa.func.max(INBOX.c.attempts - 1, 0),
        )
    )
    return _count(result)


def sweep(connection: Connection, cutoff: datetime) -> int:
    """Retention (models/retention.py): rows received before `cutoff` go. A handled row holds
    only its identity, kept so that a late retry of its request is still recognised; a row
    still pending that long (no worker could handle it) goes with its body. Returns how many."""
    result = connection.execute(sa.delete(INBOX).where(INBOX.c.received_at < cutoff))
    return _count(result)


def stats(connection: Connection) -> list[tuple[str, int, datetime | None]]:
    """(status, rows, oldest received_at) per status, for the metrics."""
    rows = connection.execute(
        sa.select(INBOX.c.status, sa.func.count(), sa.func.min(INBOX.c.received_at)).group_by(
            INBOX.c.status
        )
    ).all()
    return [(str(status), int(count), first) for status, count, first in rows]


def describe(error: BaseException) -> str:
    """What an inbox row keeps of a failure: the type only (an error's text may quote the
    request)."""
    return type(error).__name__


def _count(result: Any) -> int:
    return int(cast(CursorResult[Any], result).rowcount)
