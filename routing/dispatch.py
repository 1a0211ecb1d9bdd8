"""Dispatch: the life of a question from intake to answer, as a state machine over the database.

States of a question: open → taken → answered → closed, or open → unanswered after the last
wave. A question that closely resembles an earlier, well-answered one is first held: the asker
sees the earlier answer and either closes the question ("Dit helpt") or lets it go on to the
experts ("Toch doorsturen", or nothing: it goes on by itself after a few minutes; that part
is routing/holding.py). An invitation is pending until it is accepted, declined, forwarded,
expired (its wave timed out) or withdrawn (someone else took the question, or the asker closed
it): routing/responses.py. The waves themselves (who is invited when, escalation, reminders)
live in routing/waves.py; this module takes a question in (intake, the look before it leaves,
urgency, the first wave).

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

from sqlmodel import Session, select

from knowledge.areas import area_for
from knowledge.catalogue_search import CatalogueSearch
from knowledge.urgency import UrgentSignal, signals_of, urgent_signals
from models.clock import Clock
from models.errors import Why
from models.messages import (
    EarlierAnswer,
    QuestionPreview,
    QuestionReceived,
    UrgentAdvice,
)
from models.outbox import enqueue
from models.statuses import QuestionStatus
from models.tables import Member, Question
from routing.anonymity import AnonymityPolicy, check_anonymous_quota, parse_flags
from routing.dispatch_base import DispatchError, advance_status
from routing.holding import Holding
from routing.intake import Intake
from routing.responses import Responses
from routing.reuse import AnswerReuse
from routing.suggestions import find_suggestions
from routing.waves import DispatchPolicy, ExpertFinder, Waves, member_names

__all__ = ["AskResult", "DispatchError", "Dispatcher", "Inbound"]


def _kinds_cell(kinds: dict[str, int]) -> str:
    """'persoon=1;telefoon=2': what was removed, never the values."""
    return ";".join(f"{k}={n}" for k, n in sorted(kinds.items()))


def _advice(signals: tuple[UrgentSignal, ...]) -> tuple[UrgentAdvice, ...]:
    return tuple(UrgentAdvice(label=u.label, advice=u.advice) for u in signals)


def _kinds_of(cell: str) -> dict[str, int]:
    pairs = (item.split("=") for item in cell.split(";") if "=" in item)
    return {kind: int(count) for kind, count in pairs}


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


class Dispatcher(Holding, Responses):
    """A question's whole life; the parts live in routing/holding.py and routing/responses.py."""

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
        won = advance_status(session, question, QuestionStatus.CONCEPT, status=QuestionStatus.OPEN)
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
        """Hold the question for an earlier answer (when the policy holds) or invite the first
        wave; tell the asker, with any earlier answer."""
        hold = self.reuse.policy.hold_minutes if self.reuse and earlier else 0.0
        if hold > 0:
            question.status = QuestionStatus.HELD
            question.next_wave_at = self.policy.working_hours.add(now, hold)
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
                hold_minutes=hold if hold > 0 else None,
                urgent=_advice(urgent),
            ),
            now=now,
        )
        self._suggest(session, question, now)
        return invited

    def _suggest(self, session: Session, question: Question, now: datetime) -> None:
        """Social-map offers and Buurtacademie modules for the question, in the asker's
        thread at once, only when the evidence is strong (unasked floors: most of what weaker
        evidence finds is beside the need); nothing is sent when nothing is that strong."""
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
            unasked=True,
        )
        if found.offers or found.modules:
            enqueue(session, key=key, message=found, now=now)
