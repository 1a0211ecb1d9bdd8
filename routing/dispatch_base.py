"""What every part of the dispatcher shares: its refusal, the question's compare-and-set, and
the state the parts read (routing/dispatch.py puts them together).

Invariant: nothing here commits; a state change and the outbox rows it causes land in the
caller's transaction together.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col

from knowledge.catalogue_search import CatalogueSearch
from models.clock import Clock
from models.errors import DomainError, Why
from models.messages import Address, MemberRef
from models.statuses import QuestionStatus
from models.tables import Question
from routing.anonymity import AnonymityPolicy
from routing.intake import Intake
from routing.reuse import AnswerReuse
from routing.waves import DispatchPolicy, Waves


def advance_status(
    session: Session, question: Question, expected: QuestionStatus, **values: object
) -> bool:
    """Compare-and-set on a question's status: the row changes only while it still has the
    `expected` status, so of two racing clicks or instances exactly one wins. The question is
    refreshed either way; True when this call made the change."""
    won = session.execute(
        update(Question)
        .where(col(Question.id) == question.id, col(Question.status) == expected)
        .values(**values)
    ).rowcount  # type: ignore[attr-defined]
    session.refresh(question)
    return bool(won)


class DispatchError(DomainError):
    """A step on a question or an invitation that cannot be taken now."""


class DispatcherState:
    """The collaborators every part of the dispatcher uses (set by `Dispatcher.__init__`)."""

    intake: Intake
    anonymity: AnonymityPolicy
    clock: Clock
    policy: DispatchPolicy
    catalogue: CatalogueSearch | None
    reuse: AnswerReuse | None
    waves: Waves

    def _question(self, session: Session, question_id: int) -> Question:
        question = session.get(Question, question_id)
        if question is None:
            raise DispatchError(Why.QUESTION_UNKNOWN)
        return question

    @staticmethod
    def _to_asker(question: Question) -> Address:
        """The asker's own message or thread (the first replies, before there is a thread of
        ours); privately when they asked in a channel others read."""
        return Address.conversation(
            question.reply_channel,
            question.reply_thread or None,
            private_to=MemberRef(question.asker_id) if question.shared_channel else None,
        )
