"""The Dutch wording of every message, shared by the Slack and console renderers.

One function per message type (models/messages/) gives its text; bot/render/rendering.py pairs
each type with its Slack rendering (this text, escaped, plus Block Kit: bot/render/blocks.py) and
its console rendering (this text plus the commands to type: bot/render/console_text.py). `quote`
renders (and for Slack escapes) text a person wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from casework.ervaringwijzer.text import card_question, link_text, remark_text
from knowledge.privacy import removed_phrase
from knowledge.taxonomy import name_for
from models.messages import (
    AnswerRated,
    AnswerRelayed,
    EarlierAnswer,
    InvitationAccepted,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    Notice,
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
    RevealAnswer,
    RevealTold,
    SuggestedModule,
    SuggestedOffer,
    Suggestions,
    SurveyLink,
    SurveyRemark,
    UrgentAdvice,
    VoiceTranscript,
)

UNKNOWN_COLLEAGUE = (
    "Ik ken je nog niet als collega in Vraagbaak. Vraag je teamcoach om je toe te voegen."
)
LISTENER_FAILED = (
    "Sorry, er ging bij mij iets mis. Probeer het over een paar minuten opnieuw; lukt het dan "
    "nog niet, laat het je teamcoach weten."
)
DIGEST_COORDINATOR_ONLY = (
    "Alleen een coördinator kan het weekoverzicht van het team instellen. "
    "Vraag de coördinator van je team om het te doen."
)
DIGEST_OWN_TEAM_ONLY = (
    "Je kunt alleen het weekoverzicht van je eigen team ({team}) instellen. "
    "Laat het team weg of vraag de coördinator van dat team."
)

Quote = Callable[[str], str]


def plain_quote(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines() or [""])


def _names(names: tuple[str, ...]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _areas(slugs: tuple[str, ...]) -> str:
    return ", ".join(name_for(s) for s in slugs) or "algemeen"


def _urgent(urgent: tuple[UrgentAdvice, ...]) -> list[str]:
    return [f"🚨 {u.label}. {u.advice}" for u in urgent]


# -- to the asker ----------------------------------------------------------------------------------
def preview_text(m: QuestionPreview, quote: Quote) -> str:
    lines = _urgent(m.urgent)
    lines.append("Zo zien collega's je vraag. Nog niemand heeft hem gezien:")
    lines.append(quote(m.redacted_text))
    if m.removed:
        lines.append(f"Ik heb eruit gehaald: {removed_phrase(m.removed)}.")
    if m.doubtful:
        words = ", ".join(f"'{w}'" for w in m.doubtful)
        lines.append(
            f"Kijk nog even naar {words}: maakt dat iemand herkenbaar? Pas je vraag dan aan."
        )
    lines.append("Klopt het? Kies Versturen, of Aanpassen om hem te veranderen.")
    return "\n".join(lines)


def _earlier_answers(
    earlier: tuple[EarlierAnswer, ...], hold_minutes: float | None, quote: Quote
) -> list[str]:
    lines = [
        "Deze eerdere vraag lijkt sterk op de jouwe:"
        if len(earlier) == 1
        else "Deze eerdere vragen lijken sterk op de jouwe:"
    ]
    for item in earlier:
        lines.append(quote(item.question_text))
        lines.append(
            f"Antwoord van {item.expert_name} ({_date(item.answered_on)}, "
            f"cijfer {item.rating} van 5):"
        )
        lines.append(quote(item.answer_text))
    if hold_minutes is None:  # the colleagues are asked already
        lines.append(
            "Helpt dit al? Kies dan 'Dit helpt, vraag sluiten': dan hoeven je collega's niet "
            "meer te antwoorden."
        )
        return lines
    minutes = round(float(hold_minutes))
    lines.append(
        "Helpt dit? Kies dan 'Dit helpt, niet doorsturen'. Zo niet, kies 'Toch doorsturen'; "
        f"zonder keuze stuur ik je vraag over {minutes} minuten zelf door naar collega's."
    )
    return lines


def received_text(m: QuestionReceived, quote: Quote) -> str:
    lines = _urgent(m.urgent)
    if m.removed:
        lines.append(
            f"Ik heb {removed_phrase(m.removed)} uit je vraag gehaald voordat "
            "collega's hem zien. Zo zien zij hem:"
        )
        lines.append(quote(m.redacted_text))
    if m.invited:
        lines.append(
            f"Je vraag ({_areas(m.leefgebieden)}) is voorgelegd aan "
            f"{_names(m.invited)}. Je hoort het hier zodra iemand hem oppakt."
        )
    elif not m.earlier:
        lines.append("Ik heb je vraag ontvangen.")
    if m.earlier:
        lines.extend(_earlier_answers(m.earlier, m.hold_minutes, quote))
    return "\n".join(lines)


def released_text(m: QuestionReleased, quote: Quote) -> str:
    return (
        f"Ik heb je vraag nu voorgelegd aan {_names(m.invited)}. "
        "Je hoort het hier zodra iemand hem oppakt."
    )


def reused_text(m: QuestionReused, quote: Quote) -> str:
    if m.withdrawn:
        return (
            "Fijn dat het eerdere antwoord je helpt. Ik heb je vraag gesloten en de collega's "
            "laten weten dat hij niet meer open staat."
        )
    return (
        "Fijn dat het eerdere antwoord je helpt. Ik heb je vraag gesloten; er is geen "
        "collega voor gestoord."
    )


def taken_text(m: QuestionTaken, quote: Quote) -> str:
    return f"{m.expert_name} pakt je vraag op. Het antwoord verschijnt in deze thread."


def next_wave_text(m: QuestionNextWave, quote: Quote) -> str:
    return (
        "Nog niemand heeft je vraag opgepakt. Ik heb hem nu ook voorgelegd aan "
        f"{_names(m.invited)}."
    )


def unanswered_text(m: QuestionUnanswered, quote: Quote) -> str:
    if m.reason == "no_experts":
        text = (
            "Ik heb geen collega gevonden met expertise die bij je vraag past. "
            "Probeer hem in andere woorden, of leg hem voor in je teamoverleg."
        )
    else:
        text = (
            "Het spijt me: niemand heeft je vraag kunnen oppakken, ook niet na "
            f"{m.waves} rondes. Leg hem voor in je teamoverleg of bij je "
            "teamcoach; je kunt hem ook opnieuw stellen met meer details."
        )
    return "\n".join([*_urgent(m.urgent), text])  # acute danger: the numbers come first


def relay_text(m: AnswerRelayed, quote: Quote) -> str:
    return f"Antwoord van {m.expert_name}:\n" + quote(m.text)


def closed_text(m: QuestionClosed, quote: Quote) -> str:
    return (
        "Je vraag is gesloten. Dank je voor je beoordeling!" if m.rated else "Je vraag is gesloten."
    )


# -- suggestions -----------------------------------------------------------------------------------
def offer_line(offer: SuggestedOffer) -> str:
    """One offer as a generalist needs it on the road: what, who, where, how to reach them."""
    where = "hele stad" if offer.wijk == "Stad" else offer.wijk
    parts = [f"{offer.name} — {offer.organisation or 'onbekende organisatie'}"]
    details = [where, offer.address, offer.phone, offer.email, offer.cost]
    parts.append(" · ".join(d for d in details if d))
    if offer.url:
        parts.append(offer.url)
    return "\n".join(p for p in parts if p)


def module_line(module: SuggestedModule) -> str:
    line = f"{module.title} ({module.format})"
    return f"{line}\n{module.url}" if module.url else line


NO_OFFERS = "Op de sociale kaart vond ik niets dat goed genoeg bij je vraag past."
NO_MODULES = "In de Buurtacademie vond ik geen module die goed genoeg past."


def near(m: Suggestions) -> str:
    """Where was searched: the offers themselves may lie in a neighbouring wijk or serve the
    whole city, and each says where it is."""
    return f" (gezocht rond {m.area})" if m.area else ""


def missing_lines(m: Suggestions) -> list[str]:
    """What was searched and not found (Slack shows these below the items it did find)."""
    lines = []
    if m.searched_offers and not m.offers:
        lines.append(NO_OFFERS)
    if m.searched_modules and not m.modules:
        lines.append(NO_MODULES)
    return lines


def suggestion_lines(m: Suggestions) -> list[str]:
    """Offers and modules as plain text (the console; Slack adds buttons per item)."""
    lines: list[str] = []
    if m.title:
        lines.append(m.title)
    if m.searched_offers:
        if m.offers:
            lines.append(f"Op de sociale kaart{near(m)}:")
            lines.extend("• " + offer_line(o).replace("\n", "\n  ") for o in m.offers)
        else:
            lines.append(NO_OFFERS)
    if m.searched_modules:
        if m.modules:
            lines.append("Uit de Buurtacademie:")
            lines.extend("• " + module_line(o).replace("\n", "\n  ") for o in m.modules)
        else:
            lines.append(NO_MODULES)
    return lines


def suggestions_text(m: Suggestions, quote: Quote) -> str:
    return "\n".join(suggestion_lines(m))


# -- registrations ---------------------------------------------------------------------------------
_CARD_HEADINGS = {
    "pending": "Klopt dit? Kies *Opslaan* om het vast te leggen, of *Aanpassen*.",
    "saved": "✅ Opgeslagen. Verkeerd? *Ongedaan maken* kan tot 15 minuten na opslaan.",
    "cancelled": "Geannuleerd: er is niets opgeslagen.",
    "undone": "↩️ Ongedaan gemaakt: deze registratie telt niet mee.",
}


def registration_lines(m: RegistrationCard) -> list[str]:
    """The confirmation card: what was understood, and what happens next."""
    lines = [_CARD_HEADINGS.get(m.state, "")]
    if m.state == "cancelled":
        return lines
    lines.extend(m.lines)
    if m.new_case_ref:
        lines.append(f"Nieuw casusnummer: {m.case_ref} (je gaf er geen op)")
    if m.replaces and m.state == "pending":
        lines.append("Bij opslaan vervangt dit je eerdere registratie.")
    if m.state == "saved" and m.invitation:
        lines.append(m.invitation)
    elif m.state == "saved" and m.invite:
        lines.append(card_question(m.case_ref))
    return lines


def card_text(m: RegistrationCard, quote: Quote) -> str:
    return "\n".join(registration_lines(m))


LIST_HEADING = "Je registraties van vandaag:"


def list_text(m: RegistrationList, quote: Quote) -> str:
    if not m.items:
        return "Je hebt vandaag nog niets geregistreerd."
    return LIST_HEADING + "\n" + "\n".join(f"• {item.summary}" for item in m.items)


# -- to the expert ---------------------------------------------------------------------------------
PARTNER_REASONS = {
    "asked": "Je krijgt deze vraag als partnerorganisatie: de vrager vroeg om een externe "
    "deskundige.",
    "no_colleague_fits": "Je krijgt deze vraag als partnerorganisatie: geen collega van de "
    "buurtteams past er goed genoeg bij.",
}


def invitation_text(m: InvitationMessage, quote: Quote) -> str:
    via = f" (doorgestuurd door {m.forwarded_by})" if m.forwarded_by else ""
    urgent = "".join(f"🚨 Spoed: {label}.\n" for label in m.urgent)
    why = f"\n{PARTNER_REASONS[m.partner_reason]}" if m.partner_reason in PARTNER_REASONS else ""
    return (
        urgent
        + (
            f"Vraag van {m.asker_name} ({m.asker_team or 'onbekend team'}){via} "
            f"over {_areas(m.leefgebieden)}:\n" + quote(m.question_text)
        )
        + why
    )


def accepted_text(m: InvitationAccepted, quote: Quote) -> str:
    return (
        "Je hebt deze vraag opgepakt:\n"
        + quote(m.question_text)
        + "\nTyp je antwoord als reactie in deze thread; ik stuur het door."
    )


def invitation_closed_text(m: InvitationClosed, quote: Quote) -> str:
    return {
        "withdrawn": "Deze vraag is al opgepakt door een collega. Dank je wel!",
        "expired": "Deze vraag is doorgezet naar andere collega's.",
        "declined": "Oké, je hebt deze vraag afgeslagen.",
        "forwarded": f"Doorgestuurd naar {m.colleague or 'een collega'}. Dank je!",
        "closed": "De vrager heeft deze vraag gesloten. Dank je wel!",
    }.get(m.state, "Deze uitnodiging is gesloten.")


def reminder_text(m: InvitationReminder, quote: Quote) -> str:
    return (
        "Herinnering: je hebt deze vraag opgepakt, maar de vrager heeft nog geen "
        "antwoord. Typ je antwoord als reactie in deze thread; lukt het niet, laat het "
        "de vrager dan even weten."
    )


def rated_text(m: AnswerRated, quote: Quote) -> str:
    return f"Je antwoord kreeg een {m.score} van 5 van de vrager. Dank je wel!"


# -- anonymity -------------------------------------------------------------------------------------
def reveal_answer_text(m: RevealAnswer, quote: Quote) -> str:
    return f"Vraag {m.question_id} is gesteld door {m.asker_name}. Dit is vastgelegd, met je reden."


def reveal_told_text(m: RevealTold, quote: Quote) -> str:
    return (
        f"Je stelde vraag {m.question_id} anoniem. {m.coordinator_name}, "
        "coördinator van je team, heeft opgevraagd dat jij die vraag stelde. "
        "Dit is vastgelegd, met deze reden:\n"
        + quote(m.reason)
        + f"\nVragen hierover? Neem contact op met {m.coordinator_name}."
    )


# -- the Ervaringwijzer and the rest ---------------------------------------------------------------
def survey_link_text(m: SurveyLink, quote: Quote) -> str:
    return link_text(case_ref=m.case_ref, url=m.url, expires_on=m.expires_on)


def survey_remark_text(m: SurveyRemark, quote: Quote) -> str:
    return remark_text(remark=m.remark, grade=m.grade)


def notice_text(m: Notice, quote: Quote) -> str:
    return m.text


# -- voice -----------------------------------------------------------------------------------------
VOICE_OFF = (
    "Spraakberichten staan bij Vraagbaak niet aan. Typ je vraag, dan help ik je meteen verder."
)
_VOICE_STATES = {
    "sent": "Verstuurd: je ingesproken tekst gaat verder als een getypte vraag.",
    "cancelled": "Geannuleerd: er is niets verstuurd en de tekst is weggegooid.",
    "expired": "Verlopen: de tekst is weggegooid. Spreek je vraag opnieuw in of typ hem.",
}


def voice_transcript_text(m: VoiceTranscript, quote: Quote) -> str:
    """The card: "Ik heb verstaan: …" while pending; once decided only what happened."""
    if m.state != "pending":
        return _VOICE_STATES.get(m.state, "")
    lines = ["Ik heb verstaan:", quote(m.transcript)]
    if m.repaired:
        lines.append("(Er werd iets steeds herhaald; dat heb ik één keer laten staan.)")
    lines.append(
        "Spraak uitschrijven gaat niet foutloos: lees het na. Pas daarna haal ik eruit wat een "
        "cliënt herkenbaar maakt en gaat je vraag verder. Nog niemand heeft iets gezien."
    )
    return "\n".join(lines)
