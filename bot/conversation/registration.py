"""Registrations typed as text: whether a message is one, the card it gets, the day's list.

The desk (casework/registration/desk.py) decides what a card holds and what is saved; this
module decides which messages go to it. A message that reads like a registration is never
sent to experts without asking: when it is not understood, the sender is told so and how to
ask it as a question instead (`/vraag`). Only a message the parser itself reads as a question
("casus 12 afgesloten, hoe doe ik dat?") goes on to the colleagues.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from bot.refusals import Unreadable
from bot.wiring import Deps
from bot.workers.ervaringwijzer import feedback_policy
from casework.ervaringwijzer.invitations import FeedbackPolicy
from casework.registration import Refusal
from casework.registration.desk import Proposal
from casework.registration.model import RefusalCode
from models.messages import Address, RegistrationList
from models.outbox import enqueue
from models.tables import Member

HELP = (
    "Registreer in één bericht, bijvoorbeeld `/registreer aanmelding Zuilen, zelfmelder` of "
    "`/registreer casus 4711 afgesloten, doel bereikt`. Ik laat eerst zien wat ik begrepen heb; "
    "pas na *Opslaan* wordt het vastgelegd. `/registreer` zonder tekst opent een formulier, "
    "`/registreer vandaag` toont je registraties van vandaag. Nooit namen, alleen casusnummers."
)
ASK_INSTEAD = (
    "Bedoelde je een vraag aan collega's? Stuur hem dan met `/vraag` ervoor, "
    "bijvoorbeeld: /vraag hoe sluit ik een casus af met een verhuizing?"
)
TODAY_WORDS = frozenset({"vandaag", "lijst", "mijn registraties"})
_CASE_START = re.compile(r"^\s*(casus|dossier|cs)\s*[#:]?\s*\d", re.IGNORECASE)
_EXPLICIT = re.compile(r"^\s*(registreer|registratie|reg)\b[:\s]*", re.IGNORECASE)
_WORD = re.compile(r"[a-zà-ÿ0-9]+")
_CASE_NUMBER = re.compile(r"(?<![\d-])(?:\d{2}-\d{3,6}|\d{3,8})(?![\d-])")


def looks_like_registration(deps: Deps, text: str) -> tuple[bool, str]:
    """(looks like a registration, the text without an explicit "registreer:")."""
    explicit = _EXPLICIT.match(text)
    if explicit:
        return True, text[explicit.end() :]
    if _CASE_START.match(text):
        return True, text
    words = _WORD.findall(text.lower())[:3]
    if not words or "?" in text:
        return False, text
    vocabulary = deps.registrations.parser.vocabulary
    opening = {kind.phrase.split()[0] for kind in vocabulary.kinds.values()}
    if words[0] in opening:
        return True, text
    # Any other word a kind is said with ("afgesloten", "intake", "dicht") opens a
    # registration only with a case number in the message: "intake bij de GGZ duurt lang"
    # stays a question.
    kind_words = {
        phrase[0]
        for phrase, readings in vocabulary.phrases.items()
        if any(reading.category == "kind" for reading in readings)
    }
    return words[0] in kind_words and bool(_CASE_NUMBER.search(text)), text


def propose(
    deps: Deps,
    session: Session,
    member: Member,
    text: str,
    *,
    key: str,
    channel: str,
    thread: str | None = None,
    replaces: int | None = None,
    update_of: str | None = None,
) -> Proposal | Refusal:
    """A card for `text` (an outbox row keyed by `key`), or the refusal; the caller commits."""
    return deps.registrations.propose(
        session,
        member=member,
        text=text,
        sent_at=deps.clock.now(),
        key=key,
        channel=channel,
        thread=thread,
        replaces=replaces,
        update_of=update_of,
    )


def as_registration(
    deps: Deps,
    session: Session,
    member: Member,
    text: str,
    *,
    key: str,
    channel: str,
    thread: str | None,
) -> Proposal | str | None:
    """A message that reads like a registration gets a card (a Proposal) or a Dutch reply
    (a refusal, and for a message not understood how to ask it instead); None lets it go on
    as a question. A refused registration is never routed: "aanmelding Zuilen, mevrouw
    Jansen" must not reach an expert either."""
    looks, body = looks_like_registration(deps, text)
    if not looks:
        return None
    outcome = propose(deps, session, member, body, key=key, channel=channel, thread=thread)
    if not isinstance(outcome, Refusal):
        return outcome
    explicit = _EXPLICIT.match(text) is not None
    if outcome.code == RefusalCode.QUESTION and not explicit:
        return None  # the parser reads it as a question: colleagues answer those
    if outcome.code == RefusalCode.NOT_UNDERSTOOD and not explicit:
        return f"{outcome.text_nl()}\n{ASK_INSTEAD}"
    return outcome.text_nl()


def list_today(deps: Deps, session: Session, member: Member, *, key: str) -> None:
    """The sender's registrations of today, as a message with undo buttons (caller commits)."""
    now = deps.clock.now()
    items = deps.registrations.today(session, member.id, now)
    enqueue(
        session,
        key=f"registrations:{key}",
        message=RegistrationList(to=Address.member(member.id), items=tuple(items)),
        now=now,
    )


def feedback(deps: Deps) -> FeedbackPolicy:
    """The Ervaringwijzer's policy, or a Dutch refusal while it is not configured."""
    try:
        return feedback_policy(deps.settings)
    except RuntimeError as error:
        raise Unreadable(
            "De Ervaringwijzer staat nog niet aan in Vraagbaak; vraag je beheerder."
        ) from error
