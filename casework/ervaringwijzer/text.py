"""Every Dutch word of the Ervaringwijzer, in one place: the questions, the e-mail and SMS, and
the chat texts the Slack and console renderers show (they call these functions; the wording
is not repeated in bot/messages.py).

Written at B1 level, in "je" form as the buurtteams' own website does. The client never sees
a name, team or case number: an invitation may reach a shared mailbox or phone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Final

from knowledge.dutch_calendar import MONTHS
from models.clock import AMSTERDAM

# The seeds' three Ervaringwijzer items (jaarverslag 2023), then the grade and the remarks.
QUESTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("welkom", "Voelde je je welkom bij het buurtteam?"),
    ("samen", "Zocht je buurtteammedewerker samen met jou naar een oplossing?"),
    ("inzet", "Heeft je buurtteammedewerker zich goed voor jou ingezet?"),
)
ANSWERS: Final[tuple[tuple[str, str], ...]] = (
    ("ja", "Ja"),
    ("een_beetje", "Een beetje"),
    ("nee", "Nee"),
)
POSITIVE: Final = "ja"
GRADE_QUESTION: Final = "Welk rapportcijfer geef je het buurtteam?"
GRADE_HINT: Final = "1 is heel slecht. 10 is heel goed."
REMARKS_QUESTION: Final = "Wil je nog iets zeggen over het buurtteam?"
REMARKS_HINT: Final = (
    "Dit mag je leeg laten. Je buurtteam leest wat je schrijft, zonder je naam. "
    "Schrijf daarom geen namen, adressen of telefoonnummers op."
)
REMARKS_MAX: Final = 2000

TOO_LARGE_TITLE: Final = "Te veel tekst"
TOO_LARGE: Final = (
    "Wat je verstuurde is te lang. Ga terug, maak je opmerking korter en verstuur het opnieuw."
)

CHANNEL_LABELS: Final[tuple[tuple[str, str], ...]] = (
    ("email", "Per e-mail"),
    ("sms", "Per sms"),
    ("link", "Ik deel zelf een link (WhatsApp of QR-code)"),
)
SIGNATURE: Final = "Met vriendelijke groet,\nJe buurtteam"


def _day(moment: datetime) -> str:
    local = moment.astimezone(AMSTERDAM)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


# --- to the client -----------------------------------------------------------------------------


def mail_subject(*, reminder: bool) -> str:
    subject = "Wat vond je van het buurtteam?"
    return f"Herinnering: {subject[0].lower()}{subject[1:]}" if reminder else subject


def mail_text(*, url: str, opt_out_url: str, expires_at: datetime, reminder: bool) -> str:
    """The plain-text e-mail: short sentences, the link on its own line, the opt-out last."""
    opening = (
        "Een week geleden vroegen we je wat je van het buurtteam vond. "
        "Misschien had je nog geen tijd. Je kunt de vragen nog steeds invullen."
        if reminder
        else "Je had contact met het buurtteam. We willen graag weten wat je daarvan vond. "
        "Zo kunnen we ons werk beter doen."
    )
    return (
        f"Hallo,\n\n{opening}\n\n"
        "Het zijn 5 korte vragen. Invullen duurt ongeveer 2 minuten. "
        "Je hoeft je naam niet te geven.\n\n"
        f"Vul de vragen hier in:\n{url}\n\n"
        f"Deze link werkt tot en met {_day(expires_at)}.\n\n"
        f"{SIGNATURE}\n\n"
        "Wil je hierover geen berichten meer krijgen? Meld je hier af:\n"
        f"{opt_out_url}\n"
    )


def sms_text(*, url: str, opt_out_url: str, reminder: bool) -> str:
    first = "Herinnering: je" if reminder else "Je"
    return (
        f"{first} buurtteam wil graag weten wat je van de hulp vond. "
        f"5 korte vragen: {url} Geen berichten meer? {opt_out_url}"
    )


# --- to the generalist, in the chat --------------------------------------------------------------

CARD_QUESTION: Final = "Hoe wil de cliënt uitgenodigd worden voor de Ervaringwijzer?"
CARD_HINT: Final = (
    "De uitnodiging gaat later pas weg: alleen als de casus dan nog gesloten is. Het "
    "e-mailadres of telefoonnummer bewaren we tot de laatste herinnering weg is."
)
CONTACT_LABEL: Final[Mapping[str, str]] = {
    "email": "E-mailadres van de cliënt",
    "sms": "Mobiel nummer van de cliënt",
}


def card_question(case_ref: str) -> str:
    """The question on the closure card; the buttons are CHANNEL_LABELS."""
    return f"Casus {case_ref} is afgesloten. {CARD_QUESTION}\n{CARD_HINT}"


def planned_text(*, channel: str, send_at: datetime) -> str:
    when = _day(send_at)
    if channel == "link":
        return f"Goed. Op {when} krijg je hier een link en een QR-code om met de cliënt te delen."
    how = "e-mail" if channel == "email" else "sms"
    return f"Goed. De cliënt krijgt op {when} een uitnodiging per {how}."


def link_text(*, case_ref: str, url: str, expires_on: date) -> str:
    """The message `SurveyLink` (DM to the generalist who asked for a link); Slack uploads its
    QR code with this text as the comment."""
    return (
        f"De Ervaringwijzer voor casus {case_ref} staat klaar. Deel deze link met "
        "de cliënt, bijvoorbeeld via WhatsApp, of laat de QR-code op je telefoon scannen:\n"
        f"{url}\n"
        f"De link werkt één keer en tot en met {_date_text(expires_on)}. "
        "Vul de vragen niet zelf in."
    )


def remark_text(*, remark: str, grade: int | None) -> str:
    """The message `SurveyRemark` (to the team channel): the de-identified remark, with no case
    number and no date, so it does not lead back to the client."""
    with_grade = f" (rapportcijfer {grade})" if grade is not None else ""
    quoted = "\n".join(f"> {line}" for line in remark.splitlines() or [""])
    return f"Een cliënt schreef in de Ervaringwijzer{with_grade}:\n{quoted}"


def _date_text(day: date) -> str:
    return _day(datetime(day.year, day.month, day.day, 12, tzinfo=AMSTERDAM))
