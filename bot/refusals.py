"""The Dutch wording of every refusal, in one place: the domain's codes (models/errors.py) and
bot/'s own refusals of input it cannot read (a usage line, an unknown colleague).

Slack, the console and the CLI all word a refusal with `refusal_text`, so the same refusal
reads the same everywhere. This module refuses to import while a code has no wording.
"""

from __future__ import annotations

from bot.messages import UNKNOWN_COLLEAGUE
from models.errors import DomainError, Why

WORDINGS: dict[Why, str] = {
    Why.QUESTION_UNKNOWN: "Deze vraag bestaat niet (meer).",
    Why.ONLY_ASKER_SENDS: "Alleen wie de vraag stelde kan hem versturen.",
    Why.ONLY_ASKER_EDITS: "Alleen wie de vraag stelde kan hem aanpassen.",
    Why.ONLY_ASKER_CHOOSES: "Alleen wie de vraag stelde kan dit kiezen.",
    Why.ONLY_ASKER_CLOSES: "Alleen wie de vraag stelde kan hem sluiten.",
    Why.ALREADY_SENT: "Deze vraag is al verstuurd of ingetrokken.",
    Why.ALREADY_WITH_COLLEAGUES: (
        "Je vraag is al doorgestuurd naar collega's. Sluit hem met 'Vraag intrekken' "
        "als je geen antwoord meer nodig hebt."
    ),
    Why.CLOSED_BY_ASKER: "De vrager heeft deze vraag al gesloten.",
    Why.RATING_RANGE: "Geef een cijfer van 1 tot en met 5.",
    Why.INVITATION_UNKNOWN: "Deze uitnodiging bestaat niet (meer).",
    Why.INVITATION_NOT_YOURS: "Deze uitnodiging is voor een collega, niet voor jou.",
    Why.TAKEN_BY: "Deze vraag is al opgepakt door {taker}.",
    Why.ALREADY_HANDLED: "Deze vraag is al afgehandeld.",
    Why.ALREADY_RESPONDED: "Je hebt op deze uitnodiging al gereageerd.",
    Why.NOT_ASSIGNED: "Deze vraag is niet (meer) aan jou toegewezen.",
    Why.ONLY_INVITED_ANSWERS: "Alleen de uitgenodigde collega kan hier antwoorden.",
    Why.FORWARD_TOO_LATE: "Deze vraag is al opgepakt of gesloten; doorsturen kan niet meer.",
    Why.FORWARD_UNKNOWN_COLLEAGUE: "Die collega ken ik niet in Vraagbaak.",
    Why.FORWARD_SELF_OR_ASKER: "Stuur de vraag door naar iemand anders dan jezelf of de vrager.",
    # One wording for every colleague a question cannot go to (the asker, the forwarder,
    # anyone already invited), so the answer never tells an expert which colleague asked.
    Why.FORWARD_NOT_TO_THEM: (
        "Naar deze collega kan ik de vraag niet doorsturen. Kies een andere collega."
    ),
    Why.FORWARD_NOT_PENDING: (
        "Je hebt op deze uitnodiging al gereageerd. Doorsturen kan alleen zolang de "
        "uitnodiging nog openstaat."
    ),
    Why.ALREADY_INVITED: "{name} is al uitgenodigd voor deze vraag.",
    Why.EMPTY_QUESTION: "Je bericht is leeg. Typ je vraag in gewone woorden.",
    Why.QUESTION_TOO_LONG: (
        "Je vraag is te lang ({length} tekens; maximaal {maximum}). "
        "Vat hem samen in een paar zinnen: experts lezen op hun telefoon."
    ),
    Why.NO_QUESTION: (
        "Ik zie geen vraag in je bericht. Beschrijf in een paar woorden waar je hulp "
        "bij zoekt, bijvoorbeeld: 'Wie weet hoe beschermingsbewind werkt?'"
    ),
    Why.ANONYMOUS_LIMIT: (
        "Je hebt vandaag al {asked} anonieme vragen gesteld; meer dan {per_day} "
        "per dag kan niet. Stel je vraag zonder 'anoniem', of stel hem morgen anoniem."
    ),
    Why.REVEAL_COORDINATORS_ONLY: (
        "Alleen een coördinator kan opvragen wie een anonieme vraag stelde."
    ),
    Why.REVEAL_NEEDS_REASON: (
        "Schrijf erbij waarom je dit wilt weten, bijvoorbeeld: "
        "/onthul 12 zorgen over de veiligheid van een kind. De reden wordt vastgelegd."
    ),
    Why.REVEAL_NOT_ALLOWED: (
        "Vraag {question_id} kan ik niet voor je opzoeken. Je kunt alleen opvragen wie een "
        "anonieme vraag van je eigen team stelde."
    ),
    Why.REVEAL_GONE: "Dit is al eerder opgevraagd; het antwoord is niet meer bewaard.",
    Why.SUGGESTION_UNKNOWN: "Deze suggestie ken ik niet (meer).",
    Why.LEARNED_TOPIC_UNKNOWN: "Dit hoort niet (meer) bij jouw profiel.",
    Why.PROFILE_NOT_AN_EXPERT: "Je staat (nog) niet als deskundige in Vraagbaak.",
    Why.PROFILE_MISSING: "Je hebt nog geen profiel in Vraagbaak.",
    Why.DIGEST_UNKNOWN_TEAM: "Ik ken geen team {team}.",
    Why.DIGEST_NO_CHANNEL: "Team {team} heeft geen kanaal voor het weekoverzicht.",
    Why.UNKNOWN_TIMEZONE: "Onbekende tijdzone: {timezone}.",
    Why.NOT_A_DAY: '"{text}" is geen dag. Kies bijvoorbeeld maandag of dinsdag.',
    Why.NOT_A_TIME: '"{text}" is geen tijd. Schrijf de tijd zo: 09:00.',
    Why.NO_SUCH_WEEK: "Week {week} bestaat niet in {year}.",
    Why.UNKNOWN_PERIOD: 'Die periode ken ik niet: "{text}". Probeer {examples}.',
    Why.UNKNOWN_COLLEAGUE: UNKNOWN_COLLEAGUE,
    Why.CARD_UNKNOWN: "Deze registratie ken ik niet (meer). Stuur hem opnieuw.",
    Why.CARD_NOT_YOURS: "Alleen wie de registratie stuurde kan hem opslaan of wijzigen.",
    Why.FIX_NOT_OFFERED: "Die keuze hoort niet bij deze registratie. Kies opnieuw of tik op "
    "Aanpassen.",
    Why.CARD_UNREADABLE: "Dit kan ik niet opslaan: {detail}.",
    # Registration refusals are worded where they are found (casework/registration/refusals.py
    # builds the card's explanation and its suggestion together); they arrive here whole.
    Why.REGISTRATION_REFUSED: "{text}",
    Why.SAVE_CLOSURE_FIRST: (
        "Sla de afsluiting eerst op; daarna kies je hoe de cliënt uitgenodigd wordt."
    ),
    Why.NO_FEEDBACK_FOR_KIND: "Bij deze registratie hoort geen Ervaringwijzer-uitnodiging.",
    Why.ALREADY_SAVED: "Deze registratie is al opgeslagen; gebruik 'Ongedaan maken'.",
    Why.NOTHING_TO_UNDO: "Er is nog niets opgeslagen om ongedaan te maken.",
    Why.ONLY_OWN_EVENTS: "Je kunt alleen je eigen registraties wijzigen.",
    Why.EVENT_UNKNOWN: "Deze registratie ken ik niet (meer).",
    Why.RETRACT_WINDOW: (
        "Dat lukt niet: intrekken kan alleen binnen {minutes} minuten na registratie."
    ),
    Why.ERASE_NEEDS_CASE: "Geef het casusnummer van de casus die gewist moet worden.",
    Why.ERASE_UNKNOWN_MEMBER: "Onbekende collega '{member}'.",
    Why.ERASE_ALREADY_PSEUDONYM: "'{member}' is al een pseudoniem van een gewiste collega.",
}
if _MISSING := set(Why) - set(WORDINGS):
    raise TypeError(f"refusals without a wording in bot/refusals.py: {sorted(_MISSING)}")


class Unreadable(Exception):
    """Input bot/ itself cannot use (a usage line, an unknown colleague, a button it no longer
    knows); `text` is the Dutch reply. Domain refusals are `DomainError`s instead."""

    def __init__(self, text: str) -> None:
        super().__init__("unreadable input")  # never the text: it may quote the user
        self.text = text


REFUSALS = (DomainError, Unreadable)  # what a listener answers politely instead of failing


def wording(why: Why, **params: object) -> str:
    """The Dutch sentence for a code, with its parameters."""
    return WORDINGS[why].format(**params)


def refusal_text(error: DomainError | Unreadable) -> str:
    """What the person is told."""
    if isinstance(error, Unreadable):
        return error.text
    return wording(error.why, **error.params)
