"""What a message typed to Vraagbaak means, for every transport: an answer in an invitation's
thread, a registration, or a question for colleagues.

`receive` does the whole turn in one transaction and returns what happened; the transport
only shows a `Told` text (its own way: a Slack notice, a console line). Everything else the
turn causes — the question's preview, invitations, a registration card, the relay of an
answer — is outbox rows written in that transaction.

Invariants: a message delivered twice (the same `key`) acts once; a refusal writes nothing;
a registration-like message never reaches experts without the sender asking for it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from bot.conversation.registration import as_registration
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.text import without_chat_markup
from bot.wiring import Deps
from models.errors import Why
from models.tables import Invitation, Member
from routing.dispatch import DispatchError, Inbound

log = logging.getLogger(__name__)

THREAD_HINT = (
    "Een nieuwe vraag? Stuur hem als nieuw bericht, niet als reactie in een thread. "
    "Antwoorden op een uitnodiging typ je in de thread van die uitnodiging."
)
EMPTY_ANSWER = "Je antwoord is leeg; typ het als reactie in deze thread."


@dataclass(frozen=True)
class Typed:
    """A message a person typed to Vraagbaak, as any transport receives it."""

    member: Member | None  # None: a stranger (or a colleague who left)
    text: str
    key: str  # names this message: the same message delivered twice has the same key
    channel: str  # where a reply goes (a DM, a channel, the console)
    thread: str | None = None  # the thread it was typed in; None at the top level
    reply_thread: str = ""  # where a new question's messages go ("" for no thread yet)
    shared_channel: bool = False  # typed where others read along: replies stay private
    question_only: bool = False  # `/vraag`: a question even when it reads like a registration


@dataclass(frozen=True)
class Asked:
    question_id: int
    duplicate: bool  # delivered before: nothing new was written


@dataclass(frozen=True)
class Answered:
    invitation_id: int
    question_id: int


@dataclass(frozen=True)
class Proposed:
    """A registration card is on its way to the sender."""


@dataclass(frozen=True)
class Told:
    """Nothing was written; show `text` to the sender."""

    text: str


@dataclass(frozen=True)
class Repeated:
    """The same message, delivered again while the first delivery was being handled."""


Outcome = Asked | Answered | Proposed | Told | Repeated


def receive(deps: Deps, typed: Typed, invitation_id: int | None = None) -> Outcome:
    """One message, one transaction. `invitation_id` is the invitation whose thread the
    message was typed in (the transport knows its threads); a message in any other thread is
    not a question: it gets a hint."""
    if invitation_id is not None:
        return answer(deps, typed, invitation_id)
    if typed.thread is not None:
        return Told(THREAD_HINT)
    if typed.member is None:
        return Told(UNKNOWN_COLLEAGUE)
    if not typed.question_only:
        with deps.sessions() as session:
            try:
                card = as_registration(
                    deps,
                    session,
                    typed.member,
                    typed.text,
                    key=f"dm:{typed.key}",
                    channel=typed.channel,
                    thread=typed.reply_thread or None,
                )
                if isinstance(card, str):
                    return Told(card)
                if card is not None:
                    session.commit()
                    return Proposed()
            except IntegrityError:
                return Repeated()
    return ask(deps, typed)


def ask(deps: Deps, typed: Typed) -> Outcome:
    """The message as a question for colleagues (de-identified and routed by the core)."""
    if typed.member is None:
        return Told(UNKNOWN_COLLEAGUE)
    inbound = Inbound(
        source_key=typed.key,
        asker_id=typed.member.id,
        text=without_chat_markup(typed.text),
        reply_channel=typed.channel,
        reply_thread=typed.reply_thread,
        received_at=deps.clock.now(),
        shared_channel=typed.shared_channel,
    )
    try:
        with deps.sessions() as session:
            result = deps.dispatcher.ask(session, inbound)
            session.commit()
            return Asked(result.question.id or 0, result.duplicate)
    except REFUSALS as refused:
        return Told(refusal_text(refused))
    except IntegrityError:
        log.info("a question was taken in by a concurrent delivery")
        return Repeated()


def answer(deps: Deps, typed: Typed, invitation_id: int) -> Outcome:
    """The message as the answer to an invitation (relayed to the asker by the core)."""
    with deps.sessions() as session:
        try:
            if typed.member is None:
                raise Unreadable(UNKNOWN_COLLEAGUE)
            if not typed.text.strip():
                raise Unreadable(EMPTY_ANSWER)
            invitation = session.get(Invitation, invitation_id)
            if invitation is None:
                raise DispatchError(Why.INVITATION_UNKNOWN)
            deps.dispatcher.answer(session, invitation, typed.member.id, typed.text, typed.key)
            session.commit()
        except REFUSALS as refused:
            session.rollback()
            return Told(refusal_text(refused))
        except IntegrityError:
            return Repeated()
    return Answered(invitation_id, invitation.question_id)
