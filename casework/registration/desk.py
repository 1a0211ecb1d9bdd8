"""The registration desk: a parsed message becomes a card, a card becomes one case event.

Nothing is saved from a message alone: the sender sees what Vraagbaak understood (a card with
Opslaan / Aanpassen / Annuleren) and saves it. The card is an outbox message
(`RegistrationCard`) that holds the pending registration, so a pending registration needs no
table of its own and a refused message leaves nothing behind at all. Saving goes through the
event store's content key, so a double tap or a replayed click stores one event. "Ongedaan
maken" works for 15 minutes; a correction later that day replaces the event (the old one is
retracted, the new one saved, in one transaction).

Who may register: a member registers for their own team only; a coordinator
(Member.is_coordinator) for any team. Either way an event joins an existing case only under
the team that case belongs to (`case_team`), so a case number typed by another team neither
adds to this team's figures nor invites its client to the Ervaringwijzer. The rule is checked
when the card is made, again when it is saved (the card may be old), and again before an
invitation is planned; a refusal writes nothing.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from casework.ervaringwijzer.invitations import (
    FeedbackPolicy,
    Planned,
    Refused,
    is_invitable,
    plan_invitation,
)
from casework.events import (
    RETRACT_WINDOW,
    InvalidEvent,
    RetractRefused,
    case_team,
    parse_event,
    record_event,
    retract_event,
)
from casework.registration import (
    Parsed,
    Refusal,
    RefusalCode,
    RegistrationParser,
    summary_lines_nl,
)
from casework.registration import to_message as message_for
from casework.registration.fixes import fixed_message, fixes_for
from casework.registration.refusals import refusal
from models.clock import AMSTERDAM
from models.errors import DomainError, Why
from models.messages import Address, Conversation, RegistrationCard, RegistrationItem
from models.outbox import enqueue, stored
from models.tables import CaseEvent, Member, Outbox

CARD = RegistrationCard.kind
# Corrections replace an event registered earlier the same day; older events are history
# that the team corrects in the client system, not from a phone.
CORRECTION_WINDOW = timedelta(hours=24)


class DeskError(DomainError):
    """A step on a registration card that cannot be taken."""


@dataclass(frozen=True)
class Proposal:
    card_key: str
    parsed: Parsed


def new_case_ref(day: date) -> str:
    """A case number for an aanmelding that arrives without one: unique, short, readable."""
    return f"VB-{day:%y%m%d}-{secrets.token_hex(2).upper()}"


def team_refusal(
    session: Session, member: Member, team: str, case_ref: str | None
) -> Refusal | None:
    """Why `member` may not register an event of `team` for `case_ref`; None when they may."""
    if team != member.team and not member.is_coordinator:
        return refusal(RefusalCode.OTHER_TEAM, detail=member.team)
    owner = case_team(session, case_ref) if case_ref else None
    if owner is not None and owner != team:
        return refusal(RefusalCode.OTHER_TEAMS_CASE, detail=case_ref or "")
    return None


def _moment(parsed: Parsed, sent_at: datetime) -> datetime:
    """The event's moment: the sending moment for today, midday for an earlier day (the
    figures count days; midday keeps the day whatever the clock change)."""
    local = sent_at.astimezone(AMSTERDAM)
    if parsed.occurred_on == local.date():
        return local
    return datetime.combine(parsed.occurred_on, time(12), tzinfo=AMSTERDAM)


class RegistrationDesk:
    def __init__(self, parser: RegistrationParser) -> None:
        self.parser = parser

    def propose(
        self,
        session: Session,
        *,
        member: Member,
        text: str,
        sent_at: datetime,
        key: str,
        channel: str,
        thread: str | None = None,
        replaces: int | None = None,
        update_of: str | None = None,
    ) -> Proposal | Refusal:
        """Parse and show a card; a refusal writes nothing."""
        parsed = self.parser.parse(text, sent_at, member.team)
        if isinstance(parsed, Refusal):
            return parsed
        refused = team_refusal(session, member, parsed.team, parsed.case_ref)
        if refused is not None:
            return refused
        card_key = f"registration:{key}"
        event = parsed.as_dict()
        if parsed.case_ref is None:
            event["case_ref"] = new_case_ref(parsed.occurred_on)
        event["occurred_at"] = _moment(parsed, sent_at).replace(tzinfo=None).isoformat()
        event.pop("occurred_on", None)
        card = RegistrationCard(
            to=Address.conversation(channel, thread, update_of=update_of),
            card_key=card_key,
            member_id=member.id,
            event=event,
            new_case_ref=parsed.case_ref is None,
            lines=tuple(summary_lines_nl(parsed, self.parser.vocabulary)),
            message=message_for(parsed, self.parser.vocabulary),
            missing=tuple(parsed.missing),
            replaces=replaces,
            state="pending",
            fixes=fixes_for(parsed, self.parser.vocabulary),
        )
        enqueue(session, key=card_key, message=card, now=sent_at)
        return Proposal(card_key, parsed)

    def fixed(
        self, session: Session, card_key: str, member_id: str, field: str, value: str, now: datetime
    ) -> tuple[RegistrationCard, str]:
        """A pending card and its message with one guessed field set by a tap
        (casework/registration/fixes.py); the caller proposes the message in its place."""
        card = self.card(session, card_key, member_id)
        if card.state != "pending":
            raise DeskError(Why.CARD_UNKNOWN)
        team = str(card.event.get("team") or "") or None
        return card, fixed_message(self.parser, card.message, now, team, field, value)

    def card(self, session: Session, card_key: str, member_id: str) -> RegistrationCard:
        """The pending registration on a card, for its sender only."""
        row = session.exec(select(Outbox).where(Outbox.key == card_key)).first()
        card = stored(row, RegistrationCard)  # None also once emptied (retention, erasure)
        if card is None:
            raise DeskError(Why.CARD_UNKNOWN)
        if card.member_id != member_id:
            raise DeskError(Why.CARD_NOT_YOURS)
        return card

    def _redraw(
        self,
        session: Session,
        card: RegistrationCard,
        state: str,
        now: datetime,
        key: str | None = None,
        **changes: Any,
    ) -> None:
        """The card again, in its new state, in place of the one shown (no thread: an update
        stays where the card is)."""
        recipient = card.to.recipient
        if isinstance(recipient, Conversation):
            recipient = Conversation(recipient.id)
        redrawn = replace(
            card, to=Address(recipient, update_of=card.card_key), state=state, **changes
        )
        enqueue(session, key=key or f"{card.card_key}:{state}", message=redrawn, now=now)

    def save(self, session: Session, card_key: str, member_id: str, now: datetime) -> int:
        """Store the card's event once; returns its id (a second tap returns the same id)."""
        card = self.card(session, card_key, member_id)
        try:
            event = parse_event(card.event)
        except InvalidEvent as error:  # the card was made by an older vocabulary
            raise DeskError(Why.CARD_UNREADABLE, detail=str(error)) from error
        self._check_team(session, member_id, event.team, event.case_ref)
        if card.replaces:
            self._retract_own(session, card.replaces, member_id, now, CORRECTION_WINDOW)
        recorded = record_event(session, event, registered_by=member_id, now=now)
        self._redraw(
            session,
            card,
            "saved",
            now,
            event_id=recorded.event_id,
            invite=is_invitable(event),
        )
        return recorded.event_id

    def invite(
        self,
        session: Session,
        card_key: str,
        member_id: str,
        *,
        channel: str,
        contact: str | None,
        now: datetime,
        policy: FeedbackPolicy,
    ) -> Planned | Refused:
        """The Ervaringwijzer for a saved closure: how the client wants to be invited.

        The contact detail goes to the invitation only (erased after the last send); the card
        that is redrawn says how and when, never the address or number.
        """
        card = self.card(session, card_key, member_id)
        event_id = self._event_of(session, card_key)
        if event_id is None:
            raise DeskError(Why.SAVE_CLOSURE_FIRST)
        event = parse_event(card.event)
        if not is_invitable(event):
            raise DeskError(Why.NO_FEEDBACK_FOR_KIND)
        self._check_team(session, member_id, event.team, event.case_ref)
        outcome = plan_invitation(
            session,
            case_ref=event.case_ref,
            team=event.team,
            channel=channel,
            contact=contact,
            closed_at=event.occurred_at,
            now=now,
            policy=policy,
            requested_by=member_id,
        )
        if isinstance(outcome, Planned):
            self._redraw(
                session,
                card,
                "saved",
                now,
                key=f"{card_key}:invited:{outcome.invitation_id}",
                event_id=event_id,
                invitation=outcome.message,
            )
        return outcome

    def cancel(self, session: Session, card_key: str, member_id: str, now: datetime) -> None:
        card = self.card(session, card_key, member_id)
        if self._event_of(session, card_key) is not None:
            raise DeskError(Why.ALREADY_SAVED)
        self._redraw(session, card, "cancelled", now)

    def undo(self, session: Session, card_key: str, member_id: str, now: datetime) -> None:
        card = self.card(session, card_key, member_id)
        event_id = self._event_of(session, card_key)
        if event_id is None:
            raise DeskError(Why.NOTHING_TO_UNDO)
        self._retract_own(session, event_id, member_id, now, RETRACT_WINDOW)
        self._redraw(session, card, "undone", now, event_id=event_id)

    def _check_team(self, session: Session, member_id: str, team: str, case_ref: str) -> None:
        member = session.get(Member, member_id)
        if member is None or not member.is_active:
            raise DeskError(Why.UNKNOWN_COLLEAGUE)
        refused = team_refusal(session, member, team, case_ref)
        if refused is not None:
            raise DeskError(Why.REGISTRATION_REFUSED, text=refused.text_nl())

    def _event_of(self, session: Session, card_key: str) -> int | None:
        saved = session.exec(select(Outbox).where(Outbox.key == f"{card_key}:saved")).first()
        card = stored(saved, RegistrationCard)
        return card.event_id if card is not None else None  # None also once emptied

    def _retract_own(
        self, session: Session, event_id: int, member_id: str, now: datetime, window: timedelta
    ) -> None:
        row = session.get(CaseEvent, event_id)
        if row is None or row.registered_by != member_id:
            raise DeskError(Why.ONLY_OWN_EVENTS)
        try:
            retract_event(session, event_id, now=now, window=window)
        except RetractRefused as refused:
            raise DeskError(refused.why, **refused.params) from refused

    def today(self, session: Session, member_id: str, now: datetime) -> list[RegistrationItem]:
        """The sender's registrations of today (Amsterdam), newest first, for the list."""
        start = datetime.combine(now.astimezone(AMSTERDAM).date(), time(0), tzinfo=AMSTERDAM)
        rows = session.exec(
            select(CaseEvent)
            .where(
                CaseEvent.registered_by == member_id,
                col(CaseEvent.registered_at) >= start,
                col(CaseEvent.retracted_at).is_(None),
            )
            .order_by(sa.desc(col(CaseEvent.registered_at)), sa.desc(col(CaseEvent.id)))
        ).all()
        return [
            RegistrationItem(
                event_id=row.id or 0,
                summary=self.summary_of(row),
                message=self.message_of(row),
                undo=now - row.registered_at <= RETRACT_WINDOW,
            )
            for row in rows
        ]

    def own_event(self, session: Session, event_id: int, member_id: str) -> CaseEvent:
        row = session.get(CaseEvent, event_id)
        if row is None or row.registered_by != member_id or row.retracted_at is not None:
            raise DeskError(Why.EVENT_UNKNOWN)
        return row

    def undo_event(self, session: Session, event_id: int, member_id: str, now: datetime) -> None:
        self._retract_own(session, event_id, member_id, now, RETRACT_WINDOW)

    def _parsed_of(self, row: CaseEvent) -> Parsed:
        scores = payload_scores(row.extra)
        return Parsed(
            kind=row.kind,
            team=row.team,
            occurred_on=row.occurred_at.astimezone(AMSTERDAM).date(),
            case_ref=row.case_ref,
            melder=row.melder,
            reden=row.reden,
            zelfstandig_verder=row.zelfstandig_verder,
            volgens_plan=row.volgens_plan,
            ervaringwijzer=row.ervaringwijzer,
            rapportcijfer=row.rapportcijfer,
            scores=tuple(sorted(scores.items())),
        )

    def summary_of(self, row: CaseEvent) -> str:
        lines = summary_lines_nl(self._parsed_of(row), self.parser.vocabulary)
        return " · ".join(line.split(": ", 1)[-1] for line in lines)

    def message_of(self, row: CaseEvent) -> str:
        """The event as a message the sender can edit and send back as a correction."""
        return message_for(self._parsed_of(row), self.parser.vocabulary)


def payload_scores(extra: str | None) -> dict[str, int]:
    if not extra:
        return {}
    scores = json.loads(extra).get("scores") or {}
    return {str(k): int(v) for k, v in scores.items()}
