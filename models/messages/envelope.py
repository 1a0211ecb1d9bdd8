"""The base message type, its registry and its JSON form in the outbox (encode, decode,
validated). Every registered type is declared in a sibling module; models/messages/__init__.py
imports them all, so a stored name always finds its type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import TypeAdapter, ValidationError

from models.messages.addresses import (
    ADDRESS_KEYS,
    Address,
    EmptiedMessage,
    UnreadableMessage,
)

REDACT_AFTER_DELIVERY = "redact_after_delivery"  # payload key: fields to drop once delivered
EMPTIED_KEY = "verwijderd"  # the marker key of an emptied payload


class Priority(IntEnum):
    """Which messages go first when many wait (bot/workers/delivery.py): a reply to what
    someone just did (they are looking at their phone for it), then news someone waits for
    (an answer, a result), then bulk (invitations, waves, reminders, digests, mail)."""

    REPLY = 0
    AWAITED = 1
    BULK = 2


@dataclass(frozen=True, kw_only=True)
class Message:
    """One outgoing message. Subclasses declare `kind=` (the registered name) and
    `priority=` (Priority, BULK unless said) and may set `channel_kind` ("chat", "mail",
    "sms") and `redact_after_delivery` (fields dropped from the stored payload once the
    message is delivered or given up)."""

    kind: ClassVar[str]
    priority: ClassVar[Priority] = Priority.BULK
    channel_kind: ClassVar[Literal["chat", "mail", "sms"]] = "chat"
    redact_after_delivery: ClassVar[tuple[str, ...]] = ()

    to: Address

    def __init_subclass__(
        cls, kind: str | None = None, priority: Priority | None = None, **kwargs: Any
    ) -> None:
        super().__init_subclass__(**kwargs)
        if priority is not None:
            cls.priority = priority
        if kind is None:
            return
        if kind in MESSAGE_TYPES:
            raise TypeError(f"message kind {kind!r} is registered twice")
        cls.kind = kind
        MESSAGE_TYPES[kind] = cls


MESSAGE_TYPES: dict[str, type[Message]] = {}
M = TypeVar("M", bound=Message)


_ADAPTERS: dict[type[Message], TypeAdapter[Any]] = {}


def _adapter(kind: type[Message]) -> TypeAdapter[Any]:
    """pydantic's validator and serialiser of a message type, made once."""
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        names = {f.name for f in fields(kind) if f.name != "to"}
        clashes = names & (ADDRESS_KEYS | {REDACT_AFTER_DELIVERY})
        if clashes:  # such a field would be read back as part of the address
            raise TypeError(f"{kind.__name__}: fields {sorted(clashes)} are address keys")
        adapter = _ADAPTERS[kind] = TypeAdapter(kind)
    return adapter


def encode(message: Message) -> dict[str, Any]:
    """The message as its outbox payload (JSON-ready)."""
    body: dict[str, Any] = _adapter(type(message)).dump_python(message, mode="json", exclude={"to"})
    body |= message.to.as_payload()
    if message.redact_after_delivery:
        body[REDACT_AFTER_DELIVERY] = list(message.redact_after_delivery)
    return body


def decode(kind: str, payload: Mapping[str, Any]) -> Message:
    """The typed message of a stored (name, payload); raises UnreadableMessage for a name that
    is not registered or a payload that does not fit, EmptiedMessage for an emptied one."""
    message_type = MESSAGE_TYPES.get(kind)
    if message_type is None:
        raise UnreadableMessage(f"unknown message type {kind!r}")
    if EMPTIED_KEY in payload:
        raise EmptiedMessage(f"{kind}: the payload was emptied ({payload[EMPTIED_KEY]})")
    body = {k: v for k, v in payload.items() if k not in ADDRESS_KEYS}
    body.pop(REDACT_AFTER_DELIVERY, None)
    try:
        message: Message = _adapter(message_type).validate_python(
            body | {"to": Address.from_payload(payload)}
        )
    except ValidationError as error:
        raise UnreadableMessage(f"{kind}: {_problems(error)}") from None
    return message


def validated(message_type: type[M], values: Mapping[str, Any], *, to: Address) -> M:
    """A message from plain values (a digest computed as JSON-ready data), checked against its
    type; raises UnreadableMessage when they do not fit."""
    body = {k: v for k, v in values.items() if k not in ADDRESS_KEYS}
    try:
        message: M = _adapter(message_type).validate_python(body | {"to": to})
    except ValidationError as error:
        raise UnreadableMessage(f"{message_type.kind}: {_problems(error)}") from None
    return message


def _problems(error: ValidationError) -> str:
    """What did not fit, by field, without the values: the error goes to the log and to the
    row's last_error, and a payload holds names, texts and a client's address."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc'])}: {problem['msg']}"
        for problem in error.errors(include_url=False, include_input=False, include_context=False)
    )
