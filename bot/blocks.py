"""Block Kit for each message template: the Dutch text of bot/messages.py plus buttons.

Every string that came from a person is escaped before it enters mrkdwn, so a question cannot
mention @channel or disguise a link, whoever wrote it.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.messages import text_for
from bot.text import escape

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


def render(template: str, payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """(notification text, blocks) for one outbox message."""
    safe = _escaped(payload)
    text = text_for(template, safe, quote=_slack_quote)
    blocks: list[Block] = [_section(text)]
    if template == "invitation":
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
