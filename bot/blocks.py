"""Block Kit for each message template: the Dutch text of bot/messages.py plus buttons.

Every string that came from a person is escaped before it enters mrkdwn, so a question cannot
mention @channel or disguise a link, whoever wrote it.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.messages import module_line, offer_line, suggestion_lines, text_for
from bot.text import escape
from casework.ervaringwijzer_text import CHANNEL_LABELS

Block = dict[str, Any]


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    return value


def _slack_quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:2990]}}


def _button(text: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": text, "emoji": True},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _invitation_actions(invitation_id: int) -> Block:
    return {
        "type": "actions",
        "block_id": f"invitation:{invitation_id}",
        "elements": [
            _button("Ik pak hem op", ids.ACCEPT, str(invitation_id), "primary"),
            _button("Niet nu", ids.DECLINE, str(invitation_id)),
            {
                "type": "users_select",
                "action_id": ids.FORWARD,
                "placeholder": {"type": "plain_text", "text": "Ken iemand anders…"},
            },
        ],
    }


def _rating_actions(question_id: int) -> Block:
    buttons = [_button(f"{n} ⭐", ids.RATE, f"{question_id}:{n}") for n in range(1, 6)]
    buttons.append(_button("Sluiten zonder cijfer", ids.CLOSE, str(question_id)))
    return {"type": "actions", "block_id": f"rate:{question_id}", "elements": buttons}


def _link(url: str, label: str) -> str:
    return f"<{url}|{label}>" if url.startswith(("https://", "http://")) else url


def _suggestion_blocks(p: dict[str, Any]) -> list[Block]:
    """A section per offer or module with "Nuttig" / "Niet nuttig"; after a click the buttons
    make way for the verdict, so the asker sees it was stored."""
    blocks: list[Block] = []
    if p.get("title"):
        blocks.append(_section(str(p["title"])))
    verdicts: dict[str, bool] = p.get("verdicts") or {}
    context = str(p.get("context", ""))
    groups = [("offer", o, offer_line({**o, "url": ""}), o.get("url", "")) for o in p["offers"]]
    groups += [("module", m, module_line({**m, "url": ""}), m.get("url", "")) for m in p["modules"]]
    near = f" (bij {p['area']})" if p.get("area") else ""
    headers = {"offer": f"*Op de sociale kaart{near}:*", "module": "*Uit de Buurtacademie:*"}
    shown: set[str] = set()
    for kind, item, line, url in groups:
        if kind not in shown:
            blocks.append(_section(headers[kind]))
            shown.add(kind)
        first, _, rest = line.partition("\n")
        body = f"*{first}*" + (f"\n{rest}" if rest else "")
        if url:
            body += "\n" + _link(url, "Meer informatie")
        blocks.append(_section(body))
        verdict = verdicts.get(f"{kind}:{item['id']}")
        if verdict is None:
            value = f"{context}|{kind}|{item['id']}"
            blocks.append(
                {
                    "type": "actions",
                    "block_id": f"feedback:{kind}:{item['id']}",
                    "elements": [
                        _button("👍 Nuttig", ids.USEFUL, value),
                        _button("👎 Niet nuttig", ids.NOT_USEFUL, value),
                    ],
                }
            )
        else:
            mark = "👍 Je vond dit nuttig." if verdict else "👎 Je vond dit niet nuttig."
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": mark}]})
    missing = [
        line
        for line in suggestion_lines({**p, "title": None})
        if line.startswith(("Op de sociale kaart vond", "In de Buurtacademie vond"))
    ]
    blocks.extend(_section(line) for line in missing)
    return blocks


def _registration_actions(payload: dict[str, Any]) -> list[Block]:
    key, state = str(payload.get("card_key", "")), payload.get("state", "pending")
    if state == "pending":
        buttons = [
            _button("Opslaan", ids.REG_SAVE, key, "primary"),
            _button("Aanpassen", ids.REG_EDIT, key),
            _button("Annuleren", ids.REG_CANCEL, key),
        ]
    elif state == "saved":
        buttons = [_button("Ongedaan maken", ids.REG_UNDO, key)]
    else:
        return []
    blocks = [{"type": "actions", "block_id": f"registration:{state}", "elements": buttons}]
    if state == "saved" and payload.get("invite") and not payload.get("invitation"):
        choices = [
            _button(label, ids.REG_INVITE, f"{key}|{channel}") for channel, label in CHANNEL_LABELS
        ]
        blocks.append({"type": "actions", "block_id": "ervaringwijzer", "elements": choices})
    return blocks


def render(template: str, payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """(notification text, blocks) for one outbox message."""
    if template.startswith("profile."):
        from bot.expertise import render_profile

        return render_profile(template, payload)
    if template.startswith("digest"):
        from bot.digest_blocks import render_digest

        return render_digest(template, payload)
    safe = _escaped(payload)
    text = text_for(template, safe, quote=_slack_quote)
    if template == "suggestions":
        return text, _suggestion_blocks(safe)
    blocks: list[Block] = [_section(text)]
    if template == "question.received" and payload.get("earlier"):
        question_id = payload["question_id"]
        buttons = [
            _button(
                "Dit helpt, niet doorsturen"
                if len(payload["earlier"]) == 1
                else f"Antwoord {n} helpt, niet doorsturen",
                ids.REUSE,
                f"{question_id}:{item['question_id']}",
                "primary",
            )
            for n, item in enumerate(payload["earlier"], start=1)
        ]
        buttons.append(_button("Toch doorsturen", ids.RELEASE, str(question_id)))
        blocks.append({"type": "actions", "block_id": f"reuse:{question_id}", "elements": buttons})
    elif template == "question.preview":
        question_id = str(payload["question_id"])
        buttons = [
            _button("Versturen", ids.QUESTION_SEND, question_id, "primary"),
            _button("Aanpassen", ids.QUESTION_EDIT, question_id),
            _button("Intrekken", ids.CLOSE, question_id),
        ]
        block_id = f"preview:{question_id}"
        blocks.append({"type": "actions", "block_id": block_id, "elements": buttons})
    elif template == "registration.card":
        blocks.extend(_registration_actions(payload))
    elif template == "registration.list":
        blocks = [_section(text.split("\n", 1)[0])]
        for item in safe.get("items", []):
            blocks.append(_section(f"• {item['summary']}"))
            buttons = [_button("Corrigeren", ids.REG_CORRECT, str(item["event_id"]))]
            if item.get("undo"):
                buttons.insert(
                    0, _button("Ongedaan maken", ids.REG_EVENT_UNDO, str(item["event_id"]))
                )
            blocks.append(
                {"type": "actions", "block_id": f"event:{item['event_id']}", "elements": buttons}
            )
    elif template == "invitation":
        blocks.append(_invitation_actions(int(payload["invitation_id"])))
    elif template == "question.received" and payload.get("invited"):
        blocks.append(
            {
                "type": "actions",
                "block_id": f"withdraw:{payload['question_id']}",
                "elements": [_button("Vraag intrekken", ids.CLOSE, str(payload["question_id"]))],
            }
        )
    elif template == "answer.relay":
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "Geholpen? Geef een cijfer; dat sluit je vraag."}
                ],
            }
        )
        blocks.append(_rating_actions(int(payload["question_id"])))
    return text, blocks
