"""The digest in words: Block Kit and mrkdwn for Slack, plain text for the console.

The payload is built by casework/digest.py and already carries protected, Dutch-formatted
numbers; this module only lays them out. One line per figure ("Gestart: 12 (vorige week 9,
+3 · gemiddeld team 8,4)") reads on a phone, where Slack shows no tables. Every payload string
is escaped for Slack ("<5" must travel as "&lt;5"), and the chart itself is uploaded by
bot/slack_sender.py with this text as its comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.text import escape

Block = dict[str, Any]
Style = Callable[[str], str]

_PREVIOUS = {"week": "vorige week", "month": "vorige maand", "quarter": "vorig kwartaal"}
FOOTNOTE = (
    "<5 = minder dan 5; n<5 = gebaseerd op minder dan 5 casussen. Zo blijven cliënten onherkenbaar."
)
REALTIME = "Cijfers kunnen later nog veranderen als registraties later binnenkomen."


def _plain(text: str) -> str:
    return text


def _title(template: str, p: dict[str, Any]) -> str:
    kind = "Weekoverzicht" if template == "digest.team" else "Cijfers"
    return f"{kind} {p['team']}: {p['period_title']}"


def _figure(line: dict[str, Any], previous: str, bold: Style) -> str:
    details = [f"{previous} {line['previous']}"]
    if line.get("change"):
        details[0] += f", {line['change']}"
    details.append(f"gemiddeld team {line['city']}")
    if line.get("note"):
        details.append(str(line["note"]))
    return f"• {line['label']}: {bold(str(line['value']))} ({' · '.join(details)})"


def _sections(p: dict[str, Any], bold: Style) -> list[tuple[str, list[str]]]:
    previous = _PREVIOUS.get(str(p.get("granularity")), "vorige periode")
    sections = [
        (str(s["title"]), [_figure(line, previous, bold) for line in s["lines"]])
        for s in p["sections"]
    ]
    top = ", ".join(f"{t['name']} ({t['value']})" for t in p.get("top_leefgebieden", []))
    if top:
        sections.insert(2, ("Meest gescoorde leefgebieden", [top]))
    return sections


def _computed(p: dict[str, Any]) -> str:
    return f"Berekend op {p['computed_at_text']}. {REALTIME}"


def _lines(
    template: str, p: dict[str, Any], bold: Style, italic: Style, footnote: str = FOOTNOTE
) -> list[str]:
    lines = [bold(_title(template, p)), italic(_computed(p))]
    for title, figures in _sections(p, bold):
        lines += ["", bold(title), *figures]
    if p.get("protected"):
        lines += ["", italic(footnote)]
    return lines


def digest_text(template: str, payload: dict[str, Any]) -> str:
    """Plain Dutch text (the console); the chart is not part of it."""
    return "\n".join(_lines(template, payload, _plain, _plain))


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k == "chart_png" else _escaped(v) for k, v in value.items()}
    return value


def _mrkdwn(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:2990]}}


def render_digest(template: str, payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """(mrkdwn text, blocks). The text is the whole digest: it is the notification fallback
    and, when a chart is uploaded, the comment posted with it."""
    p = _escaped(payload)

    def bold(text: str) -> str:
        return f"*{text}*"

    def italic(text: str) -> str:
        return f"_{text}_"

    text = "\n".join(_lines(template, p, bold, italic, escape(FOOTNOTE)))
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _title(template, payload)[:150], "emoji": True},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _computed(p)}]},
    ]
    for title, figures in _sections(p, bold):
        blocks.append(_mrkdwn("\n".join([bold(title), *figures])))
    if payload.get("protected"):
        footnote = {"type": "mrkdwn", "text": escape(FOOTNOTE)}
        blocks.append({"type": "context", "elements": [footnote]})
    return text, blocks
