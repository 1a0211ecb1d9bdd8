"""Ervaringwijzer invitations: plan one at a closure, send it after a delay, remind once.

Invariants:
- One invitation per case (FeedbackInvitation.case_ref is unique): a case closed twice gets
  one. A planned invitation that was cancelled because the case was reopened is armed again
  by the next closure, so "at most once per case" holds across reopenings too.
- Nothing is sent for a case with a new event (aanmelding, kennismaking, …) after the closure:
  the invitation is cancelled when it falls due.
- Each message is claimed with a compare-and-set UPDATE (`sent_at IS NULL`) in the transaction
  that writes its outbox row, so two workers, a restart or a retried tick send it once; the
  outbox then retries delivery (SMTP down → sent when it is back).
- The contact detail is erased as soon as no message needs it any more (after the reminder is
  written, on a response, an opt-out or a cancellation, and when the outbox gives up on a
  message to it: `message_given_up`); only its keyed hash remains, for the 90-day rule and
  opt-outs. Tokens are stored as SHA-256; the link lives only in the message, and the message
  that hands a link to the generalist loses it from the outbox once it is delivered
  (`SurveyLink.redact_after_delivery`).
- A contact invited (or about to be) in the last `quiet` days, or that opted out, is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

import segno
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from casework.ervaringwijzer import text
from casework.events import CaseEventData
from models.clock import AMSTERDAM
from models.messages import Address, SurveyLink, SurveyMail, SurveySms
from models.outbox import enqueue
from models.tables import CaseEvent, FeedbackInvitation, OptOut, Outbox

CHANNELS: Final = ("email", "sms", "link")
_INVITATIONS: sa.Table = FeedbackInvitation.__table__  # type: ignore[attr-defined]
_MESSAGE_KEY = re.compile(r"ervaringwijzer:(\d+):(?:uitnodiging|herinnering)")
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


@dataclass(frozen=True)
class FeedbackPolicy:
    """The settings the Ervaringwijzer needs, without depending on bot/settings."""

    hash_key: bytes
    base_url: str
    delay: timedelta = timedelta(hours=24)
    reminder_after: timedelta = timedelta(days=7)
    quiet: timedelta = timedelta(days=90)
    token_ttl: timedelta = timedelta(days=30)

    def survey_url(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/ervaringwijzer/{token}"

    def opt_out_url(self, token: str) -> str:
        return f"{self.base_url.rstrip('/')}/ervaringwijzer/afmelden/{token}"


@dataclass(frozen=True)
class Planned:
    invitation_id: int
    channel: str
    send_at: datetime
    already: bool = False  # the case had an invitation already: nothing new was planned

    @property
    def message(self) -> str:
        return text.planned_text(channel=self.channel, send_at=self.send_at)


@dataclass(frozen=True)
class Refused:
    code: str  # invalid_channel | invalid_email | invalid_phone | no_requester | opted_out | recent
    message: str  # Dutch, for the generalist


PlanResult = Planned | Refused


@dataclass
class DueReport:
    invitations: int = 0
    reminders: int = 0
    cancelled: int = 0
    links: list[SurveyLink] = field(default_factory=list)  # the links handed to generalists


def is_invitable(event: CaseEventData) -> bool:
    """A closure whose client may be invited: the moment the chat asks "hoe uitnodigen?"."""
    return event.kind == "afsluiting" and event.ervaringwijzer is True


def normalise_email(raw: str) -> str | None:
    value = raw.strip().lower()
    return value if len(value) <= 254 and _EMAIL.fullmatch(value) else None


def normalise_phone(raw: str) -> str | None:
    """A mobile number as +<country><number>; Dutch 06-numbers in any common spelling."""
    digits = re.sub(r"[\s().-]", "", raw.strip())
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"06\d{8}", digits):
        return "+31" + digits[1:]
    if re.fullmatch(r"\+316\d{8}", digits):
        return digits
    if re.fullmatch(r"\+(?!31)[1-9]\d{7,14}", digits):
        return digits
    return None


def contact_hash(key: bytes, normalised: str) -> str:
    """HMAC-SHA256, not a plain hash: e-mail addresses and phone numbers are few enough to be
    guessed from an unkeyed hash."""
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def qr_png(url: str, *, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


# --- planning --------------------------------------------------------------------------------


def _contact(channel: str, contact: str | None) -> tuple[str | None, Refused | None]:
    if channel == "email":
        value = normalise_email(contact or "")
        bad = Refused("invalid_email", "Dit e-mailadres klopt niet. Kijk het nog eens na.")
        return value, None if value else bad
    if channel == "sms":
        value = normalise_phone(contact or "")
        bad = Refused("invalid_phone", "Dit mobiele nummer klopt niet. Gebruik bijv. 06 12345678.")
        return value, None if value else bad
    return None, None


def _blocked(
    session: Session, digest: str, *, now: datetime, quiet: timedelta, case_ref: str
) -> Refused | None:
    if session.exec(select(OptOut).where(OptOut.contact_hash == digest)).first() is not None:
        return Refused(
            "opted_out", "Deze cliënt heeft zich afgemeld voor de Ervaringwijzer. We sturen niets."
        )
    recent = session.exec(
        select(FeedbackInvitation.id).where(
            FeedbackInvitation.contact_hash == digest,
            FeedbackInvitation.case_ref != case_ref,
            col(FeedbackInvitation.cancelled_at).is_(None),
            sa.or_(
                col(FeedbackInvitation.sent_at).is_(None),
                col(FeedbackInvitation.sent_at) >= now - quiet,
            ),
        )
    ).first()
    if recent is not None:
        days = quiet.days
        return Refused(
            "recent",
            f"Deze cliënt kreeg de afgelopen {days} dagen al een uitnodiging voor de "
            "Ervaringwijzer. We sturen nu geen nieuwe.",
        )
    return None


def plan_invitation(
    session: Session,
    *,
    case_ref: str,
    team: str,
    channel: str,
    contact: str | None,
    closed_at: datetime,
    now: datetime,
    policy: FeedbackPolicy,
    requested_by: str | None = None,
) -> PlanResult:
    """Plan the invitation of a closed case; the caller commits.

    A case that already has a live invitation keeps it (`Planned.already`); the contact given
    now is then not stored at all.
    """
    if channel not in CHANNELS:
        return Refused("invalid_channel", "Kies e-mail, sms of link.")
    if channel == "link" and not requested_by:
        return Refused("no_requester", "Voor een link moet ik weten aan wie ik hem geef.")
    existing = session.exec(
        select(FeedbackInvitation).where(FeedbackInvitation.case_ref == case_ref)
    ).first()
    if existing is not None and (existing.cancelled_at is None or existing.sent_at is not None):
        return Planned(existing.id or 0, existing.channel, existing.send_at, already=True)
    normalised, invalid = _contact(channel, contact)
    if invalid is not None:
        return invalid
    digest = contact_hash(policy.hash_key, normalised) if normalised else None
    if digest is not None:
        blocked = _blocked(session, digest, now=now, quiet=policy.quiet, case_ref=case_ref)
        if blocked is not None:
            return blocked
    fields: dict[str, Any] = {
        "team": team,
        "channel": channel,
        "requested_by": requested_by,
        "contact": normalised,
        "contact_hash": digest,
        "contact_erased_at": None,
        "closed_at": closed_at,
        "send_at": max(closed_at + policy.delay, now),
        "cancelled_at": None,
        "cancel_reason": None,
    }
    row = existing or FeedbackInvitation(case_ref=case_ref, created_at=now, **fields)
    row.sqlmodel_update(fields)  # a cancelled invitation is armed again by this closure
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the same closure, planned at the same moment elsewhere
        again = session.exec(
            select(FeedbackInvitation).where(FeedbackInvitation.case_ref == case_ref)
        ).one()
        return Planned(again.id or 0, again.channel, again.send_at, already=True)
    return Planned(row.id or 0, channel, row.send_at)


# --- sending -----------------------------------------------------------------------------------


def erase_contact(row: FeedbackInvitation, now: datetime) -> None:
    if row.contact is not None:
        row.contact, row.contact_erased_at = None, now


def cancel_invitation(
    session: Session, row: FeedbackInvitation, *, now: datetime, reason: str
) -> None:
    row.cancelled_at, row.cancel_reason = now, reason
    erase_contact(row, now)
    session.add(row)


def message_given_up(session: Session, message: Outbox, now: datetime) -> None:
    """The outbox gave up on an invitation or reminder to a client (an address refused for
    good, or too many failed attempts): erase the contact now, and plan no reminder to an
    address that does not work. Other messages are not ours and are left alone."""
    match = _MESSAGE_KEY.fullmatch(message.key)
    row = session.get(FeedbackInvitation, int(match[1])) if match else None
    if row is None:
        return
    erase_contact(row, now)
    if row.reminded_at is None:
        row.reminder_at = None
    session.add(row)


def reopened(session: Session, row: FeedbackInvitation) -> bool:
    """A live event of another kind after the closure: the case is running again."""
    event = session.exec(
        select(CaseEvent.id).where(
            CaseEvent.case_ref == row.case_ref,
            CaseEvent.kind != "afsluiting",
            col(CaseEvent.occurred_at) > row.closed_at,
            col(CaseEvent.retracted_at).is_(None),
        )
    ).first()
    return event is not None


def _claim(session: Session, row_id: int, column: str, values: dict[str, Any]) -> bool:
    """Compare-and-set: only the transaction that flips `column` from NULL may send."""
    result = session.execute(
        sa.update(_INVITATIONS)
        .where(_INVITATIONS.c.id == row_id, _INVITATIONS.c[column].is_(None))
        .values(**values)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def process_due(session: Session, *, now: datetime, policy: FeedbackPolicy) -> DueReport:
    """Send the invitations and reminders that are due, as outbox rows; the caller commits."""
    report = DueReport()
    due = session.exec(
        select(FeedbackInvitation)
        .where(
            col(FeedbackInvitation.sent_at).is_(None),
            col(FeedbackInvitation.cancelled_at).is_(None),
            col(FeedbackInvitation.send_at) <= now,
        )
        .order_by(col(FeedbackInvitation.id))
    ).all()
    for row in due:
        if reopened(session, row):
            cancel_invitation(session, row, now=now, reason="heropend")
            report.cancelled += 1
        elif _send(session, row, now=now, policy=policy, report=report):
            report.invitations += 1
    reminders = session.exec(
        select(FeedbackInvitation)
        .where(
            col(FeedbackInvitation.reminder_at) <= now,
            col(FeedbackInvitation.reminded_at).is_(None),
            col(FeedbackInvitation.responded_at).is_(None),
            col(FeedbackInvitation.opted_out_at).is_(None),
            col(FeedbackInvitation.cancelled_at).is_(None),
        )
        .order_by(col(FeedbackInvitation.id))
    ).all()
    for row in reminders:
        report.reminders += _remind(session, row, now=now, policy=policy)
    session.flush()
    return report


def _send(
    session: Session,
    row: FeedbackInvitation,
    *,
    now: datetime,
    policy: FeedbackPolicy,
    report: DueReport,
) -> bool:
    token = secrets.token_urlsafe(32)
    expires_at = now + policy.token_ttl
    reminder_at = now + policy.reminder_after if row.channel != "link" else None
    values = {
        "sent_at": now,
        "token_hash": token_hash(token),
        "expires_at": expires_at,
        "reminder_at": reminder_at,
    }
    if not _claim(session, row.id or 0, "sent_at", values):
        return False
    session.refresh(row)
    key = f"ervaringwijzer:{row.id}:uitnodiging"
    if row.channel == "link":
        link = _link_message(row, policy.survey_url(token), expires_at)
        enqueue(session, key=key, message=link, now=now)
        report.links.append(link)
    else:
        _to_client(session, row, key=key, token=token, now=now, policy=policy, reminder=False)
    return True


def _remind(
    session: Session, row: FeedbackInvitation, *, now: datetime, policy: FeedbackPolicy
) -> int:
    token = secrets.token_urlsafe(32)
    claimed = _claim(
        session,
        row.id or 0,
        "reminded_at",
        {"reminded_at": now, "reminder_token_hash": token_hash(token)},
    )
    if not claimed:
        return 0
    session.refresh(row)
    key = f"ervaringwijzer:{row.id}:herinnering"
    _to_client(session, row, key=key, token=token, now=now, policy=policy, reminder=True)
    erase_contact(row, now)  # the reminder is the last message: the address is not needed
    session.add(row)
    return 1


def _to_client(
    session: Session,
    row: FeedbackInvitation,
    *,
    key: str,
    token: str,
    now: datetime,
    policy: FeedbackPolicy,
    reminder: bool,
) -> None:
    url, opt_out = policy.survey_url(token), policy.opt_out_url(token)
    if row.contact is None:  # erased by a response or an opt-out in the meantime
        return
    if row.channel == "email":
        mail = SurveyMail(
            to=Address.contact(row.contact),
            subject=text.mail_subject(reminder=reminder),
            text=text.mail_text(
                url=url, opt_out_url=opt_out, expires_at=row.expires_at or now, reminder=reminder
            ),
            list_unsubscribe=opt_out,
        )
        enqueue(session, key=key, message=mail, now=now)
    else:
        sms = SurveySms(
            to=Address.contact(row.contact),
            text=text.sms_text(url=url, opt_out_url=opt_out, reminder=reminder),
        )
        enqueue(session, key=key, message=sms, now=now)


def _link_message(row: FeedbackInvitation, url: str, expires_at: datetime) -> SurveyLink:
    # The live link and its QR code leave the outbox once the generalist has them
    # (SurveyLink.redact_after_delivery).
    return SurveyLink(
        to=Address.member(row.requested_by or ""),
        case_ref=row.case_ref,
        url=url,
        expires_on=expires_at.astimezone(AMSTERDAM).date(),
        chart_png=base64.b64encode(qr_png(url)).decode("ascii"),
        chart_filename="ervaringwijzer-qr.png",
        chart_title="QR-code Ervaringwijzer",
        chart_alt="QR-code met de link naar de Ervaringwijzer",
    )
