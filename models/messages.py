"""Every kind of message Vraagbaak sends, as a type: what the domain says, never how it looks.

The domain (routing/, casework/, bot/'s listeners) builds one of these frozen dataclasses and
hands it to `models.outbox.enqueue`; bot/render/rendering.py turns each type into Slack's text and
blocks and into the console's text. A message type is declared with its registered name,
`class Notice(Message, kind="notice")`; that name is what the outbox row's `template` column
holds, and the message's fields are its JSON `payload`.

Addressing is one typed value, `Address`: who receives it (`recipient`: a member's DM, a chat
conversation or thread, or a client's e-mail address or mobile number), optionally which
earlier message it answers in the thread of (`thread_of`) or replaces (`update_of`), and who
alone may see it in a shared conversation (`private_to`).

Invariants:
- the stored payload keeps the flat keys the outbox has always had (`to_member`, `channel`,
  `thread`, `to`, `thread_of`, `update_of`, `private_to`, `private_user`, then the fields), so
  rows written before these types existed still deliver, and the retention sweep and erasures
  (models/outbox_redaction.py, models/erasure.py) find what they look for;
- a name that is not registered, or a payload that does not fit its type, raises
  `UnreadableMessage`: nothing is ever sent with a guessed or empty text;
- a payload emptied by retention, an erasure or delivery (`{"verwijderd": …}`) raises
  `EmptiedMessage`; readers that show stored messages again treat that as "gone".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar

from pydantic import TypeAdapter, ValidationError

__all__ = [
    "MESSAGE_TYPES",
    "REDACT_AFTER_DELIVERY",
    "Address",
    "AnswerRated",
    "AnswerRelayed",
    "ChatUser",
    "Contact",
    "Conversation",
    "Digest",
    "DigestLine",
    "DigestSection",
    "EarlierAnswer",
    "EmptiedMessage",
    "FiguresDigest",
    "InvitationAccepted",
    "InvitationClosed",
    "InvitationMessage",
    "InvitationReminder",
    "MemberRef",
    "Message",
    "Notice",
    "ProfileNudge",
    "QuestionClosed",
    "QuestionNextWave",
    "QuestionPreview",
    "QuestionReceived",
    "QuestionReleased",
    "QuestionReused",
    "QuestionTaken",
    "QuestionUnanswered",
    "RegistrationCard",
    "RegistrationItem",
    "RegistrationList",
    "RevealAnswer",
    "RevealTold",
    "SuggestedModule",
    "SuggestedOffer",
    "Suggestions",
    "SurveyLink",
    "SurveyMail",
    "SurveyRemark",
    "SurveySms",
    "TeamDigest",
    "TopLeefgebied",
    "UnreadableMessage",
    "UrgentAdvice",
    "VoiceTranscript",
    "decode",
    "encode",
]

REDACT_AFTER_DELIVERY = "redact_after_delivery"  # payload key: fields to drop once delivered
EMPTIED_KEY = "verwijderd"  # the marker key of an emptied payload


# -- addresses -------------------------------------------------------------------------------------
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


# -- the base type and its registry ----------------------------------------------------------------
class UnreadableMessage(ValueError):
    """A stored message whose name is not registered or whose payload does not fit its type."""


class EmptiedMessage(UnreadableMessage):
    """A stored message whose payload was emptied (retention, erasure, after delivery)."""


@dataclass(frozen=True, kw_only=True)
class Message:
    """One outgoing message. Subclasses declare `kind=` (the registered name) and may set
    `channel_kind` ("chat", "mail", "sms") and `redact_after_delivery` (fields dropped from
    the stored payload once the message is delivered or given up)."""

    kind: ClassVar[str]
    channel_kind: ClassVar[Literal["chat", "mail", "sms"]] = "chat"
    redact_after_delivery: ClassVar[tuple[str, ...]] = ()

    to: Address

    def __init_subclass__(cls, kind: str | None = None, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
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


# -- parts of messages -----------------------------------------------------------------------------
@dataclass(frozen=True)
class UrgentAdvice:
    """An acute-danger signal in a question and what to do (knowledge/urgency.py)."""

    label: str
    advice: str


@dataclass(frozen=True)
class EarlierAnswer:
    """A close, well-rated earlier answer shown before a question goes to colleagues."""

    question_id: int
    question_text: str
    answer_text: str
    expert_name: str
    answered_on: date
    rating: int


@dataclass(frozen=True)
class SuggestedOffer:
    id: str
    name: str
    organisation: str = ""
    wijk: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    cost: str = ""


@dataclass(frozen=True)
class SuggestedModule:
    id: str
    title: str
    format: str = ""
    url: str = ""


@dataclass(frozen=True)
class RegistrationItem:
    """One of today's registrations in the list, with what may still be done to it."""

    event_id: int
    summary: str
    message: str
    undo: bool


@dataclass(frozen=True)
class DigestLine:
    """One figure of a digest, already protected and written in Dutch."""

    key: str
    label: str
    value: str
    previous: str
    city: str
    change: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: tuple[DigestLine, ...]


@dataclass(frozen=True)
class TopLeefgebied:
    name: str
    value: str


# -- questions, to the asker -----------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class QuestionPreview(Message, kind="question.preview"):
    """What colleagues would see, before anyone does: Versturen, Aanpassen or Intrekken."""

    question_id: int
    redacted_text: str
    removed: dict[str, int] = field(default_factory=dict)
    doubtful: tuple[str, ...] = ()
    urgent: tuple[UrgentAdvice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReceived(Message, kind="question.received"):
    """The first reply: crisis numbers, what was removed, earlier answers or who is asked."""

    question_id: int
    redacted_text: str
    removed: dict[str, int] = field(default_factory=dict)
    leefgebieden: tuple[str, ...] = ()
    invited: tuple[str, ...] = ()
    earlier: tuple[EarlierAnswer, ...] = ()
    hold_minutes: float | None = None
    urgent: tuple[UrgentAdvice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReleased(Message, kind="question.released"):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    invited: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReused(Message, kind="question.reused"):
    question_id: int = 0  # 0 in rows stored before the console showed the number


@dataclass(frozen=True, kw_only=True)
class QuestionTaken(Message, kind="question.taken"):
    expert_name: str
    question_id: int = 0  # 0 in rows stored before the console showed the number


@dataclass(frozen=True, kw_only=True)
class QuestionNextWave(Message, kind="question.next_wave"):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    wave: int
    invited: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionUnanswered(Message, kind="question.unanswered"):
    question_id: int
    reason: str  # "no_experts" or "no_response"
    waves: int = 0


@dataclass(frozen=True, kw_only=True)
class AnswerRelayed(Message, kind="answer.relay"):
    question_id: int
    expert_name: str
    text: str


@dataclass(frozen=True, kw_only=True)
class QuestionClosed(Message, kind="question.closed"):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    rated: int | None = None


@dataclass(frozen=True, kw_only=True)
class Suggestions(Message, kind="suggestions"):
    """Offers and modules for a question or a search; `context` is the outbox key of the
    first version (clicks refer to it), `verdicts` the clicks once there are any."""

    query: str
    context: str
    area: str | None = None
    offers: tuple[SuggestedOffer, ...] = ()
    modules: tuple[SuggestedModule, ...] = ()
    searched_offers: bool = True
    searched_modules: bool = True
    title: str | None = None
    verdicts: dict[str, bool] | None = None


# -- invitations, to the expert --------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class InvitationMessage(Message, kind="invitation"):
    invitation_id: int
    question_id: int
    question_text: str
    asker_name: str
    asker_team: str
    anonymous: bool = False
    leefgebieden: tuple[str, ...] = ()
    wave: int = 1
    forwarded_by: str | None = None
    urgent: tuple[str, ...] = ()
    # For a partner organisation: why it is asked ("asked": the asker wrote extern:,
    # "no_colleague_fits": no colleague of the teams scored well enough); None for colleagues.
    partner_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class InvitationAccepted(Message, kind="invitation.accepted"):
    invitation_id: int
    question_text: str = ""


@dataclass(frozen=True, kw_only=True)
class InvitationClosed(Message, kind="invitation.closed"):
    invitation_id: int = 0  # 0 in rows stored before the console showed the number
    state: str  # withdrawn, expired, declined, forwarded or closed
    colleague: str | None = None  # "forwarded": to whom
    question_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class InvitationReminder(Message, kind="invitation.reminder"):
    invitation_id: int = 0  # 0 in rows stored before the console showed the number
    question_text: str


@dataclass(frozen=True, kw_only=True)
class AnswerRated(Message, kind="answer.rated"):
    score: int
    question_text: str = ""


@dataclass(frozen=True, kw_only=True)
class ProfileNudge(Message, kind="profile.nudge"):
    last_confirmed: date | None = None
    tags: tuple[str, ...] = ()
    learned_topics: tuple[str, ...] = ()


# -- anonymity -------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RevealAnswer(Message, kind="reveal.answer"):
    """To the coordinator who asked who asked an anonymous question."""

    question_id: int
    asker_name: str


@dataclass(frozen=True, kw_only=True)
class RevealTold(Message, kind="reveal.told"):
    """To the asker: who revealed them, and why."""

    question_id: int
    coordinator_name: str
    reason: str


# -- registrations ---------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RegistrationCard(Message, kind="registration.card"):
    """The confirmation card, and the pending registration itself: `event` is the event in
    the event store's JSON form (casework/events.py `parse_event`), only read by the desk."""

    card_key: str
    member_id: str
    event: dict[str, Any]
    lines: tuple[str, ...] = ()
    message: str = ""
    missing: tuple[str, ...] = ()
    new_case_ref: bool = False
    replaces: int | None = None
    state: str = "pending"  # pending, saved, cancelled or undone
    event_id: int | None = None  # once saved
    invite: bool = False  # a saved closure whose client may get the Ervaringwijzer
    invitation: str | None = None  # how and when the client is invited, once chosen

    @property
    def case_ref(self) -> str:
        return str(self.event.get("case_ref", ""))


@dataclass(frozen=True, kw_only=True)
class RegistrationList(Message, kind="registration.list"):
    items: tuple[RegistrationItem, ...] = ()


# -- voice -----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class VoiceTranscript(Message, kind="voice.transcript"):
    """ "Ik heb verstaan: …" with Versturen / Aanpassen / Annuleren, and the pending transcript
    itself (knowledge/speech/drafts.py): `transcript` is the raw, not yet de-identified text,
    kept only while `state` is "pending"; a decided or expired card is redrawn without it and
    the original row's payload is emptied."""

    card_key: str
    member_id: str
    transcript: str = ""
    duration_seconds: float = 0.0
    repaired: bool = False  # the repetition guard cut a loop out of it
    state: str = "pending"  # pending, sent, cancelled or expired


# -- figures ---------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Digest(Message):
    """A team's figures for a period (casework/digest.py), with its chart as a base64 PNG."""

    team: str
    period: str
    period_title: str
    granularity: str
    previous_title: str
    computed_at: str
    computed_at_text: str
    sections: tuple[DigestSection, ...]
    top_leefgebieden: tuple[TopLeefgebied, ...] = ()
    protected: bool = True
    chart_png: str | None = None
    chart_filename: str | None = None
    chart_title: str | None = None
    chart_alt: str | None = None


@dataclass(frozen=True, kw_only=True)
class TeamDigest(Digest, kind="digest.team"):
    """The weekly digest in the team's channel."""


@dataclass(frozen=True, kw_only=True)
class FiguresDigest(Digest, kind="digest.cijfers"):
    """The figures someone asked for with /cijfers, privately."""


# -- the Ervaringwijzer ----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class SurveyLink(Message, kind="ervaringwijzer.link"):
    """To the generalist who shares the survey themselves: the live link and its QR code,
    dropped from the outbox once delivered."""

    redact_after_delivery: ClassVar[tuple[str, ...]] = ("url", "chart_png")

    case_ref: str
    url: str
    expires_on: date
    chart_png: str | None = None
    chart_filename: str | None = None
    chart_title: str | None = None
    chart_alt: str | None = None


@dataclass(frozen=True, kw_only=True)
class SurveyRemark(Message, kind="ervaringwijzer.remark"):
    """A client's de-identified remark, to the team channel: no case number, no date."""

    team: str
    remark: str
    grade: int | None = None


@dataclass(frozen=True, kw_only=True)
class SurveyMail(Message, kind="ervaringwijzer.mail"):
    """The invitation e-mail to a client, addressed to a Contact."""

    channel_kind: ClassVar[Literal["chat", "mail", "sms"]] = "mail"

    subject: str
    text: str
    list_unsubscribe: str | None = None


@dataclass(frozen=True, kw_only=True)
class SurveySms(Message, kind="ervaringwijzer.sms"):
    """The invitation SMS to a client, addressed to a Contact."""

    channel_kind: ClassVar[Literal["chat", "mail", "sms"]] = "sms"

    text: str


# -- everything else -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Notice(Message, kind="notice"):
    """A reply that changes no state: an error, a hint, a confirmation."""

    text: str
