"""The Dutch wording of every message, shared by the Slack and console renderers.

Templates come from the domain as (name, payload); the text lives here once, so Slack and the
console say the same thing. Slack additionally gets buttons (bot/blocks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casework.ervaringwijzer_text import TEMPLATES as ERVARINGWIJZER_TEMPLATES
from casework.ervaringwijzer_text import card_question
from knowledge.privacy import removed_phrase
from knowledge.taxonomy import name_for

DIGEST_COORDINATOR_ONLY = (
    "Alleen een coördinator kan het weekoverzicht van het team instellen. "
    "Vraag de coördinator van je team om het te doen."
)
DIGEST_OWN_TEAM_ONLY = (
    "Je kunt alleen het weekoverzicht van je eigen team ({team}) instellen. "
    "Laat het team weg of vraag de coördinator van dat team."
)


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _earlier_answers(p: dict[str, Any], quote: Quote) -> list[str]:
    earlier = p["earlier"]
    lines = [
        "Deze eerdere vraag lijkt sterk op de jouwe:"
        if len(earlier) == 1
        else "Deze eerdere vragen lijken sterk op de jouwe:"
    ]
    for item in earlier:
        lines.append(quote(item["question_text"]))
        lines.append(
            f"Antwoord van {item['expert_name']} ({_date(item['answered_on'])}, "
            f"cijfer {item['rating']} van 5):"
        )
        lines.append(quote(item["answer_text"]))
    minutes = round(float(p.get("hold_minutes") or 0))
    lines.append(
        "Helpt dit? Kies dan 'Dit helpt, niet doorsturen'. Zo niet, kies 'Toch doorsturen'; "
        f"zonder keuze stuur ik je vraag over {minutes} minuten zelf door naar collega's."
    )
    return lines


def _date(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{int(day)}-{int(month)}-{year}"


def offer_line(offer: dict[str, Any]) -> str:
    """One offer as a generalist needs it on the road: what, who, where, how to reach them."""
    where = "hele stad" if offer.get("wijk") == "Stad" else offer.get("wijk", "")
    parts = [f"{offer['name']} — {offer.get('organisation') or 'onbekende organisatie'}"]
    details = [where, offer.get("phone", ""), offer.get("email", ""), offer.get("cost", "")]
    parts.append(" · ".join(d for d in details if d))
    if offer.get("url"):
        parts.append(str(offer["url"]))
    return "\n".join(p for p in parts if p)


def module_line(module: dict[str, Any]) -> str:
    line = f"{module['title']} ({module.get('format', '')})"
    return f"{line}\n{module['url']}" if module.get("url") else line


def suggestion_lines(p: dict[str, Any]) -> list[str]:
    """Offers and modules as plain text (the console; Slack adds buttons per item)."""
    lines: list[str] = []
    if p.get("title"):
        lines.append(str(p["title"]))
    near = f" (bij {p['area']})" if p.get("area") else ""
    if p.get("searched_offers", True):
        if p.get("offers"):
            lines.append(f"Op de sociale kaart{near}:")
            lines.extend("• " + offer_line(o).replace("\n", "\n  ") for o in p["offers"])
        else:
            lines.append("Op de sociale kaart vond ik niets dat goed genoeg bij je vraag past.")
    if p.get("searched_modules", True):
        if p.get("modules"):
            lines.append("Uit de Buurtacademie:")
            lines.extend("• " + module_line(m).replace("\n", "\n  ") for m in p["modules"])
        else:
            lines.append("In de Buurtacademie vond ik geen module die goed genoeg past.")
    return lines


_CARD_HEADINGS = {
    "pending": "Klopt dit? Kies *Opslaan* om het vast te leggen, of *Aanpassen*.",
    "saved": "✅ Opgeslagen. Verkeerd? *Ongedaan maken* kan tot 15 minuten na opslaan.",
    "cancelled": "Geannuleerd: er is niets opgeslagen.",
    "undone": "↩️ Ongedaan gemaakt: deze registratie telt niet mee.",
}


def registration_lines(p: dict[str, Any]) -> list[str]:
    """The confirmation card: what was understood, and what happens next."""
    state = str(p.get("state", "pending"))
    lines = [_CARD_HEADINGS.get(state, "")]
    if state == "cancelled":
        return lines
    lines.extend(str(line) for line in p.get("lines", []))
    if p.get("new_case_ref"):
        lines.append(f"Nieuw casusnummer: {p['event']['case_ref']} (je gaf er geen op)")
    if p.get("replaces") and state == "pending":
        lines.append("Bij opslaan vervangt dit je eerdere registratie.")
    if state == "saved" and p.get("invitation"):
        lines.append(str(p["invitation"]))
    elif state == "saved" and p.get("invite"):
        lines.append(card_question(str(p["event"]["case_ref"])))
    return lines


def _areas(slugs: list[str]) -> str:
    return ", ".join(name_for(s) for s in slugs) or "algemeen"


Quote = Callable[[str], str]


def plain_quote(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines() or [""])


def text_for(template: str, p: dict[str, Any], quote: Quote = plain_quote) -> str:
    """Dutch text for a template. `quote` renders (and for Slack escapes) user-written text."""
    if template.startswith("profile."):
        from bot.expertise import profile_text

        return profile_text(template, p)
    if template.startswith("digest"):
        from bot.digest_blocks import digest_text

        return digest_text(template, p)
    if template in ERVARINGWIJZER_TEMPLATES:
        return ERVARINGWIJZER_TEMPLATES[template](p)
    match template:
        case "question.preview":
            lines = [f"🚨 {u['label']}. {u['advice']}" for u in p.get("urgent") or []]
            lines.append("Zo zien collega's je vraag. Nog niemand heeft hem gezien:")
            lines.append(quote(p["redacted_text"]))
            if p.get("removed"):
                lines.append(f"Ik heb eruit gehaald: {removed_phrase(p['removed'])}.")
            if p.get("doubtful"):
                words = ", ".join(f"'{w}'" for w in p["doubtful"])
                lines.append(
                    f"Kijk nog even naar {words}: maakt dat iemand herkenbaar? "
                    "Pas je vraag dan aan."
                )
            lines.append("Klopt het? Kies Versturen, of Aanpassen om hem te veranderen.")
            return "\n".join(lines)
        case "question.received":
            lines = [f"🚨 {u['label']}. {u['advice']}" for u in p.get("urgent") or []]
            if p.get("removed"):
                lines.append(
                    f"Ik heb {removed_phrase(p['removed'])} uit je vraag gehaald voordat "
                    "collega's hem zien. Zo zien zij hem:"
                )
                lines.append(quote(p["redacted_text"]))
            if p.get("earlier"):
                lines.extend(_earlier_answers(p, quote))
            elif p.get("invited"):
                lines.append(
                    f"Je vraag ({_areas(p.get('leefgebieden', []))}) is voorgelegd aan "
                    f"{_names(p['invited'])}. Je hoort het hier zodra iemand hem oppakt."
                )
            else:
                lines.append("Ik heb je vraag ontvangen.")
            return "\n".join(lines)
        case "question.released":
            return (
                f"Ik heb je vraag nu voorgelegd aan {_names(p.get('invited', []))}. "
                "Je hoort het hier zodra iemand hem oppakt."
            )
        case "question.reused":
            return (
                "Fijn dat het eerdere antwoord je helpt. Ik heb je vraag gesloten; er is geen "
                "collega voor gestoord."
            )
        case "suggestions":
            return "\n".join(suggestion_lines(p))
        case "registration.card":
            return "\n".join(registration_lines(p))
        case "registration.list":
            if not p.get("items"):
                return "Je hebt vandaag nog niets geregistreerd."
            return "Je registraties van vandaag:\n" + "\n".join(
                f"• {item['summary']}" for item in p["items"]
            )
        case "invitation":
            via = f" (doorgestuurd door {p['forwarded_by']})" if p.get("forwarded_by") else ""
            urgent = "".join(f"🚨 Spoed: {label}.\n" for label in p.get("urgent") or [])
            return urgent + (
                f"Vraag van {p['asker_name']} ({p.get('asker_team') or 'onbekend team'}){via} "
                f"over {_areas(p.get('leefgebieden', []))}:\n" + quote(p["question_text"])
            )
        case "invitation.accepted":
            return (
                "Je hebt deze vraag opgepakt:\n"
                + quote(p.get("question_text", ""))
                + "\nTyp je antwoord als reactie in deze thread; ik stuur het door."
            )
        case "invitation.closed":
            return {
                "withdrawn": "Deze vraag is al opgepakt door een collega. Dank je wel!",
                "expired": "Deze vraag is doorgezet naar andere collega's.",
                "declined": "Oké, je hebt deze vraag afgeslagen.",
                "forwarded": f"Doorgestuurd naar {p.get('colleague', 'een collega')}. Dank je!",
                "closed": "De vrager heeft deze vraag gesloten. Dank je wel!",
            }.get(str(p.get("state")), "Deze uitnodiging is gesloten.")
        case "invitation.reminder":
            return (
                "Herinnering: je hebt deze vraag opgepakt, maar de vrager heeft nog geen "
                "antwoord. Typ je antwoord als reactie in deze thread; lukt het niet, laat het "
                "de vrager dan even weten."
            )
        case "question.taken":
            return f"{p['expert_name']} pakt je vraag op. Het antwoord verschijnt in deze thread."
        case "question.next_wave":
            return (
                "Nog niemand heeft je vraag opgepakt. Ik heb hem nu ook voorgelegd aan "
                f"{_names(p.get('invited', []))}."
            )
        case "question.unanswered":
            if p.get("reason") == "no_experts":
                return (
                    "Ik heb geen collega gevonden met expertise die bij je vraag past. "
                    "Probeer hem in andere woorden, of leg hem voor in je teamoverleg."
                )
            return (
                "Het spijt me: niemand heeft je vraag kunnen oppakken, ook niet na "
                f"{p.get('waves', 0)} rondes. Leg hem voor in je teamoverleg of bij je "
                "teamcoach; je kunt hem ook opnieuw stellen met meer details."
            )
        case "answer.relay":
            return f"Antwoord van {p['expert_name']}:\n" + quote(p["text"])
        case "question.closed":
            return (
                "Je vraag is gesloten. Dank je voor je beoordeling!"
                if p.get("rated")
                else ("Je vraag is gesloten.")
            )
        case "answer.rated":
            return f"Je antwoord kreeg een {p['score']} van 5 van de vrager. Dank je wel!"
        case "reveal.answer":
            return (
                f"Vraag {p['question_id']} is gesteld door {p['asker_name']}. "
                "Dit is vastgelegd, met je reden."
            )
        case "reveal.told":
            return (
                f"Je stelde vraag {p['question_id']} anoniem. {p['coordinator_name']}, "
                "coördinator van je team, heeft opgevraagd dat jij die vraag stelde. "
                "Dit is vastgelegd, met deze reden:\n"
                + quote(str(p["reason"]))
                + f"\nVragen hierover? Neem contact op met {p['coordinator_name']}."
            )
        case _:
            return str(p.get("text", ""))
