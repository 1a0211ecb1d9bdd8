"""The Ervaringwijzer survey behind a link: check the token, store one response, opt out.

Invariants:
- A token is only ever compared as its SHA-256; a link works until it expires and for one
  response: `responded_at` is set with a compare-and-set UPDATE and FeedbackResponse has a
  unique invitation_id, so a double click or a second browser tab stores one response.
- Open remarks are de-identified before they are stored or shown; the team channel gets them
  without case number or date, so the remark does not lead back to the client.
- An opt-out keeps only the keyed hash of the contact (OptOut) and erases the contact itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from casework.ervaringwijzer import text
from casework.ervaringwijzer.invitations import erase_contact, token_hash
from models.messages import Address, SurveyRemark
from models.outbox import enqueue
from models.tables import FeedbackInvitation, FeedbackResponse, OptOut, Team

_INVITATIONS: sa.Table = FeedbackInvitation.__table__  # type: ignore[attr-defined]
_OPT_OUTS: sa.Table = OptOut.__table__  # type: ignore[attr-defined]
GRADE_FIELD: Final = "cijfer"
REMARKS_FIELD: Final = "opmerkingen"
_CLOSED_MESSAGES: Final = {
    "unknown": "Deze link werkt niet. Kijk of je de hele link hebt overgenomen.",
    "used": "Je hebt deze vragen al ingevuld. Bedankt voor je antwoorden!",
    "expired": "Deze link werkt niet meer. De tijd om de vragen in te vullen is voorbij.",
    "closed": "Deze vragenlijst is niet meer open.",
}


class SurveyClosed(Exception):
    """The link cannot be used (any more); `message` is Dutch, for the client."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # unknown | used | expired | closed
        self.message = _CLOSED_MESSAGES[code]


class InvalidAnswers(ValueError):
    """What to fix in the form, per field name, in Dutch."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)


@dataclass(frozen=True)
class Answers:
    choices: Mapping[str, str]  # question key -> answer key, only the answered ones
    grade: int | None
    remarks: str


def parse_answers(form: Mapping[str, str]) -> Answers:
    """Read the submitted form; every question may be skipped, but not all of them."""
    errors: dict[str, str] = {}
    allowed = {key for key, _ in text.ANSWERS}
    choices: dict[str, str] = {}
    for key, _ in text.QUESTIONS:
        value = form.get(key, "").strip()
        if value and value not in allowed:
            errors[key] = "Kies een van de antwoorden."
        elif value:
            choices[key] = value
    grade: int | None = None
    raw_grade = form.get(GRADE_FIELD, "").strip()
    if raw_grade:
        if raw_grade.isdigit() and 1 <= int(raw_grade) <= 10:
            grade = int(raw_grade)
        else:
            errors[GRADE_FIELD] = "Kies een cijfer van 1 tot en met 10."
    remarks = form.get(REMARKS_FIELD, "").strip()
    if len(remarks) > text.REMARKS_MAX:
        errors[REMARKS_FIELD] = f"Je tekst is te lang. Gebruik hooguit {text.REMARKS_MAX} tekens."
    if not errors and not choices and grade is None and not remarks:
        errors[text.QUESTIONS[0][0]] = "Beantwoord minstens één vraag."
    if errors:
        raise InvalidAnswers(errors)
    return Answers(choices, grade, remarks)


def find_by_token(session: Session, token: str) -> FeedbackInvitation | None:
    digest = token_hash(token)
    return session.exec(
        select(FeedbackInvitation).where(
            sa.or_(
                col(FeedbackInvitation.token_hash) == digest,
                col(FeedbackInvitation.reminder_token_hash) == digest,
            )
        )
    ).first()


def open_invitation(session: Session, token: str, *, now: datetime) -> FeedbackInvitation:
    """The invitation a survey link belongs to, if it may still be answered."""
    row = find_by_token(session, token) if token else None
    if row is None or row.sent_at is None:
        raise SurveyClosed("unknown")
    if row.cancelled_at is not None or row.opted_out_at is not None:
        raise SurveyClosed("closed")
    if row.responded_at is not None:
        raise SurveyClosed("used")
    if row.expires_at is None or row.expires_at <= now:
        raise SurveyClosed("expired")
    return row


def record_response(
    session: Session,
    token: str,
    form: Mapping[str, str],
    *,
    now: datetime,
    deidentify: Callable[[str], str],
) -> FeedbackResponse:
    """Store the response of a valid link once; the caller commits.

    Raises SurveyClosed (reused, expired, unknown link) or InvalidAnswers.
    """
    row = open_invitation(session, token, now=now)
    answers = parse_answers(form)
    claimed = session.execute(
        sa.update(_INVITATIONS)
        .where(_INVITATIONS.c.id == row.id, _INVITATIONS.c.responded_at.is_(None))
        .values(responded_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise SurveyClosed("used")
    session.refresh(row)
    remarks = deidentify(answers.remarks).strip() if answers.remarks else None
    response = FeedbackResponse(
        invitation_id=row.id or 0,
        answers=json.dumps(dict(answers.choices), sort_keys=True),
        grade=answers.grade,
        remarks=remarks or None,
        received_at=now,
    )
    session.add(response)
    erase_contact(row, now)  # answered: no reminder will need the address
    session.add(row)
    session.flush()
    if remarks:
        _share_remark(session, row, remarks, answers.grade, now=now)
    return response


def _share_remark(
    session: Session, row: FeedbackInvitation, remark: str, grade: int | None, *, now: datetime
) -> None:
    team = session.exec(select(Team).where(Team.name == row.team)).first()
    if team is None or not team.channel_id:
        return
    enqueue(
        session,
        key=f"ervaringwijzer:{row.id}:opmerking",
        message=SurveyRemark(
            to=Address.conversation(team.channel_id), team=row.team, remark=remark, grade=grade
        ),
        now=now,
    )


def opt_out(session: Session, token: str, *, now: datetime) -> None:
    """Stop every message to this contact, now and later; works on expired and used links."""
    row = find_by_token(session, token) if token else None
    if row is None or row.sent_at is None:
        raise SurveyClosed("unknown")
    if row.opted_out_at is None:
        row.opted_out_at = now
    erase_contact(row, now)
    session.add(row)
    if row.contact_hash:
        dialect = session.get_bind().dialect.name
        module = postgresql if dialect == "postgresql" else sqlite
        session.execute(
            module.insert(_OPT_OUTS)
            .values(contact_hash=row.contact_hash, created_at=now)
            .on_conflict_do_nothing(index_elements=["contact_hash"])
        )
    session.flush()
