"""Messages about a question: to the asker (preview, received, released, reused, taken, next
wave, unanswered, relayed answer, closed, suggestions), to the expert (invitation, accepted,
closed, reminder, rated, profile nudge) and about anonymity (reveal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from models.messages.envelope import Message, Priority
from models.messages.parts import EarlierAnswer, SuggestedModule, SuggestedOffer, UrgentAdvice


# -- questions, to the asker -----------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class QuestionPreview(Message, kind="question.preview", priority=Priority.REPLY):
    """What colleagues would see, before anyone does: Versturen, Aanpassen or Intrekken."""

    question_id: int
    redacted_text: str
    removed: dict[str, int] = field(default_factory=dict)
    doubtful: tuple[str, ...] = ()
    urgent: tuple[UrgentAdvice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReceived(Message, kind="question.received", priority=Priority.REPLY):
    """The first reply: crisis numbers, what was removed, earlier answers or who is asked."""

    question_id: int
    redacted_text: str
    removed: dict[str, int] = field(default_factory=dict)
    leefgebieden: tuple[str, ...] = ()
    invited: tuple[str, ...] = ()
    earlier: tuple[EarlierAnswer, ...] = ()
    hold_minutes: float | None = None
    urgent: tuple[UrgentAdvice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReleased(Message, kind="question.released", priority=Priority.REPLY):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    invited: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionReused(Message, kind="question.reused", priority=Priority.REPLY):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    withdrawn: bool = False  # the colleagues' invitations were called back (not held)


@dataclass(frozen=True, kw_only=True)
class QuestionTaken(Message, kind="question.taken", priority=Priority.AWAITED):
    expert_name: str
    question_id: int = 0  # 0 in rows stored before the console showed the number


@dataclass(frozen=True, kw_only=True)
class QuestionNextWave(Message, kind="question.next_wave"):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    wave: int
    invited: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class QuestionUnanswered(Message, kind="question.unanswered", priority=Priority.AWAITED):
    question_id: int
    reason: str  # "no_experts" or "no_response"
    waves: int = 0
    # acute danger: the crisis numbers again, now that no colleague answered
    urgent: tuple[UrgentAdvice, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AnswerRelayed(Message, kind="answer.relay", priority=Priority.AWAITED):
    question_id: int
    expert_name: str
    text: str


@dataclass(frozen=True, kw_only=True)
class QuestionClosed(Message, kind="question.closed", priority=Priority.AWAITED):
    question_id: int = 0  # 0 in rows stored before the console showed the number
    rated: int | None = None


@dataclass(frozen=True, kw_only=True)
class Suggestions(Message, kind="suggestions", priority=Priority.REPLY):
    """Offers and modules for a question or a search; `context` is the outbox key of the
    first version (clicks refer to it), `verdicts` the clicks once there are any."""

    query: str
    context: str
    area: str | None = None
    offers: tuple[SuggestedOffer, ...] = ()
    modules: tuple[SuggestedModule, ...] = ()
    searched_offers: bool = True
    searched_modules: bool = True
    title: str | None = None
    verdicts: dict[str, bool] | None = None


# -- invitations, to the expert --------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class InvitationMessage(Message, kind="invitation"):
    invitation_id: int
    question_id: int
    question_text: str
    asker_name: str
    asker_team: str
    anonymous: bool = False
    leefgebieden: tuple[str, ...] = ()
    wave: int = 1
    forwarded_by: str | None = None
    urgent: tuple[str, ...] = ()
    # For a partner organisation: why it is asked ("asked": the asker wrote extern:,
    # "no_colleague_fits": no colleague of the teams scored well enough); None for colleagues.
    partner_reason: str | None = None


@dataclass(frozen=True, kw_only=True)
class InvitationAccepted(Message, kind="invitation.accepted", priority=Priority.REPLY):
    invitation_id: int
    question_text: str = ""


@dataclass(frozen=True, kw_only=True)
class InvitationClosed(Message, kind="invitation.closed", priority=Priority.REPLY):
    invitation_id: int = 0  # 0 in rows stored before the console showed the number
    state: str  # withdrawn, expired, declined, forwarded or closed
    colleague: str | None = None  # "forwarded": to whom
    question_text: str | None = None


@dataclass(frozen=True, kw_only=True)
class InvitationReminder(Message, kind="invitation.reminder"):
    invitation_id: int = 0  # 0 in rows stored before the console showed the number
    question_text: str


@dataclass(frozen=True, kw_only=True)
class AnswerRated(Message, kind="answer.rated"):
    score: int
    question_text: str = ""


@dataclass(frozen=True, kw_only=True)
class ProfileNudge(Message, kind="profile.nudge"):
    last_confirmed: date | None = None
    tags: tuple[str, ...] = ()
    learned_topics: tuple[str, ...] = ()


# -- anonymity -------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class RevealAnswer(Message, kind="reveal.answer", priority=Priority.REPLY):
    """To the coordinator who asked who asked an anonymous question."""

    question_id: int
    asker_name: str


@dataclass(frozen=True, kw_only=True)
class RevealTold(Message, kind="reveal.told", priority=Priority.AWAITED):
    """To the asker: who revealed them, and why."""

    question_id: int
    coordinator_name: str
    reason: str
