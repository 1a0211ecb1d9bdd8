"""The digest in words: Block Kit and mrkdwn for Slack, plain text for the console.

A digest (`TeamDigest`, `FiguresDigest`) is computed by casework/digest.py and already carries
protected, Dutch-formatted numbers; this module only lays them out. One line per figure
("Gestart: 12 (vorige week 9, +3 · gemiddeld team 8,4)") reads on a phone, where Slack shows no
tables. Every string is escaped for Slack ("<5" must travel as "&lt;5"), and the chart itself is
uploaded by bot/slack/sender.py with this text as its comment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.render.blocks import SlackMessage, escaped, upload_of
from bot.text import escape
from models.messages import Digest, DigestLine, TeamDigest

Block = dict[str, Any]
Style = Callable[[str], str]

_PREVIOUS = {"week": "vorige week", "month": "vorige maand", "quarter": "vorig kwartaal"}
FOOTNOTE = (
    "<5 = minder dan 5; n<5 = gebaseerd op minder dan 5 casussen. Zo blijven cliënten onherkenbaar."
)
REALTIME = "Cijfers kunnen later nog veranderen als registraties later binnenkomen."


def _plain(text: str) -> str:
    return text


def _title(p: Digest) -> str:
    kind = "Weekoverzicht" if isinstance(p, TeamDigest) else "Cijfers"
    return f"{kind} {p.team}: {p.period_title}"


def _figure(line: DigestLine, previous: str, bold: Style) -> str:
    details = [f"{previous} {line.previous}"]
    if line.change:
        details[0] += f", {line.change}"
    details.append(f"gemiddeld team {line.city}")
    if line.note:
        details.append(line.note)
    return f"• {line.label}: {bold(line.value)} ({' · '.join(details)})"


def _sections(p: Digest, bold: Style) -> list[tuple[str, list[str]]]:
    previous = _PREVIOUS.get(p.granularity, "vorige periode")
    sections = [(s.title, [_figure(line, previous, bold) for line in s.lines]) for s in p.sections]
    top = ", ".join(f"{t.name} ({t.value})" for t in p.top_leefgebieden)
    if top:
        sections.insert(2, ("Meest gescoorde leefgebieden", [top]))
    return sections


def _computed(p: Digest) -> str:
    return f"Berekend op {p.computed_at_text}. {REALTIME}"


def _lines(p: Digest, bold: Style, italic: Style, footnote: str = FOOTNOTE) -> list[str]:
    lines = [bold(_title(p)), italic(_computed(p))]
    for title, figures in _sections(p, bold):
        lines += ["", bold(title), *figures]
    if p.protected:
        lines += ["", italic(footnote)]
    return lines


def digest_text(digest: Digest) -> str:
    """Plain Dutch text (the console); the chart is not part of it."""
    return "\n".join(_lines(digest, _plain, _plain))


def _mrkdwn(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:2990]}}


def render_digest(digest: Digest) -> SlackMessage:
    """The mrkdwn text, the blocks and the chart. The text is the whole digest: it is the
    notification fallback and, when the chart is uploaded, the comment posted with it."""
    p = escaped(digest)

    def bold(text: str) -> str:
        return f"*{text}*"

    def italic(text: str) -> str:
        return f"_{text}_"

    text = "\n".join(_lines(p, bold, italic, escape(FOOTNOTE)))
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _title(digest)[:150], "emoji": True},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": _computed(p)}]},
    ]
    for title, figures in _sections(p, bold):
        blocks.append(_mrkdwn("\n".join([bold(title), *figures])))
    if digest.protected:
        footnote = {"type": "mrkdwn", "text": escape(FOOTNOTE)}
        blocks.append({"type": "context", "elements": [footnote]})
    chart = upload_of(
        digest.chart_png,
        digest.chart_filename,
        digest.chart_title or digest.period_title,
        digest.chart_alt,
    )
    return SlackMessage(text, blocks, chart)
