"""The registration modals: a form for those who prefer one, an edit box for "Aanpassen" and
the client's contact for the Ervaringwijzer. A form is written as one message, so one parser
checks both ways of entering."""

from __future__ import annotations

import json
from typing import Any

from bot import ids
from bot.wiring import Deps
from casework.ervaringwijzer.text import CARD_HINT, CONTACT_LABEL
from casework.registration import KINDS
from knowledge.teams import all_teams


def _text_input(
    block_id: str, label: str, initial: str = "", *, multiline: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def form_view(deps: Deps, team: str | None) -> dict[str, Any]:
    """The form: kind, case number, team, date and the rest in words (parsed like a message)."""
    vocabulary = deps.registrations.parser.vocabulary
    kinds = [_option(vocabulary.kinds[k].label, k) for k in KINDS]
    teams = [_option(t.name, t.name) for t in all_teams()]
    team_select: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": teams}
    if team in {t.name for t in all_teams()}:
        team_select["initial_option"] = _option(str(team), str(team))
    return {
        "type": "modal",
        "callback_id": ids.REG_FORM,
        "title": _plain("Registreren"),
        "submit": _plain("Controleren"),
        "close": _plain("Annuleren"),
        "blocks": [
            {
                "type": "input",
                "block_id": "kind",
                "label": _plain("Wat registreer je?"),
                "element": {"type": "static_select", "action_id": "value", "options": kinds},
            },
            {
                **_text_input("case_ref", "Casusnummer (leeg bij een nieuwe aanmelding)"),
                "optional": True,
            },
            {"type": "input", "block_id": "team", "label": _plain("Team"), "element": team_select},
            {
                "type": "input",
                "block_id": "day",
                "optional": True,
                "label": _plain("Datum (leeg = vandaag)"),
                "element": {"type": "datepicker", "action_id": "value"},
            },
            {
                **_text_input(
                    "details",
                    "Verder (melder, reden, scores…), zonder namen",
                    multiline=True,
                ),
                "optional": True,
            },
        ],
    }


def contact_view(metadata: dict[str, Any]) -> dict[str, Any]:
    label = CONTACT_LABEL[str(metadata["channel"])]
    return {
        "type": "modal",
        "callback_id": ids.REG_CONTACT,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Ervaringwijzer"),
        "submit": _plain("Uitnodigen"),
        "close": _plain("Annuleren"),
        "blocks": [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": CARD_HINT}]},
            _text_input("contact", label),
        ],
    }


def edit_view(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.REG_EDIT,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Registratie aanpassen"),
        "submit": _plain("Controleren"),
        "close": _plain("Annuleren"),
        "blocks": [
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Pas de tekst aan; ik laat daarna opnieuw zien wat ik begrijp.",
                    }
                ],
            },
            _text_input("text", "Registratie", text, multiline=True),
        ],
    }


def form_message(values: dict[str, Any], deps: Deps) -> str:
    """The form's fields written as one message, so one parser checks both ways of entering."""

    def value(block: str) -> str:
        field = values.get(block, {}).get("value", {})
        selected = field.get("selected_option") or {}
        return str(selected.get("value") or field.get("selected_date") or field.get("value") or "")

    vocabulary = deps.registrations.parser.vocabulary
    kind = value("kind")
    parts = [vocabulary.kinds[kind].phrase if kind in vocabulary.kinds else kind]
    if value("case_ref").strip():
        parts.append(f"casus {value('case_ref').strip()}")
    if value("team"):
        parts.append(f"team {value('team')}")
    if value("day"):
        year, month, day = value("day").split("-")
        parts.append(f"{int(day)}-{int(month)}-{year}")
    if value("details").strip():
        parts.append(value("details").strip())
    return " ".join(parts)
