"""Messages of casework: the registration card and list, digests and figures, and the
Ervaringwijzer's link, remark, e-mail and SMS."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, Literal

from models.messages.envelope import Message, Priority
from models.messages.parts import DigestSection, FieldFix, RegistrationItem, TopLeefgebied


# -- registrations ---------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RegistrationCard(Message, kind="registration.card", priority=Priority.REPLY):
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
    fixes: tuple[FieldFix, ...] = ()  # guessed fields, each offered as one tap while pending

    @property
    def case_ref(self) -> str:
        return str(self.event.get("case_ref", ""))


@dataclass(frozen=True, kw_only=True)
class RegistrationList(Message, kind="registration.list", priority=Priority.REPLY):
    items: tuple[RegistrationItem, ...] = ()


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
class SurveyLink(Message, kind="ervaringwijzer.link", priority=Priority.REPLY):
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
