"""Invitation waves: who is invited when, and what happens when nobody answers.

A wave invites the best-ranked experts not yet invited; when its time runs out (in working
hours) the pending invitations expire and the next wave goes out, until the last wave, after
which the asker is told honestly. A taken question that stays unanswered gets one reminder.

Every transition that a second process could race is a conditional UPDATE ("claim"): two
instances ticking at once never launch the same wave or send the same reminder twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from knowledge.urgency import signals_of
from models.clock import Clock
from models.messages import (
    Address,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    MemberRef,
    QuestionNextWave,
    QuestionUnanswered,
    UrgentAdvice,
)
from models.outbox import enqueue, enqueue_many
from models.statuses import InvitationState, QuestionStatus
from models.tables import Invitation, Member, Question
from routing.working_hours import WorkingHours


@dataclass(frozen=True)
class Pick:
    member_id: str
    score: float


class ExpertFinder(Protocol):
    def find(
        self,
        session: Session,
        text: str,
        leefgebieden: Sequence[str],
        *,
        exclude: set[str],
        limit: int,
        now: datetime,
        include_external: bool = False,
    ) -> list[Pick]: ...


@dataclass(frozen=True)
class DispatchPolicy:
    experts_per_wave: int = 3
    max_waves: int = 3
    wave_timeout_minutes: float = 20.0
    # A question with signs of acute danger (knowledge/urgency.py) moves on to the next wave
    # sooner: the asker already has the crisis numbers, but a colleague should join quickly.
    urgent_wave_timeout_minutes: float = 5.0
    # A taken question that is still unanswered after this many working minutes gets one
    # reminder to the expert, so a question cannot die quietly with its taker.
    answer_reminder_minutes: float = 240.0
    working_hours: WorkingHours = field(default_factory=WorkingHours)
    # Before any colleague sees a question from which something was removed, or in which a
    # word may still name someone, the asker sees exactly what they will see and sends it.
    look_before_sending: bool = True


def member_names(session: Session, member_ids: Sequence[str]) -> dict[str, str]:
    if not member_ids:
        return {}
    rows = session.exec(select(Member).where(col(Member.id).in_(list(member_ids)))).all()
    return {m.id: m.display_name for m in rows}


class Waves:
    def __init__(self, *, finder: ExpertFinder, clock: Clock, policy: DispatchPolicy) -> None:
        self.finder = finder
        self.clock = clock
        self.policy = policy

    def thread_of(self, question: Question) -> Address:
        """Where replies to the asker go: their thread, or the thread of our first reply. A
        question asked in a channel others read gets its replies privately (`private_to`):
        an answer or a status message is about the asker's client."""
        return Address.conversation(
            question.reply_channel,
            question.reply_thread or None,
            thread_of=None if question.reply_thread else f"question:{question.id}:received",
            private_to=MemberRef(question.asker_id) if question.shared_channel else None,
        )

    def already_invited(self, session: Session, question_id: int) -> set[str]:
        rows = session.exec(
            select(Invitation.member_id).where(Invitation.question_id == question_id)
        ).all()
        return set(rows)

    def launch(self, session: Session, question: Question, now: datetime) -> list[str]:
        assert question.id is not None
        exclude = self.already_invited(session, question.id) | {question.asker_id}
        picks = self.finder.find(
            session,
            question.text,
            list(question.leefgebieden),
            exclude=exclude,
            limit=self.policy.experts_per_wave,
            now=now,
            include_external=question.include_external,
        )
        if not picks:
            self.give_up(session, question, now, reason="no_experts")
            return []
        question.wave += 1
        urgent = bool(signals_of(question.urgent, question.text))
        timeout = (
            self.policy.urgent_wave_timeout_minutes if urgent else self.policy.wave_timeout_minutes
        )
        question.next_wave_at = self.policy.working_hours.add(now, timeout)
        asker = session.get(Member, question.asker_id)
        invitations = [
            Invitation(
                question_id=question.id,
                member_id=pick.member_id,
                wave=question.wave,
                rank=rank,
                score=pick.score,
                created_at=now,
            )
            for rank, pick in enumerate(picks, start=1)
        ]
        # The invitees in one SELECT, held here so that invitation_message's session.get finds
        # them in the session's (weak) identity map instead of asking once per invitee.
        invitees = session.exec(
            select(Member).where(col(Member.id).in_([pick.member_id for pick in picks]))
        ).all()
        session.add_all(invitations)
        session.flush()
        messages = [self.invitation_message(session, question, i, asker) for i in invitations]
        enqueue_many(session, messages, now=now)  # one INSERT for the wave's messages
        del invitees
        session.add(question)
        return [p.member_id for p in picks]

    def send_invitation(
        self,
        session: Session,
        question: Question,
        invitation: Invitation,
        asker: Member | None,
        now: datetime,
        forwarded_by: str | None = None,
    ) -> None:
        """The invitation DM of one invitation (a forward)."""
        key, message = self.invitation_message(session, question, invitation, asker, forwarded_by)
        enqueue(session, key=key, message=message, now=now)

    @staticmethod
    def invitation_message(
        session: Session,
        question: Question,
        invitation: Invitation,
        asker: Member | None,
        forwarded_by: str | None = None,
    ) -> tuple[str, InvitationMessage]:
        """The invitation DM, under its outbox key. The asker stays "een collega" when they
        asked anonymously and always for an external expert (partners see only the
        de-identified question)."""
        invitee = session.get(Member, invitation.member_id)
        external = invitee is not None and invitee.is_external
        hidden = question.anonymous or invitee is None or external
        partner_reason = None
        if external:  # a partner is told why: the asker asked for one, or no colleague fitted
            partner_reason = "asked" if question.include_external else "no_colleague_fits"
        if asker is None or hidden:
            asker_name = "een collega"
            asker_team = "anoniem" if question.anonymous else ("Buurtteams" if external else "")
        else:
            asker_name, asker_team = asker.display_name, asker.team
        return f"invitation:{invitation.id}", InvitationMessage(
            to=Address.member(invitation.member_id),
            invitation_id=invitation.id or 0,
            question_id=question.id or 0,
            question_text=question.text,
            asker_name=asker_name,
            asker_team=asker_team,
            anonymous=hidden,
            leefgebieden=question.leefgebieden,
            wave=invitation.wave,
            forwarded_by=forwarded_by,
            urgent=tuple(u.label for u in signals_of(question.urgent, question.text)),
            partner_reason=partner_reason,
        )

    def give_up(self, session: Session, question: Question, now: datetime, reason: str) -> None:
        question.status = QuestionStatus.UNANSWERED
        question.next_wave_at = None
        session.add(question)
        enqueue(
            session,
            key=f"question:{question.id}:unanswered",
            message=QuestionUnanswered(
                to=self.thread_of(question),
                question_id=question.id or 0,
                reason=reason,
                waves=question.wave,
                urgent=tuple(
                    UrgentAdvice(label=u.label, advice=u.advice)
                    for u in signals_of(question.urgent, question.text)
                ),
            ),
            now=now,
        )

    def withdraw_pending(
        self,
        session: Session,
        question: Question,
        keep: int | None,
        now: datetime,
        state: InvitationState = InvitationState.WITHDRAWN,
        reason: str | None = None,
    ) -> None:
        """Close the still-pending invitations; `reason` picks the words the expert sees."""
        for other in self.pending(session, question):
            if other.id == keep:
                continue
            other.state = state
            session.add(other)
            enqueue(
                session,
                key=f"invitation:{other.id}:{state}",
                message=InvitationClosed(
                    to=Address.member(other.member_id, update_of=f"invitation:{other.id}"),
                    invitation_id=other.id or 0,
                    state=reason or state,
                    question_text=question.text,
                ),
                now=now,
            )

    def pending(self, session: Session, question: Question) -> list[Invitation]:
        return list(
            session.exec(
                select(Invitation).where(
                    Invitation.question_id == question.id,
                    Invitation.state == InvitationState.PENDING,
                )
            ).all()
        )

    def next_wave_or_give_up(self, session: Session, question: Question, now: datetime) -> None:
        if question.wave >= self.policy.max_waves:
            self.give_up(session, question, now, reason="no_response")
            return
        invited = self.launch(session, question, now)
        if invited:
            enqueue(
                session,
                key=f"question:{question.id}:wave:{question.wave}",
                message=QuestionNextWave(
                    to=self.thread_of(question),
                    question_id=question.id or 0,
                    wave=question.wave,
                    invited=tuple(member_names(session, invited).values()),
                ),
                now=now,
            )

    def escalate_due(self, session: Session) -> int:
        """Move every question whose wave timed out to its next wave, and remind experts who
        took a question but have not answered; returns how many questions were moved.

        Each question is claimed with a conditional UPDATE first, so several instances ticking
        at once (or a retried tick) never launch the same wave or reminder twice.
        """
        now = self.clock.now()
        self._remind_takers(session, now)
        due = session.exec(
            select(Question).where(
                Question.status == QuestionStatus.OPEN, col(Question.next_wave_at) <= now
            )
        ).all()
        moved = 0
        for question in due:
            if not self._claim(session, question, wave=question.wave, next_wave_at=None):
                continue
            self.withdraw_pending(
                session, question, keep=None, now=now, state=InvitationState.EXPIRED
            )
            self.next_wave_or_give_up(session, question, now)
            moved += 1
        return moved

    def _claim(self, session: Session, question: Question, **values: object) -> bool:
        """Set `values` only if the question is still as we read it (status, wave)."""
        won = session.execute(
            update(Question)
            .where(
                col(Question.id) == question.id,
                col(Question.status) == question.status,
                col(Question.wave) == question.wave,
            )
            .values(**{k: v for k, v in values.items() if k != "wave"})
        ).rowcount  # type: ignore[attr-defined]
        if won:
            session.refresh(question)
        return bool(won)

    def _remind_takers(self, session: Session, now: datetime) -> None:
        forgotten = session.exec(
            select(Question).where(
                Question.status == QuestionStatus.TAKEN, col(Question.reminder_at) <= now
            )
        ).all()
        for question in forgotten:
            if not self._claim(session, question, reminder_at=None):
                continue
            taken = session.exec(
                select(Invitation).where(
                    Invitation.question_id == question.id,
                    Invitation.state == InvitationState.ACCEPTED,
                )
            ).first()
            if taken is None:
                continue
            enqueue(
                session,
                key=f"invitation:{taken.id}:reminder",
                message=InvitationReminder(
                    to=Address.member(taken.member_id, thread_of=f"invitation:{taken.id}"),
                    invitation_id=taken.id or 0,
                    question_text=question.text,
                ),
                now=now,
            )
