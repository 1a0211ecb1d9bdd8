"""Which message goes first when many wait (bot/workers/delivery.py): each recipient's messages
in order, a reply to what someone just did before bulk, no recipient sent to faster than the
pace."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.slack.sender import SlackChatSender
from bot.workers.delivery import DeliveryWorker
from models.clock import FixedClock
from models.db import session_factory
from models.messages import Address, InvitationReminder, Message, Notice
from models.outbox import enqueue
from models.tables import Member, Outbox
from tests.fakes.slack_api import FakeSlackApi

EXPERTS = [f"e{n:02d}" for n in range(30)]


def _members(db: Engine) -> None:
    with session_factory(db)() as session:
        for member_id in [*EXPERTS, "asker"]:
            session.add(
                Member(
                    id=member_id,
                    display_name=member_id,
                    team="Zuilen",
                    chat_user_id=f"U{member_id}",
                )
            )
        session.commit()


def _enqueue(db: Engine, clock: FixedClock, key: str, message: Message) -> None:
    with session_factory(db)() as session:
        enqueue(session, key=key, message=message, now=clock.now())
        session.commit()


def _reminder(member_id: str) -> InvitationReminder:
    return InvitationReminder(to=Address.member(member_id), invitation_id=1, question_text="x")


def _worker(db: Engine, clock: FixedClock, api: FakeSlackApi, **kwargs: object) -> DeliveryWorker:
    client = WebClient(token="xoxb-test", base_url=api.base_url)
    return DeliveryWorker(session_factory(db), clock, SlackChatSender(client), **kwargs)  # type: ignore[arg-type]


def _channels(api: FakeSlackApi) -> list[str]:
    return [str(body["channel"]) for body in api.called("chat.postMessage", include_failed=False)]


def test_a_reply_to_the_asker_goes_before_an_older_wave_of_bulk(
    db: Engine, clock: FixedClock
) -> None:
    _members(db)
    for member_id in EXPERTS:
        _enqueue(db, clock, f"reminder:{member_id}", _reminder(member_id))
    _enqueue(db, clock, "notice:asker", Notice(to=Address.member("asker"), text="Ontvangen"))
    with FakeSlackApi() as api:
        assert _worker(db, clock, api).deliver_due(limit=5) == 5
        assert _channels(api)[0] == "Uasker"  # the newest row, first: it answers someone


def test_one_recipients_messages_keep_their_order_while_the_first_waits(
    db: Engine, clock: FixedClock
) -> None:
    _members(db)
    _enqueue(db, clock, "first", _reminder("e01"))
    _enqueue(db, clock, "second", Notice(to=Address.member("e01"), text="tweede"))
    _enqueue(db, clock, "other", _reminder("e02"))
    with FakeSlackApi() as api:
        worker = _worker(db, clock, api)
        api.fail_next("chat.postMessage", status=429, retry_after=30)
        worker.deliver_due()
        # e01's first row waits 30 s; its second (a higher priority) does not overtake it
        assert _channels(api) == ["Ue02"]
        clock.advance(timedelta(seconds=30))
        worker.deliver_due()
        assert _channels(api) == ["Ue02", "Ue01", "Ue01"]
        texts = [body["text"] for body in api.called("chat.postMessage", include_failed=False)]
        assert texts[-1].startswith("tweede")


def test_a_recipient_is_paced_while_others_go_on(db: Engine, clock: FixedClock) -> None:
    _members(db)
    for n in range(3):
        _enqueue(db, clock, f"e01:{n}", Notice(to=Address.member("e01"), text=f"bericht {n}"))
    _enqueue(db, clock, "e02", Notice(to=Address.member("e02"), text="ander"))
    with FakeSlackApi() as api:
        worker = _worker(db, clock, api, pace=timedelta(seconds=1))
        assert worker.deliver_due() == 2  # e01's first and e02's
        assert worker.deliver_due() == 0  # e01 was sent to less than a second ago
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == 1
        clock.advance(timedelta(seconds=1))
        assert worker.deliver_due() == 1
        assert _channels(api) == ["Ue01", "Ue02", "Ue01", "Ue01"]


def test_every_row_names_its_queue_and_priority(db: Engine, clock: FixedClock) -> None:
    _members(db)
    _enqueue(db, clock, "a", Notice(to=Address.member("e01"), text="x"))
    _enqueue(db, clock, "b", _reminder("e01"))
    _enqueue(db, clock, "c", Notice(to=Address.conversation("C0TEAM", "1.2"), text="x"))
    with session_factory(db)() as session:
        rows = {r.key: (r.recipient, r.priority) for r in session.exec(select(Outbox))}
    assert rows == {
        "a": ("member:e01", 0),
        "b": ("member:e01", 2),
        "c": ("conversation:C0TEAM", 0),
    }


def test_a_reply_written_before_its_parent_does_not_block_the_parent(
    db: Engine, clock: FixedClock
) -> None:
    """A question nobody can answer writes "nobody" (a reply in the thread of "received")
    before "received" itself, in one transaction: the reply waits for its parent and must not
    hold the parent's place in its recipient's line."""
    _members(db)
    child = Notice(to=Address.member("e01", thread_of="parent"), text="antwoord in de draad")
    _enqueue(db, clock, "child", child)
    _enqueue(db, clock, "parent", Notice(to=Address.member("e01"), text="eerst dit"))
    with FakeSlackApi() as api:
        worker = _worker(db, clock, api)
        worker.deliver_due()  # the child is deferred (its parent is not sent yet)
        clock.advance(timedelta(seconds=2))
        worker.deliver_due()
        clock.advance(timedelta(seconds=2))
        worker.deliver_due()
        texts = [b["text"] for b in api.called("chat.postMessage", include_failed=False)]
        assert [t.split()[0] for t in texts] == ["eerst", "antwoord"]
