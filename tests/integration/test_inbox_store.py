"""The inbox's rows on both stores (models/inbox.py): stored once, claimed by one worker at a
time, taken again when a lease runs out, emptied when handled, swept by retention."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.workers.inbox import InboxWorkers
from models.clock import FixedClock
from models.inbox import (
    INBOX,
    Claimed,
    claim,
    finish,
    forget_pending,
    identity,
    record,
    release,
    sweep,
)
from models.retention import RetentionPolicy
from models.retention import sweep as retention_sweep
from models.statuses import InboxStatus
from models.tables import InboxRequest  # noqa: F401  (the table on the metadata)

LEASE = timedelta(seconds=60)


def _store(db: Engine, clock: FixedClock, key: str) -> int | None:
    with db.begin() as connection:
        return record(
            connection,
            key=key,
            kind="event",
            body="{}",
            content_type="application/json",
            now=clock.now(),
        )


def test_a_retried_request_is_stored_once(db: Engine, clock: FixedClock) -> None:
    body = b'{"type": "event_callback", "event_id": "Ev1"}'
    key = identity(body, {"event_id": "Ev1"})
    assert key == "event:Ev1"
    assert identity(b"command=%2Fvraag", {"command": "/vraag"}).startswith("sha256:")
    assert _store(db, clock, key) is not None
    assert _store(db, clock, key) is None
    with db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(INBOX)).scalar() == 1


def test_concurrent_workers_never_take_the_same_row(db: Engine, clock: FixedClock) -> None:
    for n in range(12):
        _store(db, clock, f"event:Ev{n}")
    taken: list[int] = []
    lock = threading.Lock()

    def work(name: str) -> None:
        while True:
            with db.begin() as connection:
                row = claim(connection, worker=name, now=clock.now(), lease=LEASE)
            if row is None:
                return
            with lock:
                taken.append(row.id)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == sorted(set(taken)) and len(taken) == 12


def test_a_lease_runs_out_and_a_release_frees_at_once(db: Engine, clock: FixedClock) -> None:
    _store(db, clock, "event:EvA")
    with db.begin() as connection:
        first = claim(connection, worker="crashed", now=clock.now(), lease=LEASE)
        assert first is not None and first.attempts == 1
        assert claim(connection, worker="other", now=clock.now(), lease=LEASE) is None
    later = clock.now() + LEASE + timedelta(seconds=1)
    with db.begin() as connection:
        again = claim(connection, worker="other", now=later, lease=LEASE)
    assert isinstance(again, Claimed) and again.id == first.id and again.attempts == 2
    with db.begin() as connection:
        assert release(connection, "other") == 1
        back = claim(connection, worker="third", now=later, lease=LEASE)
    assert back is not None and back.attempts == 2  # the handed-back try does not count


def test_a_handled_row_keeps_no_body_and_retention_removes_it(
    db: Engine, clock: FixedClock
) -> None:
    row_id = _store(db, clock, "event:EvB")
    assert row_id is not None
    with db.begin() as connection:
        assert finish(connection, row_id, clock.now())
        assert not finish(connection, row_id, clock.now())
        row = connection.execute(sa.select(INBOX)).one()
    assert row.status == InboxStatus.DONE and row.body is None
    with db.begin() as connection:
        assert sweep(connection, clock.now()) == 0
    with Session(db) as session:
        counts = retention_sweep(session, clock.now() + timedelta(days=31), RetentionPolicy())
        session.commit()
    assert counts["inbox"] == 1


def test_an_erasure_empties_the_waiting_requests_that_name_the_member_or_the_case(
    db: Engine, clock: FixedClock
) -> None:
    bodies = {
        "event:Ev1": '{"event": {"user": "UM005", "text": "casus 4711 afgesloten"}}',
        "event:Ev2": '{"event": {"user": "UM0050", "text": "casus 47110"}}',  # other words
        "sha256:x": "payload=%7B%22user%22%3A+%7B%22id%22%3A+%22UM005%22%7D%7D",
    }
    with db.begin() as connection:
        for key, body in bodies.items():
            record(connection, key=key, kind="event", body=body, content_type="", now=clock.now())
    with db.begin() as connection:
        assert forget_pending(connection, ["UM005"], clock.now()) == 2
        assert forget_pending(connection, ["4711"], clock.now()) == 0  # Ev1 is gone already
        rows = {r.key: r for r in connection.execute(sa.select(INBOX)).all()}
    assert rows["event:Ev1"].status == InboxStatus.DEAD and rows["event:Ev1"].body is None
    assert rows["sha256:x"].status == InboxStatus.DEAD and rows["sha256:x"].body is None
    assert rows["event:Ev2"].status == InboxStatus.PENDING
    with db.begin() as connection:
        assert forget_pending(connection, ["4711", ""], clock.now()) == 0


def test_a_live_worker_keeps_its_claim_on_a_slow_request(db: Engine) -> None:
    """The lease is renewed while the handler runs: another instance never takes the row of a
    process that is alive, however long its request takes."""
    running, release_handler = threading.Event(), threading.Event()

    def slow(claimed: Claimed, early: Callable[[str], None]) -> str:
        running.set()
        release_handler.wait(20)
        return "klaar"

    workers = InboxWorkers(db, slow, lease=timedelta(seconds=0.6), idle_seconds=0.05)
    workers.start()
    try:
        assert workers.store(
            key="event:EvSLOW", kind="event", body="{}", content_type="", claim=False
        )
        assert running.wait(20)
        for _ in range(3):  # well past the first lease
            time.sleep(0.6)
            with db.begin() as connection:
                now = datetime.now(UTC)
                assert claim(connection, worker="other", now=now, lease=LEASE) is None
        release_handler.set()
    finally:
        workers.stop(10)
    with db.connect() as connection:
        assert connection.execute(sa.select(INBOX.c.status)).scalar_one() == InboxStatus.DONE
