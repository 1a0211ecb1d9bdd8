"""The outbox delivery worker against the fake Slack Web API (real HTTP, real slack_sdk)."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.slack.sender import SlackChatSender
from bot.workers.delivery import DeliveryWorker
from models.clock import FixedClock
from models.db import session_factory
from models.messages import Address, AnswerRated, MemberRef
from models.outbox import enqueue
from models.tables import Member, Outbox
from tests.fakes.slack_api import FakeSlackApi


def _setup(db: Engine, clock: FixedClock, api: FakeSlackApi) -> DeliveryWorker:
    sessions = session_factory(db)
    with sessions() as session:
        session.add(Member(id="m1", display_name="Ali", team="Zuilen", chat_user_id="U1"))
        session.commit()
    client = WebClient(token="xoxb-test", base_url=api.base_url)
    return DeliveryWorker(sessions, clock, SlackChatSender(client), max_attempts=3)


def _enqueue(worker: DeliveryWorker, clock: FixedClock, key: str, to: Address) -> None:
    with worker.sessions() as session:
        message = AnswerRated(to=to, score=5, question_text="x")
        enqueue(session, key=key, message=message, now=clock.now())
        session.commit()


def _store_raw(
    worker: DeliveryWorker, clock: FixedClock, key: str, template: str, payload: str
) -> None:
    """A row as an older release (or a bug) may have left it: not made from a message type."""
    with worker.sessions() as session:
        session.add(
            Outbox(
                key=key,
                template=template,
                payload=payload,
                next_attempt_at=clock.now(),
                created_at=clock.now(),
            )
        )
        session.commit()


def _row(worker: DeliveryWorker, key: str) -> Outbox:
    from sqlmodel import select

    with worker.sessions() as session:
        return session.exec(select(Outbox).where(Outbox.key == key)).one()


def test_a_429_is_retried_after_retry_after(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "k1", Address.member("m1"))
        api.fail_next("chat.postMessage", status=429, retry_after=30)
        assert worker.deliver_due() == 0
        row = _row(worker, "k1")
        assert row.status == "pending" and row.attempts == 1
        assert row.next_attempt_at == clock.now() + timedelta(seconds=30)
        clock.advance(timedelta(seconds=29))
        assert worker.deliver_due() == 0  # not yet due
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == 1
        assert len(api.called("chat.postMessage")) == 2
        assert _row(worker, "k1").status == "sent"


def test_the_same_key_is_enqueued_and_sent_once(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "k1", Address.member("m1"))
        _enqueue(worker, clock, "k1", Address.member("m1"))
        assert worker.deliver_due() == 1
        assert worker.deliver_due() == 0
        assert len(api.called("chat.postMessage")) == 1


def test_a_permanent_error_stops_retrying_and_others_still_go(
    db: Engine, clock: FixedClock
) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "bad", Address.conversation("C404"))
        _enqueue(worker, clock, "good", Address.member("m1"))
        api.fail_next("chat.postMessage", error="channel_not_found")
        assert worker.deliver_due() == 1
        bad = _row(worker, "bad")
        assert bad.status == "dead" and bad.last_error == "channel_not_found"
        assert _row(worker, "good").status == "sent"


def test_server_errors_back_off_and_give_up_after_max_attempts(
    db: Engine, clock: FixedClock
) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "k1", Address.member("m1"))
        api.fail_next("chat.postMessage", status=500, times=5)
        for _ in range(3):
            worker.deliver_due()
            clock.advance(timedelta(minutes=10))
        assert _row(worker, "k1").status == "dead"
        assert len(api.called("chat.postMessage")) == 3


def test_a_thread_reply_waits_for_its_parent(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "parent", Address.member("m1"))
        api.fail_next("chat.postMessage", status=429, retry_after=60)
        worker.deliver_due()
        _enqueue(worker, clock, "child", Address.member("m1", thread_of="parent"))
        assert worker.deliver_due() == 0
        assert _row(worker, "child").status == "pending"
        clock.advance(timedelta(seconds=60))
        assert worker.deliver_due() == 2
        _, child = api.called("chat.postMessage", include_failed=False)
        parent_row = _row(worker, "parent")
        assert (child["channel"], child["thread_ts"]) == (
            parent_row.delivered_channel,
            parent_row.delivered_ts,
        )


def test_a_private_reply_in_a_shared_conversation_stays_private_in_the_thread(
    db: Engine, clock: FixedClock
) -> None:
    """A reply addressed to one member in a channel others read is shown to them alone, also
    when it goes into the thread of an earlier message."""
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _enqueue(worker, clock, "parent", Address.conversation("C0TEAM", None))
        private = MemberRef("m1")
        child = Address.conversation("C0TEAM", None, thread_of="parent", private_to=private)
        _enqueue(worker, clock, "child", child)
        assert worker.deliver_due() == 2
        (reply,) = api.called("chat.postEphemeral")
        assert (reply["channel"], reply["user"]) == ("C0TEAM", "U1")
        assert reply["thread_ts"] == _row(worker, "parent").delivered_ts
        assert len(api.called("chat.postMessage")) == 1  # the parent only


def test_slack_down_entirely_keeps_the_message(db: Engine, clock: FixedClock) -> None:
    api = FakeSlackApi().start()
    worker = _setup(db, clock, api)
    api.stop()  # connection refused
    _enqueue(worker, clock, "k1", Address.member("m1"))
    assert worker.deliver_due() == 0
    row = _row(worker, "k1")
    assert row.status == "pending" and row.attempts == 1 and row.last_error


def test_a_payload_that_does_not_fit_its_type_is_given_up_and_others_still_go(
    db: Engine, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        # no score; the text names someone, so it must not reach the log or last_error
        payload = '{"to_member": "m1", "question_text": "Mevrouw Jansen"}'
        _store_raw(worker, clock, "broken", "answer.rated", payload)
        _enqueue(worker, clock, "fine", Address.member("m1"))
        with caplog.at_level(logging.ERROR, logger="bot.workers.delivery"):
            assert worker.deliver_due() == 1
        broken = _row(worker, "broken")
        assert broken.status == "dead" and "score" in (broken.last_error or "")
        assert "broken" in caplog.text
        assert "Jansen" not in caplog.text and "Jansen" not in (broken.last_error or "")
        assert len(api.called("chat.postMessage")) == 1


def test_an_unknown_message_type_is_never_sent_with_an_empty_text(
    db: Engine, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A misspelt or retired name in an old row: logged as an error and given up, not sent."""
    with FakeSlackApi() as api:
        worker = _setup(db, clock, api)
        _store_raw(worker, clock, "old", "answer.rate", '{"score": 5, "to_member": "m1"}')
        with caplog.at_level(logging.ERROR, logger="bot.workers.delivery"):
            assert worker.deliver_due() == 0
        old = _row(worker, "old")
        assert old.status == "dead" and "unknown message type 'answer.rate'" in (
            old.last_error or ""
        )
        assert "outbox old cannot be delivered" in caplog.text
        assert api.called("chat.postMessage") == []
