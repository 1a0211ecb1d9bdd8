"""The data the privacy tests erase and expire, made through the real flows.

An answered, rated question (invitations, answer, rating, learned evidence, a "Nuttig" click
and the outbox messages of it all), and a closed case with its Ervaringwijzer invitation,
the client's response and the mail that carries the link.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.wiring import Deps
from casework.ervaringwijzer.invitations import (
    FeedbackPolicy,
    Planned,
    plan_invitation,
    process_due,
)
from casework.ervaringwijzer.survey import GRADE_FIELD, REMARKS_FIELD, record_response
from casework.events import CaseEventData, record_event
from knowledge.feedback import record_feedback
from models.messages import Address, RegistrationCard
from models.outbox import enqueue
from models.tables import Answer, FeedbackInvitation, Outbox
from routing.dispatch import Inbound
from tests.helpers import ASKER, invitations

QUESTION = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"
ANSWER = "Vraag bewind aan bij de kantonrechter; ik stuur je het formulier."
POLICY = FeedbackPolicy(hash_key=b"test-hash-key", base_url="https://vraagbaak.test/")


def email_of(case_ref: str) -> str:
    """The client's address (one per case: the 90-day rule refuses a second invitation)."""
    return f"client.{case_ref}@example.org"


TEAM = "Zuilen"


@dataclass(frozen=True)
class Answered:
    question_id: int
    expert_id: str
    answer_id: int


def answered_question(deps: Deps, key: str = "q1", asker: str = ASKER) -> Answered:
    """Ask, let the first invited expert answer, close with a 5 (which teaches their profile),
    and click "Nuttig" on a suggestion as the expert."""
    now = deps.clock.now()
    with deps.sessions() as session:
        asked = deps.dispatcher.ask(session, Inbound(key, asker, QUESTION, "D1", key, now))
        question_id = asked.question.id or 0
        invitation = invitations(session, question_id)[0]
        answer = deps.dispatcher.answer(
            session, invitation, invitation.member_id, ANSWER, f"{key}:answer"
        )
        deps.dispatcher.close(session, question_id, asker, rating=5)
        record_feedback(
            session,
            context_key=f"question:{question_id}",
            query_text="bewind en budgetbeheer",
            item_kind="offer",
            item_id="o001",
            member_id=invitation.member_id,
            useful=True,
            now=now,
        )
        session.commit()
        return Answered(question_id, invitation.member_id, answer.id or 0)


def deliver_all(session: Session, now: datetime) -> None:
    """What the delivery worker leaves behind: every chat row sent, at `now`."""
    table = Outbox.__table__  # type: ignore[attr-defined]
    session.execute(
        sa.update(table)
        .where(table.c.status == "pending", table.c.channel_kind == "chat")
        .values(status="sent", sent_at=now)
    )
    session.commit()


def closed_case(session: Session, case_ref: str, now: datetime, registered_by: str) -> int:
    """An aanmelding and a closure, an Ervaringwijzer invitation by mail (sent once due), the
    client's answer through the link, and a registration card about the case; returns the
    invitation id. The caller has let the delay pass before calling `answer_survey`."""
    for kind, extra in (("aanmelding", {}), ("afsluiting", {"reden": "doel_bereikt"})):
        event = CaseEventData(case_ref, TEAM, kind, now, **extra)  # type: ignore[arg-type]
        record_event(session, event, registered_by=registered_by, now=now)
    planned = plan_invitation(
        session,
        case_ref=case_ref,
        team=TEAM,
        channel="email",
        contact=email_of(case_ref),
        closed_at=now,
        now=now,
        policy=POLICY,
        requested_by=registered_by,
    )
    assert isinstance(planned, Planned), planned
    card = RegistrationCard(
        to=Address.member(registered_by),
        card_key=f"registration:card:{case_ref}",
        member_id=registered_by,
        event={"case_ref": case_ref, "kind": "afsluiting"},
    )
    enqueue(session, key=card.card_key, message=card, now=now)
    session.commit()
    return planned.invitation_id


def answer_survey(session: Session, invitation_id: int, now: datetime) -> None:
    """Send the due invitation (a mail in the outbox) and fill in the survey through its link."""
    process_due(session, now=now, policy=POLICY)
    mail = session.exec(
        select(Outbox).where(col(Outbox.key) == f"ervaringwijzer:{invitation_id}:uitnodiging")
    ).one()
    text = str(json.loads(mail.payload)["text"])
    link = next(w for w in text.split() if "/ervaringwijzer/" in w and "afmelden" not in w)
    form = {GRADE_FIELD: "8", REMARKS_FIELD: "Fijn geholpen."}
    record_response(session, link.rsplit("/", 1)[1], form, now=now, deidentify=lambda t: t)
    session.commit()


def invitation_of(session: Session, case_ref: str) -> FeedbackInvitation | None:
    return session.exec(
        select(FeedbackInvitation).where(FeedbackInvitation.case_ref == case_ref)
    ).first()


def answer_authors(session: Session) -> list[str]:
    return list(session.exec(select(Answer.member_id).order_by(col(Answer.id))).all())
