"""enqueue writes a new message in one statement and a replayed key adds nothing, on both
stores (issue 15, item 2: no SELECT before every outbox insert)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from models.clock import FixedClock
from models.db import session_factory
from models.messages import Address, AnswerRated
from models.outbox import enqueue, enqueue_many, stored
from models.statuses import OutboxStatus
from models.tables import Member, Outbox


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql.split()[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _rated(score: int) -> AnswerRated:
    return AnswerRated(to=Address.member("m1"), score=score, question_text="x")


def test_a_new_key_is_one_insert_and_a_replay_adds_nothing(db: Engine, clock: FixedClock) -> None:
    sessions = session_factory(db)
    with sessions() as session:
        session.add(Member(id="m1", display_name="Ali", team="Zuilen"))
        session.commit()
    with sessions() as session, statements(db) as seen:
        first = enqueue(session, key="rated:1", message=_rated(5), now=clock.now())
        assert seen == ["INSERT"]  # no SELECT first, no read back
        first.status = OutboxStatus.SENT  # the new row is in the session like a loaded one
        session.commit()
    with sessions() as session:
        again = enqueue(session, key="rated:1", message=_rated(1), now=clock.now())
        twice = enqueue(session, key="rated:1", message=_rated(2), now=clock.now())
        session.commit()
        assert again.id == twice.id == first.id
    with sessions() as session:
        (row,) = session.exec(select(Outbox)).all()
        assert row.status == OutboxStatus.SENT
        message = stored(row, AnswerRated)
        assert message is not None and message.score == 5  # the first message stands


def test_several_messages_are_one_insert_in_order_and_replays_stay(
    db: Engine, clock: FixedClock
) -> None:
    """A wave's invitations go in together (enqueue_many): one statement, the rows in the
    order given with their ids; a key already there, or twice in the call, adds nothing."""
    sessions = session_factory(db)
    with sessions() as session:
        session.add(Member(id="m1", display_name="Ali", team="Zuilen"))
        enqueue(session, key="rated:old", message=_rated(9), now=clock.now())
        session.commit()
    keys = ["rated:a", "rated:old", "rated:b", "rated:a"]
    with sessions() as session, statements(db) as seen:
        rows = enqueue_many(
            session, [(k, _rated(i + 1)) for i, k in enumerate(keys)], now=clock.now()
        )
        assert seen.count("INSERT") == 1
        rows[2].status = OutboxStatus.SENT
        session.commit()
        assert [r.key for r in rows] == keys
        assert rows[0].id == rows[3].id and len({r.id for r in rows}) == 3
    with sessions() as session:
        by_key = {r.key: r for r in session.exec(select(Outbox)).all()}
        assert set(by_key) == {"rated:a", "rated:old", "rated:b"}
        assert by_key["rated:b"].status == OutboxStatus.SENT
        scores = {k: stored(r, AnswerRated) for k, r in by_key.items()}
        assert {k: m.score for k, m in scores.items() if m} == {
            "rated:a": 1,
            "rated:old": 9,  # the first message under a key stands
            "rated:b": 3,
        }
    with sessions() as session:
        assert enqueue_many(session, [], now=clock.now()) == []
