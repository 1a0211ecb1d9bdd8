"""Holding a question for an earlier answer: before colleagues are disturbed, the asker sees
an earlier, well-rated answer to the same question and either closes the question ("Dit helpt")
or lets it go on ("Toch doorsturen", or nothing: it goes on by itself after a few minutes).
The similarity itself is routing/reuse.py's.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from models.errors import Why
from models.messages import EarlierAnswer, QuestionReleased, QuestionReused
from models.outbox import enqueue
from models.statuses import QuestionStatus
from models.tables import Question
from routing.dispatch_base import DispatchError, DispatcherState, advance_status
from routing.waves import member_names


class Holding(DispatcherState):
    """The held state of a question: release it to colleagues, or close it with an earlier
    answer."""

    def _earlier_answers(self, session: Session, text: str, now: datetime) -> list[EarlierAnswer]:
        """Close, well-rated earlier answers, de-identified again (answers are stored as the
        expert wrote them and may name someone; the new asker must not see that)."""
        if self.reuse is None:
            return []
        found = self.reuse.find(session, text, now)
        return [
            EarlierAnswer(
                question_id=e.question_id,
                question_text=e.question_text,
                answer_text=self.intake.redact(e.answer_text),
                expert_name=e.expert_name,
                answered_on=e.answered_at.date(),
                rating=e.rating,
            )
            for e in found
        ]

    def release(self, session: Session, question_id: int, actor_id: str) -> list[str]:
        """ "Toch doorsturen": a held question goes on to the experts now."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_CHOOSES)
        if question.status != QuestionStatus.HELD:
            return []  # already forwarded (by the timer or a double tap), or closed
        return self._release(session, question, self.clock.now())

    def _release(self, session: Session, question: Question, now: datetime) -> list[str]:
        won = advance_status(
            session, question, QuestionStatus.HELD, status=QuestionStatus.OPEN, next_wave_at=None
        )
        if not won:
            return []
        invited = self.waves.launch(session, question, now)
        if invited:
            enqueue(
                session,
                key=f"question:{question.id}:released",
                message=QuestionReleased(
                    to=self.waves.thread_of(question),
                    question_id=question.id or 0,
                    invited=tuple(member_names(session, invited).values()),
                ),
                now=now,
            )
        return invited

    def reuse_answer(
        self, session: Session, question_id: int, actor_id: str, earlier_id: int
    ) -> Question:
        """ "Dit helpt": the question is closed, answered by an earlier one; when it had gone to
        colleagues already (no hold), their invitations that nobody took are withdrawn. Once
        a colleague took it, it is theirs: "Dit helpt" is refused."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_CHOOSES)
        if question.status == QuestionStatus.CLOSED and question.reused_from == earlier_id:
            return question  # a double tap
        if question.status not in (QuestionStatus.HELD, QuestionStatus.OPEN):
            raise DispatchError(Why.ALREADY_WITH_COLLEAGUES)
        was = question.status
        now = self.clock.now()
        won = advance_status(
            session,
            question,
            was,
            status=QuestionStatus.CLOSED,
            closed_at=now,
            next_wave_at=None,
            reused_from=earlier_id,
        )
        if won:
            if was == QuestionStatus.OPEN:  # shown beside the first wave: call it back
                self.waves.withdraw_pending(session, question, keep=None, now=now, reason="closed")
            enqueue(
                session,
                key=f"question:{question.id}:reused",
                message=QuestionReused(
                    to=self.waves.thread_of(question),
                    question_id=question.id or 0,
                    withdrawn=was == QuestionStatus.OPEN,
                ),
                now=now,
            )
        return question

    def release_due(self, session: Session) -> int:
        """Held questions whose asker did not choose in time go on to the experts."""
        now = self.clock.now()
        due = session.exec(
            select(Question).where(
                Question.status == QuestionStatus.HELD, col(Question.next_wave_at) <= now
            )
        ).all()
        return sum(bool(self._release(session, question, now)) for question in due)
