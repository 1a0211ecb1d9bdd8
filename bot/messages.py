"""The Dutch wording of every message, shared by the Slack and console renderers.

Templates come from the domain as (name, payload); the text lives here once, so Slack and the
console say the same thing. Slack additionally gets buttons (bot/blocks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from knowledge.privacy import removed_phrase
from knowledge.taxonomy import name_for


def _names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _areas(slugs: list[str]) -> str:
    return ", ".join(name_for(s) for s in slugs) or "algemeen"


Quote = Callable[[str], str]


def plain_quote(text: str) -> str:
    return "\n".join("  | " + line for line in text.splitlines() or [""])


def text_for(template: str, p: dict[str, Any], quote: Quote = plain_quote) -> str:
    """Dutch text for a template. `quote` renders (and for Slack escapes) user-written text."""
    match template:
        case "question.received":
            lines = []
            if p.get("removed"):
                lines.append(
                    f"Ik heb {removed_phrase(p['removed'])} uit je vraag gehaald voordat "
                    "collega's hem zien. Zo zien zij hem:"
                )
                lines.append(quote(p["redacted_text"]))
            if p.get("invited"):
                lines.append(
                    f"Je vraag ({_areas(p.get('leefgebieden', []))}) is voorgelegd aan "
                    f"{_names(p['invited'])}. Je hoort het hier zodra iemand hem oppakt."
                )
            else:
                lines.append("Ik heb je vraag ontvangen.")
            return "\n".join(lines)
        case "invitation":
            via = f" (doorgestuurd door {p['forwarded_by']})" if p.get("forwarded_by") else ""
            return (
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
        case _:
            return str(p.get("text", ""))
