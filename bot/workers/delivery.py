"""The delivery worker: sends outbox rows through a ChatSender, with retries.

Each row is read back as its typed message (models/messages/) and its `Address` becomes a
`Target`; a row whose type is not registered, or whose payload does not fit its type, is never
sent: it is logged as an error and given up at once ("dead"), like any permanent failure.

Rows of another channel_kind ("mail", "sms": messages to clients) go to the MessageSender
given for that kind; a worker without one leaves those rows alone, so they wait instead of
reaching the chat. Once such a message is out (or given up), its payload (the address and the
personal link) is replaced by a marker: the outbox keeps no contact detail of a client. A chat
message whose payload lists fields under REDACT_AFTER_DELIVERY (the survey link a generalist
shares) loses those fields the same way once it is delivered or given up; until then the
payload stays whole, so a retry sends the same message. A row that is given up is handed to
`on_given_up` in the same transaction, so its cause can forget what only that message needed
(the Ervaringwijzer erases the client's address: casework/ervaringwijzer/invitations.py).

Nothing twice, also across a crash. A chat row is sent in three steps: a short transaction
claims it (the row lock, then `send_started_at` and a lease: `next_attempt_at` moves LEASE
ahead, so no other worker takes it while the send is out), the send runs outside any
transaction, and a second transaction records where it landed. A process killed between
Slack's answer and that commit, or a Slack that posted and then answered 500 or timed out,
leaves the row pending with `send_started_at` set; whoever takes it next first asks the
sender whether an earlier attempt landed (`ChatSender.landed`: Slack's history, matched on the
outbox key carried as message metadata) and records that message instead of posting again.
A failure that certainly posted nothing (429, an `ok: false` refusal) clears the mark. What
cannot be looked up is sent again (at-least-once): an ephemeral hint, or a channel the app may
not read. Updates are idempotent and need no look-up. Mail and SMS rows are sent under the row
lock in one transaction, as before. The outbox key keeps anything from being enqueued twice,
and Retry-After-aware backoff lets a rate-limited row wait while the rest go on.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import func, or_
from sqlalchemy import select as select_rows
from sqlmodel import Session, col, select

from models.clock import Clock
from models.db import SessionFactory
from models.messages import (
    Address,
    ChatUser,
    Contact,
    Conversation,
    MemberRef,
    Message,
    UnreadableMessage,
)
from models.outbox import forget_after_delivery, message_of
from models.statuses import OutboxStatus
from models.tables import Member, Outbox

log = logging.getLogger(__name__)


class TransientSendError(Exception):
    """A failure a later attempt may cure. `posted` False: the message certainly did not land
    (Slack refused it before posting: a 429); True: it may have (a 500, a timeout)."""

    def __init__(
        self, message: str, retry_after: float | None = None, *, posted: bool = True
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.posted = posted


class PermanentSendError(Exception):
    pass


@dataclass(frozen=True)
class Target:
    channel: str
    thread: str | None = None
    update_ts: str | None = None
    private_to: str | None = None  # chat user id: show only to them when in a shared channel
    key: str = ""  # the outbox key, sent along so a later attempt can find the message


class ChatSender(Protocol):
    def send(self, target: Target, message: Message) -> tuple[str, str]:
        """Deliver; returns (channel, ts) where the message landed."""
        ...

    def landed(self, target: Target, message: Message) -> tuple[str, str] | None:
        """Where an earlier attempt delivered this message, or None when it did not land or
        that cannot be told (then it is sent again). May raise TransientSendError."""
        ...


class MessageSender(Protocol):
    def send(self, message: Message) -> None:
        """Deliver a message to a client's contact (an e-mail, an SMS); raise
        PermanentSendError for a message of a kind this sender does not write."""
        ...


REDACTED_PAYLOAD = json.dumps({"verwijderd": "na verzending"})


class Deferred(Exception):
    """The message depends on one that has not been delivered yet."""


# How long a claimed row is left to the worker sending it; longer than any one send can take
# (slack_sdk's timeout is 30 s), so another worker takes it over only after a crash.
LEASE = timedelta(seconds=120)


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(600, 2 ** min(attempts, 10)))


class DeliveryWorker:
    def __init__(
        self,
        sessions: SessionFactory,
        clock: Clock,
        sender: ChatSender,
        *,
        max_attempts: int = 8,
        dm_channel: Callable[[Member], str] | None = None,
        mail: MessageSender | None = None,
        sms: MessageSender | None = None,
        on_delivered: Callable[[list[int]], None] | None = None,
        on_given_up: Callable[[Session, Outbox, datetime], None] | None = None,
        pace: timedelta = timedelta(0),
    ) -> None:
        self.sessions = sessions
        self.pace = pace
        self._last_sent: dict[str, datetime] = {}  # recipient → when this worker last sent
        self.on_delivered = on_delivered
        self.on_given_up = on_given_up
        self.clock = clock
        self.sender = sender
        self.max_attempts = max_attempts
        self.dm_channel = dm_channel or (lambda m: m.chat_user_id or m.id)
        self.direct: dict[str, MessageSender] = {
            kind: sender for kind, sender in (("mail", mail), ("sms", sms)) if sender is not None
        }

    def deliver_due(self, limit: int = 100) -> int:
        """Send what is due, in rounds; returns how many rows were sent.

        A round takes the first pending row of every recipient (their order is kept: a later
        row never overtakes an earlier one, also while that one waits for a retry), the
        replies to what someone just did before the news they wait for before bulk, then by
        age. So a new question's reply is not stuck behind a wave of invitations to fifty
        experts: it is one recipient's first row among the others. A recipient sent to within
        `pace` is left for a later call (Slack: about one message per second per
        conversation). Rounds repeat until nothing more is due or `limit` rows were tried.

        After the call, `on_delivered` gets the ids of the rows sent in it (once, so a
        listener can refresh each person's App Home once, however many rows concerned them).
        """
        sent: list[int] = []
        tried = 0
        previous: list[tuple[int, str | None]] = []
        while tried < limit:
            heads = self._heads(limit - tried)
            if not heads or heads == previous:
                break  # nothing moved: what is left waits (a retry, a parent, the pace)
            previous = heads
            tried += len(heads)
            now = self.clock.now()
            for row_id, recipient in heads:
                if self._deliver_one(row_id):
                    sent.append(row_id)
                    if recipient:
                        self._last_sent[recipient] = now
        if sent and self.on_delivered is not None:
            try:
                self.on_delivered(sent)
            except Exception:  # a view that fails to refresh must never stop delivery
                log.exception("on_delivered failed after outbox rows %s", sent)
        return len(sent)

    def _heads(self, limit: int) -> list[tuple[int, str | None]]:
        """The first pending row of each recipient, when it is due and the recipient is not
        paced, in priority order then oldest first."""
        now = self.clock.now()
        pending = (
            select_rows(
                col(Outbox.id),
                col(Outbox.recipient),
                col(Outbox.priority),
                col(Outbox.next_attempt_at),
                func.row_number()
                .over(partition_by=col(Outbox.recipient), order_by=col(Outbox.id))
                .label("place"),
            )
            .where(
                col(Outbox.status) == OutboxStatus.PENDING,
                col(Outbox.channel_kind).in_(["chat", *self.direct]),
                # what holds its recipient's place in line: a row that is due, or one already
                # tried (a retry keeps the order). A row that waits untried (a reply waiting
                # for its parent: Deferred) does not, or a parent written after its reply
                # would wait behind it forever.
                or_(
                    col(Outbox.next_attempt_at) <= now,
                    col(Outbox.attempts) > 0,
                    col(Outbox.send_started_at).is_not(None),
                ),
            )
            .subquery()
        )
        query = (
            select_rows(pending.c.id, pending.c.recipient)
            .where(
                or_(pending.c.place == 1, pending.c.recipient.is_(None)),
                pending.c.next_attempt_at <= now,
            )
            .order_by(pending.c.priority, pending.c.id)
            .limit(limit + len(self._last_sent))
        )
        paced = {
            recipient
            for recipient, at in self._last_sent.items()
            if self.pace and now - at < self.pace
        }
        self._last_sent = {r: at for r, at in self._last_sent.items() if r in paced}
        with self.sessions() as session:
            rows = session.execute(query).all()
        return [(row.id, row.recipient) for row in rows if row.recipient not in paced][:limit]

    def _deliver_one(self, row_id: int) -> int:
        """Claim, send, settle (module docstring); returns 1 when the row was delivered."""
        claim = self._claim(row_id)
        if not isinstance(claim, tuple):
            return claim
        target, message, started = claim
        try:
            channel, ts = self.sender.send(target, message)
        except Exception as error:
            return self._settle(row_id, started, error=error)
        return self._settle(row_id, started, landed=(channel, ts), target=target)

    def _claim(self, row_id: int) -> int | tuple[Target, Message, datetime]:
        """Under the row lock: a mail row is sent here; a chat row whose earlier attempt landed
        is recorded; otherwise the row is marked as being sent and leased, and its target and
        message returned. An int is the outcome when nothing is left to send."""
        with self.sessions() as session:
            row = session.exec(
                select(Outbox).where(Outbox.id == row_id).with_for_update(skip_locked=True)
            ).first()
            now = self.clock.now()
            if row is None or row.status != OutboxStatus.PENDING or row.next_attempt_at > now:
                return 0  # sent, given up, or claimed by another worker meanwhile
            try:
                message = _readable(row)
                if row.channel_kind != "chat":
                    return self._deliver_direct(session, row, message, now)
                target = replace(self._target(session, message.to), key=row.key)
                if row.send_started_at is not None and not target.update_ts:
                    earlier = self.sender.landed(target, message)
                    if earlier is not None:
                        log.warning("outbox %s had landed before a crash: not sent again", row.key)
                        self._sent(session, row, target, earlier, now)
                        return 1
            except Exception as error:
                self._failed(session, row, error, now)
                return 0
            row.send_started_at, row.next_attempt_at = now, now + LEASE
            session.add(row)
            session.commit()
            return target, message, now

    def _settle(
        self,
        row_id: int,
        started: datetime,
        *,
        landed: tuple[str, str] | None = None,
        target: Target | None = None,
        error: Exception | None = None,
    ) -> int:
        """Record the send's outcome, unless another worker took the row over (a lease that
        ran out): then that worker's outcome stands."""
        with self.sessions() as session:
            row = session.exec(select(Outbox).where(Outbox.id == row_id).with_for_update()).one()
            if row.status != OutboxStatus.PENDING or row.send_started_at != started:
                log.warning("outbox %s was taken over while being sent", row.key)
                return 0
            now = self.clock.now()
            if landed is not None and target is not None:
                self._sent(session, row, target, landed, now)
                return 1
            if isinstance(error, TransientSendError | PermanentSendError) and not getattr(
                error, "posted", False
            ):
                row.send_started_at = None  # certainly not posted: no look-up next time
            self._failed(session, row, error or RuntimeError("no outcome"), now)
            return 0

    def _sent(
        self, session: Session, row: Outbox, target: Target, where: tuple[str, str], now: datetime
    ) -> None:
        row.status, row.sent_at, row.send_started_at = OutboxStatus.SENT, now, None
        if not target.update_ts:
            row.delivered_channel, row.delivered_ts = where
        forget_after_delivery(row)
        session.add(row)
        session.commit()

    def _failed(self, session: Session, row: Outbox, error: Exception, now: datetime) -> None:
        """Wait and retry, or give up for good; commits."""
        if isinstance(error, Deferred):
            row.next_attempt_at = now + timedelta(seconds=2)
        elif isinstance(error, PermanentSendError):
            row.attempts += 1
            row.status, row.last_error = OutboxStatus.DEAD, str(error)[:500]
            log.error("outbox %s cannot be delivered: %s", row.key, error)
        else:  # transient, or a bug: retry, never stop the worker
            if not isinstance(error, TransientSendError):
                log.error("outbox %s failed unexpectedly", row.key, exc_info=error)
            self._retry_later(row, error, now)
        if row.status == OutboxStatus.DEAD:
            self._given_up(session, row, now)
        session.add(row)
        session.commit()

    def _given_up(self, session: Session, row: Outbox, now: datetime) -> None:
        """A row that will never be sent keeps nothing personal, and its cause is told."""
        if row.channel_kind != "chat":
            row.payload = REDACTED_PAYLOAD  # given up: the address is not kept either
        else:
            try:
                forget_after_delivery(row)
            except ValueError:  # a payload that is not JSON (the reason it died): keep it
                log.warning("outbox %s: payload could not be read to redact it", row.key)
        if self.on_given_up is None:
            return
        try:
            with session.begin_nested():  # a failing callback must not keep the row pending
                self.on_given_up(session, row, now)
        except Exception:
            log.exception("on_given_up failed for outbox %s", row.key)

    def _deliver_direct(
        self, session: Session, row: Outbox, message: Message, now: datetime
    ) -> int:
        """A mail or SMS row; failures go up to _deliver_one's retry handling."""
        self.direct[row.channel_kind].send(message)
        row.status, row.sent_at, row.payload = OutboxStatus.SENT, now, REDACTED_PAYLOAD
        session.add(row)
        session.commit()
        return 1

    def _retry_later(self, row: Outbox, error: Exception, now: datetime) -> None:
        row.attempts += 1
        row.last_error = (str(error) or type(error).__name__)[:500]
        retry_after = error.retry_after if isinstance(error, TransientSendError) else None
        wait = timedelta(seconds=retry_after) if retry_after else _backoff(row.attempts)
        row.next_attempt_at = now + wait
        if row.attempts >= self.max_attempts:
            row.status = OutboxStatus.DEAD
            log.error("outbox %s given up after %s attempts", row.key, row.attempts)

    def _delivered(self, session: Session, key: str) -> Outbox | None:
        ref = session.exec(select(Outbox).where(Outbox.key == key)).first()
        if ref is None or ref.status == OutboxStatus.DEAD:
            return None
        if ref.status != OutboxStatus.SENT:
            raise Deferred(key)
        return ref

    def _target(self, session: Session, address: Address) -> Target:
        private: str | None = None
        match address.private_to:
            case ChatUser(id=user):
                private = user
            case MemberRef(id=member_id):
                viewer = session.get(Member, member_id)
                private = viewer.chat_user_id if viewer else None
        if address.update_of:
            ref = self._delivered(session, address.update_of)
            if ref is not None:
                return Target(ref.delivered_channel or "", update_ts=ref.delivered_ts)
        if address.thread_of:
            ref = self._delivered(session, address.thread_of)
            if ref is not None:  # a private reply stays private in the parent's thread
                channel = ref.delivered_channel or ""
                return Target(channel, thread=ref.delivered_ts, private_to=private)
        match address.recipient:
            case MemberRef(id=member_id):
                member = session.get(Member, member_id)
                if member is None:
                    raise PermanentSendError(f"unknown member {member_id}")
                return Target(self.dm_channel(member))
            case Conversation(id=channel, thread=thread):
                return Target(channel, thread=thread, private_to=private)
            case Contact():
                raise PermanentSendError("a client's contact is not a chat address")


def _readable(row: Outbox) -> Message:
    """The row's message, or a permanent failure: nothing is sent with a guessed text."""
    try:
        return message_of(row)
    except UnreadableMessage as error:
        raise PermanentSendError(f"unreadable message: {error}") from error
