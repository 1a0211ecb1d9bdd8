"""Nothing twice across a crash: a message Slack posted before the process could record it is
found in Slack's history on the next attempt instead of being posted again.

The crash is real in the sense that matters: the sender posts through slack_sdk to the fake
Web API and then the worker dies (a BaseException, as SIGKILL leaves no `except` to run)
before its commit; a fresh worker on the same database takes the row over once the lease ends.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.slack.sender import SlackChatSender
from bot.workers.delivery import LEASE, DeliveryWorker, Target
from models.clock import FixedClock
from models.db import session_factory
from models.messages import Address, AnswerRated, Message
from models.outbox import enqueue
from models.tables import Member, Outbox
from tests.fakes.slack_api import FakeSlackApi


class Died(BaseException):
    """The process ending between Slack's answer and the commit."""


class DiesAfterPosting(SlackChatSender):
    def send(self, target: Target, message: Message) -> tuple[str, str]:
        super().send(target, message)
        raise Died


def _worker(db: Engine, clock: FixedClock, sender: SlackChatSender) -> DeliveryWorker:
    return DeliveryWorker(session_factory(db), clock, sender, max_attempts=3)


def _client(api: FakeSlackApi) -> WebClient:
    return WebClient(token="xoxb-test", base_url=api.base_url)


def _enqueue(db: Engine, clock: FixedClock, key: str, to: Address) -> None:
    with session_factory(db)() as session:
        if session.get(Member, "m1") is None:
            session.add(Member(id="m1", display_name="Ali", team="Zuilen", chat_user_id="U1"))
        enqueue(
            session,
            key=key,
            message=AnswerRated(to=to, score=5, question_text="x"),
            now=clock.now(),
        )
        session.commit()


def _row(db: Engine, key: str) -> Outbox:
    with session_factory(db)() as session:
        return session.exec(select(Outbox).where(Outbox.key == key)).one()


def test_a_crash_after_slack_posted_does_not_post_the_message_again(
    db: Engine, clock: FixedClock
) -> None:
    with FakeSlackApi() as api:
        _enqueue(db, clock, "k1", Address.member("m1"))
        with pytest.raises(Died):
            _worker(db, clock, DiesAfterPosting(_client(api))).deliver_due()
        row = _row(db, "k1")
        assert row.status == "pending" and row.send_started_at is not None
        survivor = _worker(db, clock, SlackChatSender(_client(api)))
        assert survivor.deliver_due() == 0  # leased to the dead worker until the lease ends
        clock.advance(LEASE)
        assert survivor.deliver_due() == 1
        posted = api.history("U1")
        assert len(posted) == 1 and len(api.called("chat.postMessage")) == 1
        row = _row(db, "k1")
        assert row.status == "sent" and row.send_started_at is None
        assert (row.delivered_channel, row.delivered_ts) == ("DU1", posted[0]["ts"])
        assert posted[0]["metadata"]["event_payload"] == {"outbox_key": "k1"}


def test_a_crash_before_slack_posted_sends_the_message_after_the_lease(
    db: Engine, clock: FixedClock
) -> None:
    class DiesBeforePosting(SlackChatSender):
        def send(self, target: Target, message: Message) -> tuple[str, str]:
            raise Died

    with FakeSlackApi() as api:
        _enqueue(db, clock, "k1", Address.member("m1"))
        with pytest.raises(Died):
            _worker(db, clock, DiesBeforePosting(_client(api))).deliver_due()
        clock.advance(LEASE)
        assert _worker(db, clock, SlackChatSender(_client(api))).deliver_due() == 1
        assert len(api.history("U1")) == 1
        assert len(api.called("conversations.history")) == 1  # looked, found nothing, posted


def test_a_500_after_slack_posted_is_not_posted_again(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _worker(db, clock, SlackChatSender(_client(api)))
        _enqueue(db, clock, "k1", Address.member("m1"))
        api.fail_next("chat.postMessage", status=500, after_effect=True)
        assert worker.deliver_due() == 0
        clock.advance(timedelta(minutes=5))
        assert worker.deliver_due() == 1
        assert len(api.history("U1")) == 1
        assert _row(db, "k1").delivered_ts == api.history("U1")[0]["ts"]


def test_a_429_posts_nothing_so_the_retry_does_not_look(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _worker(db, clock, SlackChatSender(_client(api)))
        _enqueue(db, clock, "k1", Address.member("m1"))
        api.fail_next("chat.postMessage", status=429, retry_after=1)
        worker.deliver_due()
        assert _row(db, "k1").send_started_at is None
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == 1
        assert not api.called("conversations.history")


def test_a_thread_reply_that_landed_is_found_in_its_thread(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        worker = _worker(db, clock, SlackChatSender(_client(api)))
        _enqueue(db, clock, "parent", Address.member("m1"))
        assert worker.deliver_due() == 1
        _enqueue(db, clock, "child", Address.member("m1", thread_of="parent"))
        with pytest.raises(Died):
            _worker(db, clock, DiesAfterPosting(_client(api))).deliver_due()
        clock.advance(LEASE)
        assert worker.deliver_due() == 1
        assert len(api.history("U1")) == 2  # the parent and one reply
        assert api.called("conversations.replies")
        assert _row(db, "child").delivered_ts == api.history("U1")[1]["ts"]


def test_a_worker_whose_lease_was_taken_over_leaves_the_outcome_to_the_other(
    db: Engine, clock: FixedClock
) -> None:
    """A send slower than the lease: the second worker's look-up finds the message, and the
    first worker's late answer changes nothing."""

    class Slow(SlackChatSender):
        def send(self, target: Target, message: Message) -> tuple[str, str]:
            landed = super().send(target, message)
            clock.advance(LEASE)
            assert other.deliver_due() == 1  # takes over, finds the message in the history
            return landed

    with FakeSlackApi() as api:
        other = _worker(db, clock, SlackChatSender(_client(api)))
        _enqueue(db, clock, "k1", Address.member("m1"))
        assert _worker(db, clock, Slow(_client(api))).deliver_due() == 0
        assert len(api.history("U1")) == 1
        assert _row(db, "k1").status == "sent"


def test_history_the_app_may_not_read_means_sending_again(
    db: Engine, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Without channels:history the look-up cannot tell: at-least-once, logged without text."""
    with FakeSlackApi() as api:
        _enqueue(db, clock, "k1", Address.conversation("C0TEAM", None))
        with pytest.raises(Died):
            _worker(db, clock, DiesAfterPosting(_client(api))).deliver_due()
        api.fail_next("conversations.history", error="missing_scope")
        clock.advance(LEASE)
        assert _worker(db, clock, SlackChatSender(_client(api))).deliver_due() == 1
        assert len(api.history("C0TEAM")) == 2
        assert "missing_scope" in caplog.text


def test_a_started_send_is_recorded_as_a_moment(db: Engine, clock: FixedClock) -> None:
    with FakeSlackApi() as api:
        _enqueue(db, clock, "k1", Address.member("m1"))
        with pytest.raises(Died):
            _worker(db, clock, DiesAfterPosting(_client(api))).deliver_due()
        started = _row(db, "k1").send_started_at
        assert isinstance(started, datetime) and started == clock.now()
