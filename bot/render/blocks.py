"""Slack's rendering of each message type: the Dutch text of bot/messages.py plus Block Kit.

Every string that came from a person is escaped before it enters mrkdwn (`escaped` copies a
message with all its texts escaped), so a question cannot mention @channel or disguise a link,
whoever wrote it. Ids in button values come from the message as it is.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any, TypeVar, cast

from bot import ids
from bot.messages import (
    LIST_HEADING,
    Quote,
    card_text,
    invitation_text,
    list_text,
    missing_lines,
    module_line,
    near,
    offer_line,
    preview_text,
    received_text,
    relay_text,
    suggestions_text,
    survey_link_text,
    voice_transcript_text,
)
from bot.text import escape
from casework.ervaringwijzer.text import CHANNEL_LABELS
from models.messages import (
    AnswerRelayed,
    FieldFix,
    InvitationMessage,
    Message,
    QuestionPreview,
    QuestionReceived,
    RegistrationCard,
    RegistrationList,
    Suggestions,
    SurveyLink,
    VoiceTranscript,
)

Block = dict[str, Any]
M = TypeVar("M", bound=Message)
T = TypeVar("T")


@dataclass(frozen=True)
class Upload:
    """A file posted as the message itself, with the text as its comment (a chart, a QR code)."""

    png: bytes
    filename: str
    title: str
    alt: str


@dataclass(frozen=True)
class SlackMessage:
    """What chat.postMessage / chat.update get: the notification text and the blocks; with
    an `upload`, a new message is that file with `text` as its comment instead."""

    text: str
    blocks: list[Block]
    upload: Upload | None = None


def escaped(value: T) -> T:
    """A copy with every text escaped for mrkdwn: strings in fields, tuples, lists and dicts,
    and in nested dataclasses (the address is left as it is: it is not shown)."""
    if isinstance(value, str):
        return cast(T, escape(value))
    if isinstance(value, tuple):
        return cast(T, tuple(escaped(v) for v in value))
    if isinstance(value, list):
        return cast(T, [escaped(v) for v in value])
    if isinstance(value, dict):
        return cast(T, {k: escaped(v) for k, v in value.items()})
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: escaped(getattr(value, f.name)) for f in fields(value) if f.init}
        changes.pop("to", None)
        return cast(T, replace(value, **changes))
    return value


def slack_quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines() or [""])


def _mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text[:2990]}


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


def _actions(block_id: str, buttons: list[Block]) -> Block:
    return {"type": "actions", "block_id": block_id, "elements": buttons}


def _invitation_actions(invitation_id: int) -> Block:
    return _actions(
        f"invitation:{invitation_id}",
        [
            _button("Ik pak hem op", ids.ACCEPT, str(invitation_id), "primary"),
            _button("Niet nu", ids.DECLINE, str(invitation_id)),
            {
                "type": "users_select",
                "action_id": ids.FORWARD,
                "placeholder": {"type": "plain_text", "text": "Ken iemand anders…"},
            },
        ],
    )


def _rating_actions(question_id: int) -> Block:
    buttons = [_button(f"{n} ⭐", ids.RATE, f"{question_id}:{n}") for n in range(1, 6)]
    buttons.append(_button("Sluiten zonder cijfer", ids.CLOSE, str(question_id)))
    return _actions(f"rate:{question_id}", buttons)


def _link(url: str, label: str) -> str:
    return f"<{url}|{label}>" if url.startswith(("https://", "http://")) else url


def upload_of(
    png: str | None, filename: str | None, title: str | None, alt: str | None
) -> Upload | None:
    """The chart (or QR code) a message carries as base64 PNG, as a file to upload."""
    if not png:
        return None
    return Upload(base64.b64decode(png), filename or "cijfers.png", title or "Cijfers", alt or "")


def text_only(text: Callable[[M, Quote], str]) -> Callable[[M], SlackMessage]:
    """The Slack rendering of a message that is its text alone, in one section."""

    def render(message: M) -> SlackMessage:
        body = text(escaped(message), slack_quote)
        return SlackMessage(body, [_section(body)])

    return render


# -- one renderer per message type with more than text ---------------------------------------------
def preview(m: QuestionPreview) -> SlackMessage:
    text = preview_text(escaped(m), slack_quote)
    question_id = str(m.question_id)
    buttons = [
        _button("Versturen", ids.QUESTION_SEND, question_id, "primary"),
        _button("Aanpassen", ids.QUESTION_EDIT, question_id),
        _button("Intrekken", ids.CLOSE, question_id),
    ]
    return SlackMessage(text, [_section(text), _actions(f"preview:{question_id}", buttons)])


def received(m: QuestionReceived) -> SlackMessage:
    text = received_text(escaped(m), slack_quote)
    blocks = [_section(text)]
    if m.earlier:
        held = m.hold_minutes is not None
        then = "niet doorsturen" if held else "vraag sluiten"
        buttons = [
            _button(
                f"Dit helpt, {then}" if len(m.earlier) == 1 else f"Antwoord {n} helpt, {then}",
                ids.REUSE,
                f"{m.question_id}:{item.question_id}",
                "primary",
            )
            for n, item in enumerate(m.earlier, start=1)
        ]
        if held:
            buttons.append(_button("Toch doorsturen", ids.RELEASE, str(m.question_id)))
        blocks.append(_actions(f"reuse:{m.question_id}", buttons))
    elif m.invited:
        withdraw = _button("Vraag intrekken", ids.CLOSE, str(m.question_id))
        blocks.append(_actions(f"withdraw:{m.question_id}", [withdraw]))
    return SlackMessage(text, blocks)


def invitation(m: InvitationMessage) -> SlackMessage:
    text = invitation_text(escaped(m), slack_quote)
    return SlackMessage(text, [_section(text), _invitation_actions(m.invitation_id)])


def relay(m: AnswerRelayed) -> SlackMessage:
    text = relay_text(escaped(m), slack_quote)
    hint = {"type": "mrkdwn", "text": "Geholpen? Geef een cijfer; dat sluit je vraag."}
    blocks = [
        _section(text),
        {"type": "context", "elements": [hint]},
        _rating_actions(m.question_id),
    ]
    return SlackMessage(text, blocks)


def suggestions(m: Suggestions) -> SlackMessage:
    """A section per offer or module with "Nuttig" / "Niet nuttig"; after a click the buttons
    make way for the verdict, so the asker sees it was stored."""
    safe = escaped(m)
    blocks: list[Block] = []
    if safe.title:
        blocks.append(_section(safe.title))
    verdicts = safe.verdicts or {}
    groups = [("offer", o.id, offer_line(replace(o, url="")), o.url) for o in safe.offers]
    groups += [("module", o.id, module_line(replace(o, url="")), o.url) for o in safe.modules]
    headers = {"offer": f"*Op de sociale kaart{near(safe)}:*", "module": "*Uit de Buurtacademie:*"}
    shown: set[str] = set()
    for kind, item_id, line, url in groups:
        if kind not in shown:
            blocks.append(_section(headers[kind]))
            shown.add(kind)
        first, _, rest = line.partition("\n")
        body = f"*{first}*" + (f"\n{rest}" if rest else "")
        if url:
            body += "\n" + _link(url, "Meer informatie")
        blocks.append(_section(body))
        verdict = verdicts.get(f"{kind}:{item_id}")
        if verdict is None:
            value = f"{safe.context}|{kind}|{item_id}"
            feedback = [
                _button("👍 Nuttig", ids.USEFUL, value),
                _button("👎 Niet nuttig", ids.NOT_USEFUL, value),
            ]
            blocks.append(_actions(f"feedback:{kind}:{item_id}", feedback))
        else:
            mark = "👍 Je vond dit nuttig." if verdict else "👎 Je vond dit niet nuttig."
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": mark}]})
    blocks.extend(_section(line) for line in missing_lines(safe))
    return SlackMessage(suggestions_text(safe, slack_quote), blocks)


def _registration_actions(card: RegistrationCard) -> list[Block]:
    key, state = card.card_key, card.state
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
    blocks = [_fix_select(key, fix) for fix in card.fixes] if state == "pending" else []
    blocks.append(_actions(f"registration:{state}", buttons))
    if state == "saved" and card.invite and not card.invitation:
        choices = [
            _button(label, ids.REG_INVITE, f"{key}|{channel}") for channel, label in CHANNEL_LABELS
        ]
        blocks.append(_actions("ervaringwijzer", choices))
    return blocks


def _fix_select(key: str, fix: FieldFix) -> Block:
    """A guessed field with its values one tap away (casework/registration/fixes.py)."""
    options: list[Block] = [
        {"text": {"type": "plain_text", "text": label[:75]}, "value": f"{key}|{fix.field}|{value}"}
        for value, label in fix.options[:100]
    ]
    select: Block = {
        "type": "static_select",
        "action_id": ids.REG_FIX,
        "placeholder": {"type": "plain_text", "text": "Kies…"},
        "options": options,
    }
    current = [o for o in options if str(o["value"]).endswith(f"|{fix.current}")]
    if current:
        select["initial_option"] = current[0]
    text = f"*{fix.label}* is afgeleid. Klopt het niet? Kies het goede antwoord:"
    return {
        "type": "section",
        "block_id": f"fix:{fix.field}",
        "text": _mrkdwn(text),
        "accessory": select,
    }


def registration_card(m: RegistrationCard) -> SlackMessage:
    text = card_text(escaped(m), slack_quote)
    return SlackMessage(text, [_section(text), *_registration_actions(m)])


def registration_list(m: RegistrationList) -> SlackMessage:
    safe = escaped(m)
    text = list_text(safe, slack_quote)
    if not m.items:
        return SlackMessage(text, [_section(text)])
    blocks = [_section(LIST_HEADING)]
    for item in safe.items:
        blocks.append(_section(f"• {item.summary}"))
        buttons = [_button("Corrigeren", ids.REG_CORRECT, str(item.event_id))]
        if item.undo:
            buttons.insert(0, _button("Ongedaan maken", ids.REG_EVENT_UNDO, str(item.event_id)))
        blocks.append(_actions(f"event:{item.event_id}", buttons))
    return SlackMessage(text, blocks)


def survey_link(m: SurveyLink) -> SlackMessage:
    """The link and, as the message itself, its QR code with the text as comment."""
    body = survey_link_text(escaped(m), slack_quote)
    upload = upload_of(m.chart_png, m.chart_filename, m.chart_title, m.chart_alt)
    return SlackMessage(body, [_section(body)], upload)


def voice_transcript(m: VoiceTranscript) -> SlackMessage:
    """The transcript card: Versturen / Aanpassen / Annuleren while pending, text only after."""
    text = voice_transcript_text(escaped(m), slack_quote)
    if m.state != "pending":
        return SlackMessage(text, [_section(text)])
    buttons = [
        _button("Versturen", ids.VOICE_SEND, m.card_key, "primary"),
        _button("Aanpassen", ids.VOICE_EDIT, m.card_key),
        _button("Annuleren", ids.VOICE_CANCEL, m.card_key),
    ]
    return SlackMessage(text, [_section(text), _actions("voice:pending", buttons)])
