"""The console's rendering of each message type: the Dutch text of bot/messages.py, unescaped,
with the commands that answer it (the console has no buttons)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bot.messages import (
    Quote,
    card_text,
    invitation_text,
    list_text,
    plain_quote,
    preview_text,
    received_text,
    relay_text,
    suggestions_text,
)
from models.messages import (
    AnswerRelayed,
    InvitationMessage,
    Message,
    QuestionPreview,
    QuestionReceived,
    RegistrationCard,
    RegistrationList,
    Suggestions,
)

M = TypeVar("M", bound=Message)


def plain(text: Callable[[M, Quote], str]) -> Callable[[M], str]:
    """The console rendering of a message that is its text alone."""

    def render(message: M) -> str:
        return text(message, plain_quote)

    return render


def preview(m: QuestionPreview) -> str:
    q = m.question_id
    hint = f"\n  (/versturen {q}, /wijzig {q} <nieuwe tekst>, of /sluit {q}: intrekken)"
    return preview_text(m, plain_quote) + hint


def received(m: QuestionReceived) -> str:
    text = received_text(m, plain_quote)
    if m.earlier:
        q, e = m.question_id, m.earlier[0].question_id
        text += f"\n  (/helpt {q} {e} om te sluiten, /doorsturen {q} om door te sturen)"
    return text


def invitation(m: InvitationMessage) -> str:
    n = m.invitation_id
    hint = f"\n  (/pak {n}, /niet {n}, /stuur {n} <collega>, /antwoord {n} <tekst>)"
    return invitation_text(m, plain_quote) + hint


def relay(m: AnswerRelayed) -> str:
    hint = f"\n  (/sluit {m.question_id} <1-5> om te sluiten met een cijfer)"
    return relay_text(m, plain_quote) + hint


def suggestions(m: Suggestions) -> str:
    if m.verdicts is not None:  # the redraw after a click
        return "Genoteerd, dank je."
    first = ([o.id for o in m.offers] + [o.id for o in m.modules] or ["o001"])[0]
    hint = f"\n  (/nuttig ID of /niet-nuttig ID, bijv. /nuttig {first})"
    return suggestions_text(m, plain_quote) + hint


def registration_card(m: RegistrationCard) -> str:
    text = card_text(m, plain_quote)
    if m.state == "pending":
        text += "\n  (/opslaan, /aanpassen <tekst> of /annuleren)"
    elif m.state == "saved":
        text += "\n  (/ongedaan om ongedaan te maken)"
        if m.invite and not m.invitation:
            text += "\n  (/uitnodigen email <adres>, /uitnodigen sms <nummer> of /uitnodigen link)"
    return text


def registration_list(m: RegistrationList) -> str:
    return list_text(m, plain_quote) + "".join(f"\n  (id {item.event_id})" for item in m.items)
