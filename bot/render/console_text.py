"""The console's rendering of each message type: the Dutch text of bot/messages.py, unescaped,
with the commands that answer it (the console has no buttons and no threads).

Everything the console prints passes `console_plain` once (bot/console/sender.py and
`ConsoleChat.say`): Slack's mrkdwn (*vet*, <@U…>, <url|tekst>, &amp;) becomes plain text there,
in one place. Messages about a question or an invitation start with its number ("Vraag 4 · …"),
since the console has no thread to put them in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from bot.messages import (
    NO_MODULES,
    NO_OFFERS,
    Quote,
    accepted_text,
    card_text,
    closed_text,
    invitation_closed_text,
    invitation_text,
    list_text,
    module_line,
    near,
    next_wave_text,
    offer_line,
    plain_quote,
    preview_text,
    received_text,
    relay_text,
    released_text,
    reused_text,
    unanswered_text,
    voice_transcript_text,
)
from bot.render.profile import profile_text
from knowledge.dutch_calendar import WEEKDAYS
from models.clock import AMSTERDAM, as_utc
from models.messages import (
    AnswerRelayed,
    InvitationAccepted,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    Message,
    ProfileNudge,
    QuestionClosed,
    QuestionNextWave,
    QuestionPreview,
    QuestionReceived,
    QuestionReleased,
    QuestionReused,
    QuestionTaken,
    QuestionUnanswered,
    RegistrationCard,
    RegistrationList,
    Suggestions,
    VoiceTranscript,
)

M = TypeVar("M", bound=Message)

# -- plain text from Slack's mrkdwn --------------------------------------------------------------
_LINK = re.compile(r"<([^<>|#@!][^<>|]*)\|([^<>]*)>")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_CHANNEL = re.compile(r"<#[A-Z0-9]+\|([^<>]*)>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^<>]*)?>")
_BARE = re.compile(r"<((?:https?|mailto|tel):[^<>|]+)>")
# *vet*, _schuin_, ~doorgehaald~: only around words, so 3 * 4 and snake_case stay as they are
_STYLES = [
    re.compile(rf"(?<![\w{c}]){re.escape(c)}(?=\S)([^{c}\n]*?\S){re.escape(c)}(?![\w{c}])")
    for c in "*_~"
]


def console_plain(text: str, name_of: Callable[[str], str | None] | None = None) -> str:
    """Slack's mrkdwn as console text: *vet* → vet, <@U1> → @naam (or @collega),
    <url|tekst> → tekst (url), <#C1|kanaal> → #kanaal, <!here> → @here, &amp; → &."""
    text = _LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    text = _BARE.sub(lambda m: m.group(1).removeprefix("mailto:").removeprefix("tel:"), text)
    text = _MENTION.sub(
        lambda m: "@" + ((name_of(m.group(1)) if name_of else None) or "collega"), text
    )
    text = _CHANNEL.sub(lambda m: "#" + m.group(1), text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    for style in _STYLES:
        text = style.sub(r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(url: str, label: str) -> str:
    target = url.removeprefix("mailto:").removeprefix("tel:")
    return target if not label or label == target else f"{label} ({target})"


# -- words the console shows ----------------------------------------------------------------------
QUESTION_STATUS = {
    "concept": "nog niet verstuurd",
    "held": "wacht op je keuze",
    "open": "open",
    "taken": "opgepakt",
    "answered": "beantwoord",
    "closed": "gesloten",
    "unanswered": "onbeantwoord",
}
INVITATION_STATE = {
    "pending": "nieuw",
    "accepted": "opgepakt",
    "declined": "afgeslagen",
    "expired": "verlopen",
    "withdrawn": "door een ander opgepakt",
    "forwarded": "doorgestuurd",
    "closed": "gesloten",
}


def _word(value: object, words: dict[str, str]) -> str:
    key = str(getattr(value, "value", value))  # a plain string or a str enum
    return words.get(key, key)


def question_status(value: object) -> str:
    return _word(value, QUESTION_STATUS)


def invitation_state(value: object) -> str:
    return _word(value, INVITATION_STATE)


def local_time(moment: datetime) -> str:
    """ "dinsdag 14 januari 10:25" in Utrecht's time."""
    local = as_utc(moment).astimezone(AMSTERDAM)
    return f"{WEEKDAYS[local.weekday()]} {local.day}-{local.month} {local:%H:%M}"


# -- the renderers --------------------------------------------------------------------------------
def plain(text: Callable[[M, Quote], str]) -> Callable[[M], str]:
    """The console rendering of a message that is its text alone."""

    def render(message: M) -> str:
        return text(message, plain_quote)

    return render


def _about(question_id: int, text: str, noun: str = "Vraag") -> str:
    """The text with the number it is about in front (0: a message stored without one)."""
    return f"{noun} {question_id} · {text}" if question_id else text


def _replace_last_line(text: str, line: str) -> str:
    return text.rsplit("\n", 1)[0] + "\n" + line if "\n" in text else line


def preview(m: QuestionPreview) -> str:
    q = m.question_id
    return _about(
        q,
        _replace_last_line(
            preview_text(m, plain_quote),
            f"Klopt het? Typ /versturen {q}. Aanpassen: /wijzig {q} <nieuwe tekst>; "
            f"intrekken: /sluit {q}.",
        ),
    )


def received(m: QuestionReceived) -> str:
    text = received_text(m, plain_quote)
    q = m.question_id
    if m.earlier and m.hold_minutes is None:
        e = m.earlier[0].question_id
        text = _replace_last_line(
            text,
            f"Helpt dit al? Typ /helpt {q} {e}: dan sluit ik je vraag en hoeven je collega's "
            "niet meer te antwoorden.",
        )
    elif m.earlier:
        e = m.earlier[0].question_id
        minutes = round(float(m.hold_minutes or 0))
        text = _replace_last_line(
            text,
            f"Helpt dit? Typ /helpt {q} {e} om je vraag te sluiten. Zo niet, typ /doorsturen {q}; "
            f"zonder keuze stuur ik je vraag over {minutes} minuten zelf door naar collega's.",
        )
    return _about(q, text)


def released(m: QuestionReleased) -> str:
    return _about(m.question_id, released_text(m, plain_quote))


def reused(m: QuestionReused) -> str:
    return _about(m.question_id, reused_text(m, plain_quote))


def taken(m: QuestionTaken) -> str:
    return _about(m.question_id, f"{m.expert_name} pakt je vraag op. Het antwoord verschijnt hier.")


def next_wave(m: QuestionNextWave) -> str:
    return _about(m.question_id, next_wave_text(m, plain_quote))


def unanswered(m: QuestionUnanswered) -> str:
    return _about(m.question_id, unanswered_text(m, plain_quote))


def relay(m: AnswerRelayed) -> str:
    hint = f"\n  (/sluit {m.question_id} <1-5> om te sluiten met een cijfer)"
    return _about(m.question_id, relay_text(m, plain_quote)) + hint


def closed(m: QuestionClosed) -> str:
    return _about(m.question_id, closed_text(m, plain_quote))


def suggestions(m: Suggestions) -> str:
    """Offers and modules, each with the id that /nuttig takes."""
    if m.verdicts is not None:  # the redraw after a click
        return "Genoteerd, dank je."
    lines: list[str] = [m.title] if m.title else []
    if m.searched_offers:
        if m.offers:
            lines.append(f"Op de sociale kaart{near(m)}:")
            lines += [f"• [{o.id}] " + offer_line(o).replace("\n", "\n  ") for o in m.offers]
        else:
            lines.append(NO_OFFERS)
    if m.searched_modules:
        if m.modules:
            lines.append("Uit de Buurtacademie:")
            lines += [f"• [{o.id}] " + module_line(o).replace("\n", "\n  ") for o in m.modules]
        else:
            lines.append(NO_MODULES)
    ids = [o.id for o in m.offers] + [o.id for o in m.modules]
    if ids:
        lines.append(f"  (/nuttig {ids[0]} of /niet-nuttig {ids[0]}: het id staat tussen [ ])")
    return "\n".join(lines)


def invitation(m: InvitationMessage) -> str:
    n = m.invitation_id
    hint = f"\n  (/pak {n}, /niet {n}, /stuur {n} <collega>, /antwoord {n} <tekst>)"
    return _about(n, invitation_text(m, plain_quote), "Uitnodiging") + hint


def accepted(m: InvitationAccepted) -> str:
    text = _replace_last_line(
        accepted_text(m, plain_quote),
        f"Stuur je antwoord met /antwoord {m.invitation_id} <tekst>; ik stuur het door.",
    )
    return _about(m.invitation_id, text, "Uitnodiging")


def invitation_closed(m: InvitationClosed) -> str:
    return _about(m.invitation_id, invitation_closed_text(m, plain_quote), "Uitnodiging")


def reminder(m: InvitationReminder) -> str:
    n = m.invitation_id
    answer = f"/antwoord {n} <tekst>" if n else "/antwoord <nummer> <tekst>"
    text = (
        "Herinnering: je hebt deze vraag opgepakt, maar de vrager heeft nog geen antwoord:\n"
        + plain_quote(m.question_text)
        + f"\nStuur je antwoord met {answer}; lukt het niet, laat het de vrager dan even weten."
    )
    return _about(n, text, "Uitnodiging")


def profile_nudge(m: ProfileNudge) -> str:
    return _replace_last_line(
        profile_text(m),
        "Klopt het, typ dan /expertise klopt; anders pas je het aan (/expertise hulp).",
    )


_CARD_HEADINGS = {
    "pending": "Klopt dit? Typ /opslaan om het vast te leggen, /aanpassen <tekst> of /annuleren.",
    "saved": "✅ Opgeslagen. Verkeerd? /ongedaan kan tot 15 minuten na opslaan.",
}


def registration_card(m: RegistrationCard) -> str:
    text = card_text(m, plain_quote)
    heading = _CARD_HEADINGS.get(m.state)
    if heading:
        text = heading + text[text.index("\n") :] if "\n" in text else heading
    if m.state == "saved" and m.invite and not m.invitation:
        text += "\n  (/uitnodigen email <adres>, /uitnodigen sms <nummer> of /uitnodigen link)"
    return text


def registration_list(m: RegistrationList) -> str:
    lines = list_text(m, plain_quote).split("\n")
    if not m.items:
        return lines[0]
    items = [f"• [{item.event_id}] {item.summary}" for item in m.items]
    return "\n".join([lines[0], *items, "  (/corrigeer ID <tekst> vervangt er een)"])


def voice_transcript(m: VoiceTranscript) -> str:
    text = voice_transcript_text(m, plain_quote)
    if m.state == "pending":
        text += "\n  (/spraak versturen, /spraak aanpassen <tekst> of /spraak annuleren)"
    return text
