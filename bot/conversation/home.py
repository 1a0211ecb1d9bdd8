"""What a colleague's Home shows: their questions and where they stand, and for an expert
their open invitations, availability, figures and what Vraagbaak learned of them.

The queries live here (a handful per Home, bounded by the SHOWN_* limits, so a Home opens fast
on a phone); bot/slack/views/home.py turns a `Home` into Block Kit.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from knowledge.urgency import UrgentSignal, signals_of
from models.clock import AMSTERDAM
from models.outbox import payload_of
from models.statuses import InvitationState, QuestionStatus
from models.tables import Answer, ExpertiseProfile, Invitation, Member, Outbox, Question, Rating
from routing.learning import Topic, learned_profile

SHOWN_QUESTIONS = 6
SHOWN_ANSWERS = 5
SHOWN_INVITATIONS = 4
SHOWN_TOPICS = 5
RECENTLY_CLOSED = timedelta(days=7)
_QUESTION_KEY = re.compile(r"question:(\d+):")


@dataclass(frozen=True)
class MyQuestions:
    questions: list[Question]
    pending: Counter[int]  # question id -> open invitations
    answers: list[tuple[Answer, str]]  # (answer, expert name), newest first
    names: dict[str, str]


@dataclass(frozen=True)
class OpenInvitation:
    invitation_id: int
    text: str  # the de-identified question
    urgent: tuple[UrgentSignal, ...]


@dataclass(frozen=True)
class ExpertHome:
    profile: ExpertiseProfile
    away: bool  # away_until lies ahead: no invitations now
    invitations: list[OpenInvitation]
    invitations_today: int
    answered_this_month: int
    ratings: int
    average_rating: float | None
    topics: list[Topic]  # what Vraagbaak learned, strongest first


@dataclass(frozen=True)
class Home:
    member: Member
    asked: MyQuestions
    expert: ExpertHome | None  # None for a colleague without an expertise profile


def home_of(session: Session, member: Member, now: datetime) -> Home:
    """Everything one member's Home shows, read in one session."""
    profile = session.get(ExpertiseProfile, member.id)
    expert = None if profile is None else _expert(session, member, profile, now)
    return Home(member, _asked(session, member.id, now), expert)


def _asked(session: Session, member_id: str, now: datetime) -> MyQuestions:
    questions = list(
        session.exec(
            select(Question)
            .where(
                Question.asker_id == member_id,
                or_(
                    col(Question.status) != QuestionStatus.CLOSED,
                    col(Question.closed_at) >= now - RECENTLY_CLOSED,
                ),
            )
            .order_by(col(Question.created_at).desc())
            .limit(SHOWN_QUESTIONS)
        ).all()
    )
    pending: Counter[int] = Counter()
    if questions:
        rows = session.exec(
            select(Invitation.question_id, func.count())
            .where(
                col(Invitation.question_id).in_([q.id for q in questions]),
                Invitation.state == InvitationState.PENDING,
            )
            .group_by(col(Invitation.question_id))
        ).all()
        pending.update(dict(rows))
    answers = session.exec(
        select(Answer, Member.display_name)
        .join(Question, col(Question.id) == col(Answer.question_id))
        .join(Member, col(Member.id) == col(Answer.member_id))
        .where(Question.asker_id == member_id)
        .order_by(col(Answer.created_at).desc(), col(Answer.id).desc())
        .limit(SHOWN_ANSWERS)
    ).all()
    taken = {q.taken_by for q in questions if q.taken_by}
    names = dict(
        session.exec(select(Member.id, Member.display_name).where(col(Member.id).in_(taken))).all()
        if taken
        else []
    )
    return MyQuestions(questions, pending, [(a, n) for a, n in answers], names)


def _expert(
    session: Session, member: Member, profile: ExpertiseProfile, now: datetime
) -> ExpertHome:
    rows = session.exec(
        select(Invitation.id, Question.text, Question.urgent)
        .join(Question, col(Question.id) == col(Invitation.question_id))
        .where(Invitation.member_id == member.id, Invitation.state == InvitationState.PENDING)
        .order_by(col(Invitation.created_at).desc())
        .limit(SHOWN_INVITATIONS)
    ).all()
    local = now.astimezone(AMSTERDAM)
    today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    month = today.replace(day=1)
    invited_today = session.exec(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.member_id == member.id, col(Invitation.created_at) >= today)
    ).one()
    answered = session.exec(
        select(func.count(func.distinct(Answer.question_id))).where(
            Answer.member_id == member.id, col(Answer.created_at) >= month
        )
    ).one()
    count, average = session.exec(
        select(func.count(), func.avg(Rating.score)).where(Rating.member_id == member.id)
    ).one()
    learned = learned_profile(session, member.id, now, top_terms=SHOWN_TOPICS)
    return ExpertHome(
        profile=profile,
        away=member.away_until is not None and member.away_until > now,
        invitations=[
            OpenInvitation(invitation_id or 0, text, signals_of(kinds, text))
            for invitation_id, text, kinds in rows
        ],
        invitations_today=invited_today,
        answered_this_month=answered,
        ratings=count,
        average_rating=float(average) if count else None,
        topics=[*learned.terms, *learned.leefgebieden[:2]],
    )


def concerned_members(session: Session, row_ids: list[int]) -> set[str]:
    """The members whose Home a set of delivered outbox rows changes."""
    members: set[str] = set()
    questions: set[int] = set()
    for row in session.exec(select(Outbox).where(col(Outbox.id).in_(row_ids))).all():
        if row.channel_kind != "chat":
            continue
        payload = payload_of(row)
        members |= {str(payload[k]) for k in ("to_member", "private_to") if payload.get(k)}
        if isinstance(payload.get("question_id"), int):
            questions.add(payload["question_id"])
        elif match := _QUESTION_KEY.match(row.key):  # replies to the asker name it in the key
            questions.add(int(match[1]))
    if questions:
        members |= set(
            session.exec(select(Question.asker_id).where(col(Question.id).in_(questions))).all()
        )
    return members
