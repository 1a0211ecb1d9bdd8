"""E-mail through the outbox to a real SMTP server (aiosmtpd): received, retried while the
server is down, sent once when it is back, and no address left in the outbox afterwards, nor
in the invitation once the outbox gives the message up."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes
from email.message import Message
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.workers.delivery import DeliveryWorker, Target
from bot.workers.mail import LoggingSmsGateway, SmsSender, SmtpMailSender
from casework.ervaringwijzer.invitations import plan_invitation, process_due
from models.clock import FixedClock
from models.db import session_factory
from models.messages import Address, SurveyMail, SurveySms
from models.messages import Message as OutgoingMessage
from models.outbox import enqueue
from models.tables import FeedbackInvitation, Outbox
from tests.helpers import make_deps
from tests.integration.test_ervaringwijzer import POLICY, TEAM


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


class NoChat:
    def send(self, target: Target, message: OutgoingMessage) -> tuple[str, str]:
        raise AssertionError("a mail row must not reach the chat")

    def landed(self, target: Target, message: OutgoingMessage) -> tuple[str, str] | None:
        raise AssertionError("a mail row must not reach the chat")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(port: int) -> Iterator[Inbox]:
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def _invite(db: Engine, clock: FixedClock, port: int) -> DeliveryWorker:
    sessions = session_factory(db)
    mail = SmtpMailSender("127.0.0.1", port, "Buurtteam <ervaringwijzer@example.org>", timeout=5)
    worker = DeliveryWorker(sessions, clock, NoChat(), max_attempts=8, mail=mail)
    with sessions() as session:
        plan_invitation(
            session,
            case_ref="M-1",
            team=TEAM,
            channel="email",
            contact="client@example.org",
            closed_at=clock.now(),
            now=clock.now(),
            policy=POLICY,
        )
        session.commit()
        clock.advance(timedelta(days=1))
        process_due(session, now=clock.now(), policy=POLICY)
        session.commit()
    return worker


def _mail_row(worker: DeliveryWorker) -> Outbox:
    with worker.sessions() as session:
        return session.exec(select(Outbox)).one()


def test_the_invitation_arrives_at_a_real_smtp_server(db: Engine, clock: FixedClock) -> None:
    port = free_port()
    with smtp_server(port) as inbox:
        worker = _invite(db, clock, port)
        assert worker.deliver_due() == 1
        assert worker.deliver_due() == 0
    [message] = inbox.messages
    assert inbox.envelopes == [("ervaringwijzer@example.org", ["client@example.org"])]
    assert message["Subject"] == "Wat vond je van het buurtteam?"
    assert message["List-Unsubscribe"].startswith(
        "<https://vraagbaak.test/ervaringwijzer/afmelden/"
    )
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    body = body.decode("utf-8")
    assert "https://vraagbaak.test/ervaringwijzer/" in body and "M-1" not in body
    row = _mail_row(worker)
    assert row.status == "sent" and "client@example.org" not in row.payload
    assert json.loads(row.payload) == {"verwijderd": "na verzending"}


def test_smtp_down_then_back_sends_the_invitation_once(db: Engine, clock: FixedClock) -> None:
    port = free_port()  # nothing listens here yet: connection refused
    worker = _invite(db, clock, port)
    assert worker.deliver_due() == 0
    row = _mail_row(worker)
    assert row.status == "pending" and row.attempts == 1 and "SMTP" in (row.last_error or "")
    clock.advance(timedelta(seconds=2))  # the first backoff
    assert worker.deliver_due() == 0  # still down: the backoff grows
    assert _mail_row(worker).attempts == 2
    with smtp_server(port) as inbox:
        assert worker.deliver_due() == 0  # not due yet (backoff), the server waits
        clock.advance(timedelta(minutes=10))
        assert worker.deliver_due() == 1
        clock.advance(timedelta(minutes=10))
        assert worker.deliver_due() == 0
        with worker.sessions() as session:
            process_due(session, now=clock.now(), policy=POLICY)  # a later tick adds nothing
            session.commit()
        assert worker.deliver_due() == 0
    assert len(inbox.messages) == 1
    with worker.sessions() as session:
        invitation = session.exec(select(FeedbackInvitation)).one()
        assert invitation.sent_at is not None and invitation.contact == "client@example.org"


def test_a_worker_without_a_mail_sender_leaves_mail_alone_and_sms_goes_to_the_gateway(
    db: Engine, clock: FixedClock
) -> None:
    sessions = session_factory(db)
    with sessions() as session:
        mail = SurveyMail(to=Address.contact("a@example.org"), subject="s", text="t")
        enqueue(session, key="mail-1", message=mail, now=clock.now())
        sms = SurveySms(to=Address.contact("+31612345678"), text="t")
        enqueue(session, key="sms-1", message=sms, now=clock.now())
        session.commit()
    gateway = LoggingSmsGateway()
    worker = DeliveryWorker(sessions, clock, NoChat(), sms=SmsSender(gateway))
    assert worker.deliver_due() == 1 and gateway.sent == 1
    with sessions() as session:
        status = {row.key: row.status for row in session.exec(select(Outbox))}
    assert status == {"mail-1": "pending", "sms-1": "sent"}


def test_a_refused_address_is_given_up_and_forgotten(db: Engine, clock: FixedClock) -> None:
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, options) -> str:
            return "550 5.1.1 no such user"

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker = _invite(db, clock, port)
        assert worker.deliver_due() == 0
    finally:
        controller.stop()
    row = _mail_row(worker)
    assert row.status == "dead" and "550" in (row.last_error or "")
    assert "client@example.org" not in row.payload


def _wired(db: Engine, clock: FixedClock, port: int, *, max_attempts: int = 8) -> DeliveryWorker:
    """The worker as the service builds it (Deps.attach_sender): SMTP from the settings, and
    the Ervaringwijzer told when the outbox gives up on a message."""
    deps = make_deps(
        db, clock, smtp_host="127.0.0.1", smtp_port=port, outbox_max_attempts=max_attempts
    )
    worker = deps.attach_sender(NoChat())
    with deps.sessions() as session:
        plan_invitation(
            session,
            case_ref="M-2",
            team=TEAM,
            channel="email",
            contact="client@example.org",
            closed_at=clock.now(),
            now=clock.now(),
            policy=POLICY,
        )
        clock.advance(timedelta(days=1))
        process_due(session, now=clock.now(), policy=POLICY)
        session.commit()
    return worker


def _invitation(worker: DeliveryWorker) -> FeedbackInvitation:
    with worker.sessions() as session:
        return session.exec(select(FeedbackInvitation)).one()


def _no_reminder_later(worker: DeliveryWorker, clock: FixedClock) -> None:
    clock.advance(timedelta(days=8))
    with worker.sessions() as session:
        assert process_due(session, now=clock.now(), policy=POLICY).reminders == 0
        session.commit()
    assert _mail_row(worker).key.endswith(":uitnodiging")  # still the one, dead row


def test_a_refused_address_is_erased_from_the_invitation_too(db: Engine, clock: FixedClock) -> None:
    class Refusing(Inbox):
        async def handle_RCPT(self, server, session, envelope, address, options) -> str:
            return "550 5.1.1 no such user"

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        worker = _wired(db, clock, port)
        assert _invitation(worker).contact == "client@example.org"
        assert worker.deliver_due() == 0
    finally:
        controller.stop()
    assert _mail_row(worker).status == "dead"
    invitation = _invitation(worker)
    assert invitation.contact is None and invitation.contact_erased_at == clock.now()
    assert invitation.contact_hash is not None  # the 90-day rule and opt-outs still work
    assert invitation.reminder_at is None
    _no_reminder_later(worker, clock)


def test_smtp_down_until_the_last_attempt_erases_the_contact(db: Engine, clock: FixedClock) -> None:
    worker = _wired(db, clock, free_port(), max_attempts=2)  # nothing listens there
    assert worker.deliver_due() == 0
    assert _invitation(worker).contact == "client@example.org"  # a retry still needs it
    clock.advance(timedelta(minutes=5))
    assert worker.deliver_due() == 0
    row = _mail_row(worker)
    assert row.status == "dead" and row.attempts == 2
    assert "client@example.org" not in row.payload
    assert _invitation(worker).contact is None
    _no_reminder_later(worker, clock)
