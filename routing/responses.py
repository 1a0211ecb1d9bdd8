"""Responses to an invitation: take it, decline it, forward it, answer it; and the asker
closing the question with a grade. Taking is a conditional UPDATE (the question still open),
so two experts pressing "Ik pak hem op" at the same moment cannot both win.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from models.errors import Why
from models.messages import (
    Address,
    AnswerRated,
    AnswerRelayed,
    InvitationAccepted,
    InvitationClosed,
    QuestionClosed,
    QuestionTaken,
)
from models.outbox import enqueue, find_by_delivery
from models.statuses import InvitationState, QuestionStatus
from models.tables import Answer, Invitation, Member, Question, Rating
from routing.dispatch_base import DispatchError, DispatcherState, advance_status
from routing.learning import record_rating
from routing.waves import member_names


class Responses(DispatcherState):
    """What experts do with an invitation, and how the asker ends a question."""

    def _own_invitation(self, session: Session, invitation_id: int, actor_id: str) -> Invitation:
        invitation = session.get(Invitation, invitation_id)
        if invitation is None:
            raise DispatchError(Why.INVITATION_UNKNOWN)
        if invitation.member_id != actor_id:
            raise DispatchError(Why.INVITATION_NOT_YOURS)
        return invitation

    def accept(self, session: Session, invitation_id: int, actor_id: str) -> Question:
        invitation = self._own_invitation(session, invitation_id, actor_id)
        question = self._question(session, invitation.question_id)
        if invitation.state == InvitationState.ACCEPTED:
            return question  # a double tap: nothing more to do
        now = self.clock.now()
        won = advance_status(
            session,
            question,
            QuestionStatus.OPEN,
            status=QuestionStatus.TAKEN,
            taken_by=actor_id,
            next_wave_at=None,
            reminder_at=self.policy.working_hours.add(now, self.policy.answer_reminder_minutes),
        )
        if not won:
            taker = member_names(session, [question.taken_by or ""]).get(question.taken_by or "")
            if taker:
                raise DispatchError(Why.TAKEN_BY, taker=taker)
            raise DispatchError(Why.ALREADY_HANDLED)
        invitation.state, invitation.responded_at = InvitationState.ACCEPTED, now
        session.add(invitation)
        self.waves.withdraw_pending(session, question, keep=invitation.id, now=now)
        expert = member_names(session, [actor_id]).get(actor_id, actor_id)
        enqueue(
            session,
            key=f"question:{question.id}:taken",
            message=QuestionTaken(
                to=self.waves.thread_of(question),
                expert_name=expert,
                question_id=question.id or 0,
            ),
            now=now,
        )
        enqueue(
            session,
            key=f"invitation:{invitation.id}:accepted",
            message=InvitationAccepted(
                to=Address.member(actor_id, update_of=f"invitation:{invitation.id}"),
                question_text=question.text,
                invitation_id=invitation.id or 0,
            ),
            now=now,
        )
        return question

    def decline(self, session: Session, invitation_id: int, actor_id: str) -> None:
        invitation = self._own_invitation(session, invitation_id, actor_id)
        if invitation.state != InvitationState.PENDING:
            raise DispatchError(Why.ALREADY_RESPONDED)
        now = self.clock.now()
        invitation.state, invitation.responded_at = InvitationState.DECLINED, now
        session.add(invitation)
        enqueue(
            session,
            key=f"invitation:{invitation.id}:declined",
            message=InvitationClosed(
                to=Address.member(actor_id, update_of=f"invitation:{invitation.id}"),
                invitation_id=invitation.id or 0,
                state=InvitationState.DECLINED,
            ),
            now=now,
        )
        question = self._question(session, invitation.question_id)
        session.flush()
        if question.status == QuestionStatus.OPEN and not self.waves.pending(session, question):
            self.waves.next_wave_or_give_up(session, question, now)

    def forward(
        self, session: Session, invitation_id: int, actor_id: str, colleague_id: str
    ) -> Member:
        invitation = self._own_invitation(session, invitation_id, actor_id)
        question = self._question(session, invitation.question_id)
        if question.status != QuestionStatus.OPEN:
            raise DispatchError(Why.FORWARD_TOO_LATE)
        colleague = session.get(Member, colleague_id)
        if colleague is None or not colleague.is_active:
            raise DispatchError(Why.FORWARD_UNKNOWN_COLLEAGUE)
        if colleague_id in (actor_id, question.asker_id):
            # The same words for both, so an anonymous asker cannot be found by elimination.
            raise DispatchError(Why.FORWARD_SELF_OR_ASKER)
        if colleague_id in self.waves.already_invited(session, question.id or 0):
            raise DispatchError(Why.ALREADY_INVITED, name=colleague.display_name)
        now = self.clock.now()
        invitation.state, invitation.responded_at = InvitationState.FORWARDED, now
        session.add(invitation)
        forwarded = Invitation(
            question_id=question.id or 0,
            member_id=colleague_id,
            wave=question.wave,
            rank=0,
            score=invitation.score,
            forwarded_by=actor_id,
            created_at=now,
        )
        session.add(forwarded)
        session.flush()
        actor = session.get(Member, actor_id)
        self.waves.send_invitation(
            session,
            question,
            forwarded,
            session.get(Member, question.asker_id),
            now,
            forwarded_by=actor.display_name if actor else None,
        )
        enqueue(
            session,
            key=f"invitation:{invitation.id}:forwarded",
            message=InvitationClosed(
                to=Address.member(actor_id, update_of=f"invitation:{invitation.id}"),
                invitation_id=invitation.id or 0,
                state=InvitationState.FORWARDED,
                colleague=colleague.display_name,
            ),
            now=now,
        )
        return colleague

    def invitation_for_thread(
        self, session: Session, channel: str, thread: str
    ) -> Invitation | None:
        row = find_by_delivery(session, channel, thread)
        if row is None or not row.key.startswith("invitation:") or row.key.count(":") != 1:
            return None
        return session.get(Invitation, int(row.key.split(":")[1]))

    def answer(
        self, session: Session, invitation: Invitation, actor_id: str, text: str, source_key: str
    ) -> Answer:
        if invitation.member_id != actor_id:
            raise DispatchError(Why.ONLY_INVITED_ANSWERS)
        duplicate = session.exec(select(Answer).where(Answer.source_key == source_key)).first()
        if duplicate is not None:
            return duplicate
        if (
            invitation.state == InvitationState.PENDING
        ):  # answering in the thread counts as taking it
            self.accept(session, invitation.id or 0, actor_id)
            session.refresh(invitation)
        if invitation.state != InvitationState.ACCEPTED:
            raise DispatchError(Why.NOT_ASSIGNED)
        question = self._question(session, invitation.question_id)
        if question.status == QuestionStatus.CLOSED:
            raise DispatchError(Why.CLOSED_BY_ASKER)
        now = self.clock.now()
        # An answer may name the client too ("bel mevrouw Jansen even"): it is de-identified
        # before it is stored, relayed or shown to a later asker, like the question itself.
        answer = Answer(
            source_key=source_key,
            question_id=question.id or 0,
            member_id=actor_id,
            text=self.intake.redact(text.strip()),
            created_at=now,
        )
        session.add(answer)
        question.status, question.answered_at = QuestionStatus.ANSWERED, question.answered_at or now
        session.add(question)
        session.flush()
        enqueue(
            session,
            key=f"answer:{answer.id}",
            message=AnswerRelayed(
                to=self.waves.thread_of(question),
                question_id=question.id or 0,
                expert_name=member_names(session, [actor_id]).get(actor_id, actor_id),
                text=answer.text,
            ),
            now=now,
        )
        return answer

    def close(
        self, session: Session, question_id: int, actor_id: str, rating: int | None = None
    ) -> Question:
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_CLOSES)
        if rating is not None and not 1 <= rating <= 5:
            raise DispatchError(Why.RATING_RANGE)
        now = self.clock.now()
        if question.status != QuestionStatus.CLOSED:
            question.status, question.closed_at, question.next_wave_at = (
                QuestionStatus.CLOSED,
                now,
                None,
            )
            session.add(question)
            self.waves.withdraw_pending(session, question, keep=None, now=now, reason="closed")
            enqueue(
                session,
                key=f"question:{question.id}:closed",
                message=QuestionClosed(
                    to=self.waves.thread_of(question),
                    question_id=question.id or 0,
                    rated=rating,
                ),
                now=now,
            )
        if rating is not None and question.taken_by and question.answered_at:
            self._rate(session, question, rating, now)
        return question

    def _rate(self, session: Session, question: Question, score: int, now: datetime) -> None:
        existing = session.exec(select(Rating).where(Rating.question_id == question.id)).first()
        if existing is not None:
            return  # the first grade counts; a second tap changes nothing
        session.add(
            Rating(
                question_id=question.id or 0,
                member_id=question.taken_by or "",
                score=score,
                created_at=now,
            )
        )
        question.rating = score
        session.add(question)
        session.flush()
        record_rating(session, question.id or 0, now)  # a well-rated answer teaches the profile
        enqueue(
            session,
            key=f"question:{question.id}:rated",
            message=AnswerRated(
                to=Address.member(question.taken_by or ""),
                score=score,
                question_text=question.text,
            ),
            now=now,
        )
