"""Dispatch: the life of a question from intake to answer, as a state machine over the database.

States of a question: open → taken → answered → closed, or open → unanswered after the last
wave. A question that closely resembles an earlier, well-answered one is first held: the asker
sees the earlier answer and either closes the question ("Dit helpt") or lets it go on to the
experts ("Toch doorsturen", or nothing: it goes on by itself after a few minutes).
An invitation is pending until it is accepted, declined, forwarded, expired (its wave
timed out) or withdrawn (someone else took the question, or the asker closed it). The waves
themselves (who is invited when, escalation, reminders) live in routing/waves.py.

Invariants:
- every function takes the session of the caller's transaction; nothing commits here, so a
  state change and the outbox rows it causes land together or not at all;
- every outgoing message is an outbox row under a key naming its cause, so replaying an event
  or a button press adds nothing;
- taking a question is a conditional UPDATE (status still open), so two experts pressing
  "Ik pak hem op" at the same moment cannot both win.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, select

from knowledge.areas import area_for
from knowledge.catalogue_search import CatalogueSearch
from knowledge.urgency import UrgentSignal, signals_of, urgent_signals
from models.clock import Clock
from models.errors import DomainError, Why
from models.messages import (
    Address,
    AnswerRated,
    AnswerRelayed,
    EarlierAnswer,
    InvitationAccepted,
    InvitationClosed,
    MemberRef,
    QuestionClosed,
    QuestionPreview,
    QuestionReceived,
    QuestionReleased,
    QuestionReused,
    QuestionTaken,
    UrgentAdvice,
)
from models.outbox import enqueue, find_by_delivery
from models.statuses import InvitationState, QuestionStatus
from models.tables import Answer, Invitation, Member, Question, Rating
from routing.anonymity import AnonymityPolicy, check_anonymous_quota, parse_flags
from routing.intake import Intake
from routing.learning import record_rating
from routing.reuse import AnswerReuse
from routing.suggestions import find_suggestions
from routing.waves import DispatchPolicy, ExpertFinder, Waves, member_names

__all__ = ["AskResult", "DispatchError", "Dispatcher", "Inbound"]

# A question only its asker has seen: waiting for "Versturen" (issue: look before it leaves).


def _advance(
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


def _kinds_cell(kinds: dict[str, int]) -> str:
    """'persoon=1;telefoon=2': what was removed, never the values."""
    return ";".join(f"{k}={n}" for k, n in sorted(kinds.items()))


def _advice(signals: tuple[UrgentSignal, ...]) -> tuple[UrgentAdvice, ...]:
    return tuple(UrgentAdvice(label=u.label, advice=u.advice) for u in signals)


def _kinds_of(cell: str) -> dict[str, int]:
    pairs = (item.split("=") for item in cell.split(";") if "=" in item)
    return {kind: int(count) for kind, count in pairs}


class DispatchError(DomainError):
    """A step on a question or an invitation that cannot be taken now."""


@dataclass(frozen=True)
class Inbound:
    """A message as the domain sees it: who, where, what, when — no transport types."""

    source_key: str
    asker_id: str
    text: str
    reply_channel: str
    reply_thread: str  # "" when the question has no thread yet (a slash command)
    received_at: datetime
    shared_channel: bool = False  # asked in a channel others read: keep notices private


@dataclass(frozen=True)
class AskResult:
    question: Question
    duplicate: bool
    invited: tuple[str, ...]


class Dispatcher:
    def __init__(
        self,
        *,
        intake: Intake,
        finder: ExpertFinder,
        clock: Clock,
        policy: DispatchPolicy,
        catalogue: CatalogueSearch | None = None,
        reuse: AnswerReuse | None = None,
        anonymity: AnonymityPolicy | None = None,
    ) -> None:
        self.intake = intake
        self.anonymity = anonymity or AnonymityPolicy()
        self.clock = clock
        self.policy = policy
        self.catalogue = catalogue
        self.reuse = reuse
        self.waves = Waves(finder=finder, clock=clock, policy=policy)

    def escalate_due(self, session: Session) -> int:
        """Run the timers: held questions released, next waves, reminders (routing/waves.py)."""
        return self.release_due(session) + self.waves.escalate_due(session)

    def ask(self, session: Session, inbound: Inbound) -> AskResult:
        """Take a question in once; a replayed message returns the existing question."""
        existing = session.exec(
            select(Question).where(Question.source_key == inbound.source_key)
        ).first()
        if existing is not None:
            return AskResult(existing, duplicate=True, invited=())
        flags = parse_flags(inbound.text)  # "anoniem:" / "extern:" (routing/anonymity.py)
        result = self.intake.process(flags.text)  # raises IntakeRefused before any write
        now = self.clock.now()
        if flags.anonymous:  # over the daily limit: IntakeRefused, nothing written
            check_anonymous_quota(session, inbound.asker_id, now, self.anonymity)
        doubtful = self.intake.doubtful(result.deidentified.text)
        look = self.policy.look_before_sending and bool(result.deidentified.removed or doubtful)
        # Acute danger is decided once, on what colleagues will read, and kept with the question.
        urgent = urgent_signals(result.deidentified.text)
        if not look:
            earlier = self._before_writing(session, result.deidentified.text, urgent, now)
        question = Question(
            source_key=inbound.source_key,
            asker_id=inbound.asker_id,
            text=result.deidentified.text,
            removed_kinds=_kinds_cell(result.deidentified.kinds),
            leefgebieden=tuple(result.leefgebieden),
            reply_channel=inbound.reply_channel,
            reply_thread=inbound.reply_thread,
            created_at=now,
            anonymous=flags.anonymous,
            include_external=flags.include_external,
            shared_channel=inbound.shared_channel,
            status=QuestionStatus.CONCEPT if look else QuestionStatus.OPEN,
            urgent=tuple(signal.kind for signal in urgent),
        )
        session.add(question)
        session.flush()
        if look:  # nobody sees it before the asker has: "Versturen" (confirm) or "Aanpassen"
            self._preview(session, question, result.deidentified.kinds, doubtful, now)
            return AskResult(question, duplicate=False, invited=())
        invited = self._proceed(session, question, urgent, earlier, now)
        return AskResult(question, duplicate=False, invited=tuple(invited))

    def confirm(self, session: Session, question_id: int, actor_id: str) -> list[str]:
        """ "Versturen": the asker has seen what colleagues will see; the question goes on."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_SENDS)
        if question.status != QuestionStatus.CONCEPT:
            return []  # a double tap, or withdrawn meanwhile
        now = self.clock.now()
        urgent = signals_of(question.urgent, question.text)
        earlier = self._before_writing(session, question.text, urgent, now)
        won = _advance(session, question, QuestionStatus.CONCEPT, status=QuestionStatus.OPEN)
        if not won:
            return []
        return self._proceed(session, question, urgent, earlier, now)

    def editable(self, session: Session, question_id: int, actor_id: str) -> Question:
        """The asker's question that nobody has seen yet, for "Aanpassen"; raises
        DispatchError for anyone else's, or once it was sent or withdrawn."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_EDITS)
        if question.status != QuestionStatus.CONCEPT:
            raise DispatchError(Why.ALREADY_SENT)
        return question

    def revise(self, session: Session, question_id: int, actor_id: str, text: str) -> Question:
        """ "Aanpassen": the asker rewrites a question nobody has seen yet; it is de-identified
        again and shown again. Raises IntakeRefused for an empty or unusable text."""
        question = self.editable(session, question_id, actor_id)
        result = self.intake.process(parse_flags(text).text)
        question.text = result.deidentified.text
        question.removed_kinds = _kinds_cell(result.deidentified.kinds)
        question.leefgebieden = tuple(result.leefgebieden)
        session.add(question)
        session.flush()
        doubtful = self.intake.doubtful(question.text)
        self._preview(session, question, result.deidentified.kinds, doubtful, self.clock.now())
        return question

    def _before_writing(
        self, session: Session, text: str, urgent: tuple[UrgentSignal, ...], now: datetime
    ) -> list[EarlierAnswer]:
        """Everything that may embed (and so write the embedding cache in its own
        transaction) runs before this transaction writes: SQLite allows one writer at a time."""
        if self.catalogue is not None:
            self.catalogue.refresh(session)
        # Acute danger is never held for an earlier answer: the experts are asked at once.
        return [] if urgent else self._earlier_answers(session, text, now)

    def _preview(
        self,
        session: Session,
        question: Question,
        removed: dict[str, int],
        doubtful: tuple[str, ...],
        now: datetime,
    ) -> None:
        """Show the asker exactly what colleagues would see. Keyed by the text shown, so a
        replayed edit shows it once and every new version once."""
        digest = hashlib.sha256(question.text.encode()).hexdigest()[:12]
        enqueue(
            session,
            key=f"question:{question.id}:preview:{digest}",
            message=QuestionPreview(
                to=self._to_asker(question),
                question_id=question.id or 0,
                redacted_text=question.text,
                removed=removed,
                doubtful=doubtful,
                # acute danger: the crisis numbers come first, before the asker decides
                urgent=_advice(signals_of(question.urgent, question.text)),
            ),
            now=now,
        )

    def _proceed(
        self,
        session: Session,
        question: Question,
        urgent: tuple[UrgentSignal, ...],
        earlier: list[EarlierAnswer],
        now: datetime,
    ) -> list[str]:
        """Hold the question for an earlier answer or invite the first wave; tell the asker."""
        if earlier:
            question.status = QuestionStatus.HELD
            question.next_wave_at = self.policy.working_hours.add(
                now, self.reuse.policy.hold_minutes if self.reuse else 0.0
            )
            session.add(question)
            invited = []
        else:
            invited = self.waves.launch(session, question, now)
        enqueue(
            session,
            key=f"question:{question.id}:received",
            message=QuestionReceived(
                to=self._to_asker(question),
                question_id=question.id or 0,
                redacted_text=question.text,
                removed=_kinds_of(question.removed_kinds),
                leefgebieden=question.leefgebieden,
                invited=tuple(member_names(session, invited).get(i, i) for i in invited),
                earlier=tuple(earlier),
                hold_minutes=self.reuse.policy.hold_minutes if earlier and self.reuse else None,
                urgent=_advice(urgent),
            ),
            now=now,
        )
        self._suggest(session, question, now)
        return invited

    @staticmethod
    def _to_asker(question: Question) -> Address:
        """The asker's own message or thread (the first replies, before there is a thread of
        ours); privately when they asked in a channel others read."""
        return Address.conversation(
            question.reply_channel,
            question.reply_thread or None,
            private_to=MemberRef(question.asker_id) if question.shared_channel else None,
        )

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

    def _suggest(self, session: Session, question: Question, now: datetime) -> None:
        """Social-map offers and Buurtacademie modules for the question, in the asker's
        thread at once: useful while the experts have not answered yet."""
        if self.catalogue is None:
            return
        asker = session.get(Member, question.asker_id)
        area = area_for(question.text, asker.team if asker else None)
        leefgebieden = list(question.leefgebieden)
        key = f"question:{question.id}:suggestions"
        found = find_suggestions(
            self.catalogue,
            question.text,
            to=self.waves.thread_of(question),
            context=key,
            area=area,
            leefgebieden=leefgebieden,
        )
        if found.offers or found.modules or self.catalogue.offer_index.ids():
            enqueue(session, key=key, message=found, now=now)

    def release(self, session: Session, question_id: int, actor_id: str) -> list[str]:
        """ "Toch doorsturen": a held question goes on to the experts now."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_CHOOSES)
        if question.status != QuestionStatus.HELD:
            return []  # already forwarded (by the timer or a double tap), or closed
        return self._release(session, question, self.clock.now())

    def _release(self, session: Session, question: Question, now: datetime) -> list[str]:
        won = _advance(
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
        """ "Dit helpt, niet doorsturen": the question is closed, answered by an earlier one."""
        question = self._question(session, question_id)
        if question.asker_id != actor_id:
            raise DispatchError(Why.ONLY_ASKER_CHOOSES)
        if question.status == QuestionStatus.CLOSED and question.reused_from == earlier_id:
            return question  # a double tap
        if question.status != QuestionStatus.HELD:
            raise DispatchError(Why.ALREADY_WITH_COLLEAGUES)
        now = self.clock.now()
        won = _advance(
            session,
            question,
            QuestionStatus.HELD,
            status=QuestionStatus.CLOSED,
            closed_at=now,
            next_wave_at=None,
            reused_from=earlier_id,
        )
        if won:
            enqueue(
                session,
                key=f"question:{question.id}:reused",
                message=QuestionReused(
                    to=self.waves.thread_of(question), question_id=question.id or 0
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

    def _own_invitation(self, session: Session, invitation_id: int, actor_id: str) -> Invitation:
        invitation = session.get(Invitation, invitation_id)
        if invitation is None:
            raise DispatchError(Why.INVITATION_UNKNOWN)
        if invitation.member_id != actor_id:
            raise DispatchError(Why.INVITATION_NOT_YOURS)
        return invitation

    def _question(self, session: Session, question_id: int) -> Question:
        question = session.get(Question, question_id)
        if question is None:
            raise DispatchError(Why.QUESTION_UNKNOWN)
        return question

    def accept(self, session: Session, invitation_id: int, actor_id: str) -> Question:
        invitation = self._own_invitation(session, invitation_id, actor_id)
        question = self._question(session, invitation.question_id)
        if invitation.state == InvitationState.ACCEPTED:
            return question  # a double tap: nothing more to do
        now = self.clock.now()
        won = _advance(
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
