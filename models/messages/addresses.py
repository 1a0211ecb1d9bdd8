"""Addresses: who receives a message (a member's DM, a chat conversation or thread, or a
client's contact), and which earlier message it answers or replaces."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class UnreadableMessage(ValueError):
    """A stored message whose name is not registered or whose payload does not fit its type."""


class EmptiedMessage(UnreadableMessage):
    """A stored message whose payload was emptied (retention, erasure, after delivery)."""


@dataclass(frozen=True)
class MemberRef:
    """A colleague known to Vraagbaak (`Member.id`); delivery finds their chat account."""

    id: str


@dataclass(frozen=True)
class ChatUser:
    """A chat account by its own id (a Slack user id): someone who may not be a member yet."""

    id: str


@dataclass(frozen=True)
class Conversation:
    """A chat conversation: a channel, a DM, or a chat user id (which opens the DM); `thread`
    is the timestamp of the thread in it to reply in."""

    id: str
    thread: str | None = None


@dataclass(frozen=True)
class Contact:
    """A client's e-mail address or mobile number (mail and SMS; erased once sent)."""

    value: str


Recipient = MemberRef | Conversation | Contact
Viewer = MemberRef | ChatUser


@dataclass(frozen=True)
class Address:
    """Where a message goes. `thread_of` and `update_of` name the outbox key of an earlier
    message: once that one is delivered, this one replies in its thread or replaces it; while
    it waits, this one waits; when it was given up, `recipient` is used. `private_to` keeps a
    message in a conversation others read visible to that one person."""

    recipient: Recipient
    thread_of: str | None = None
    update_of: str | None = None
    private_to: Viewer | None = None

    @classmethod
    def member(
        cls, member_id: str, *, thread_of: str | None = None, update_of: str | None = None
    ) -> Address:
        """A member's DM (or, with `thread_of` / `update_of`, a message there)."""
        return cls(MemberRef(member_id), thread_of=thread_of, update_of=update_of)

    @classmethod
    def conversation(
        cls,
        channel: str,
        thread: str | None = None,
        *,
        thread_of: str | None = None,
        update_of: str | None = None,
        private_to: Viewer | None = None,
    ) -> Address:
        """A conversation, or a thread in it ("" counts as no thread)."""
        return cls(
            Conversation(channel, thread or None),
            thread_of=thread_of,
            update_of=update_of,
            private_to=private_to,
        )

    @classmethod
    def contact(cls, value: str) -> Address:
        return cls(Contact(value))

    def as_payload(self) -> dict[str, str]:
        """The address as the outbox payload's flat keys."""
        out: dict[str, str] = {}
        match self.recipient:
            case MemberRef(id=member_id):
                out["to_member"] = member_id
            case Conversation(id=channel, thread=thread):
                out["channel"] = channel
                if thread:
                    out["thread"] = thread
            case Contact(value=value):
                out["to"] = value
        if self.thread_of:
            out["thread_of"] = self.thread_of
        if self.update_of:
            out["update_of"] = self.update_of
        match self.private_to:
            case MemberRef(id=member_id):
                out["private_to"] = member_id
            case ChatUser(id=user):
                out["private_user"] = user
        return out

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Address:
        """Read the flat keys back (the first recipient key found wins, as delivery always
        preferred a member's DM over a channel)."""
        recipient: Recipient
        if payload.get("to_member"):
            recipient = MemberRef(str(payload["to_member"]))
        elif payload.get("channel"):
            recipient = Conversation(str(payload["channel"]), _text_or_none(payload.get("thread")))
        elif payload.get("to"):
            recipient = Contact(str(payload["to"]))
        else:
            raise UnreadableMessage("the payload names no recipient")
        private: Viewer | None = None
        if payload.get("private_to"):
            private = MemberRef(str(payload["private_to"]))
        elif payload.get("private_user"):
            private = ChatUser(str(payload["private_user"]))
        return cls(
            recipient,
            thread_of=_text_or_none(payload.get("thread_of")),
            update_of=_text_or_none(payload.get("update_of")),
            private_to=private,
        )


ADDRESS_KEYS = frozenset(
    {"to_member", "channel", "thread", "to", "thread_of", "update_of", "private_to"}
    | {"private_user"}
)


def _text_or_none(value: Any) -> str | None:
    return str(value) if value else None
