"""The one place that says how each message type looks: its Slack rendering (text and Block
Kit, bot/render/blocks.py) and its console rendering (text and the commands to type,
bot/render/console_text.py), both from the Dutch wording in bot/messages.py.

Adding a chat message is one type in models/messages/, a text function in bot/messages.py
(or two renderers when Slack needs buttons or the console hints) and one `rendering(...)` line
below. mypy checks that both renderers of a line take that line's type; this module refuses to
import while a chat message type has no line (and tests/unit/test_rendering.py renders an
example of every type on both transports). Mail and SMS (channel_kind "mail", "sms") are not
chat messages: their senders in bot/workers/mail.py write them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot import messages
from bot.render import blocks, console_text
from bot.render.blocks import SlackMessage, text_only
from bot.render.console_text import plain
from bot.render.digest_blocks import digest_text, render_digest
from bot.render.profile import render_profile
from models.messages import (
    MESSAGE_TYPES,
    AnswerRated,
    AnswerRelayed,
    FiguresDigest,
    InvitationAccepted,
    InvitationClosed,
    InvitationMessage,
    InvitationReminder,
    Message,
    Notice,
    ProfileNudge,
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
    Suggestions,
    SurveyLink,
    SurveyRemark,
    TeamDigest,
    VoiceTranscript,
)

__all__ = ["RENDERINGS", "Rendering", "SlackMessage", "console", "slack"]

M = TypeVar("M", bound=Message)


@dataclass(frozen=True)
class Rendering(Generic[M]):
    slack: Callable[[M], SlackMessage]
    console: Callable[[M], str]


def rendering(
    kind: type[M], slack: Callable[[M], SlackMessage], console: Callable[[M], str]
) -> tuple[type[Message], Rendering[Any]]:
    return kind, Rendering(slack, console)


RENDERINGS: Mapping[type[Message], Rendering[Any]] = dict(
    [
        # to the asker
        rendering(QuestionPreview, blocks.preview, console_text.preview),
        rendering(QuestionReceived, blocks.received, console_text.received),
        rendering(QuestionReleased, text_only(messages.released_text), console_text.released),
        rendering(QuestionReused, text_only(messages.reused_text), console_text.reused),
        rendering(QuestionTaken, text_only(messages.taken_text), console_text.taken),
        rendering(QuestionNextWave, text_only(messages.next_wave_text), console_text.next_wave),
        rendering(
            QuestionUnanswered,
            text_only(messages.unanswered_text),
            console_text.unanswered,
        ),
        rendering(AnswerRelayed, blocks.relay, console_text.relay),
        rendering(QuestionClosed, text_only(messages.closed_text), console_text.closed),
        rendering(Suggestions, blocks.suggestions, console_text.suggestions),
        # to the expert
        rendering(InvitationMessage, blocks.invitation, console_text.invitation),
        rendering(InvitationAccepted, text_only(messages.accepted_text), console_text.accepted),
        rendering(
            InvitationClosed,
            text_only(messages.invitation_closed_text),
            console_text.invitation_closed,
        ),
        rendering(InvitationReminder, text_only(messages.reminder_text), console_text.reminder),
        rendering(AnswerRated, text_only(messages.rated_text), plain(messages.rated_text)),
        rendering(ProfileNudge, render_profile, console_text.profile_nudge),
        # anonymity
        rendering(
            RevealAnswer, text_only(messages.reveal_answer_text), plain(messages.reveal_answer_text)
        ),
        rendering(
            RevealTold, text_only(messages.reveal_told_text), plain(messages.reveal_told_text)
        ),
        # registrations and figures
        rendering(RegistrationCard, blocks.registration_card, console_text.registration_card),
        rendering(RegistrationList, blocks.registration_list, console_text.registration_list),
        rendering(TeamDigest, render_digest, digest_text),
        rendering(FiguresDigest, render_digest, digest_text),
        # the Ervaringwijzer
        rendering(SurveyLink, blocks.survey_link, plain(messages.survey_link_text)),
        rendering(
            SurveyRemark, text_only(messages.survey_remark_text), plain(messages.survey_remark_text)
        ),
        # voice
        rendering(VoiceTranscript, blocks.voice_transcript, console_text.voice_transcript),
        # everything else
        rendering(Notice, text_only(messages.notice_text), plain(messages.notice_text)),
    ]
)

_UNRENDERED = sorted(
    kind
    for kind, message_type in MESSAGE_TYPES.items()
    if message_type.channel_kind == "chat" and message_type not in RENDERINGS
)
if _UNRENDERED:
    raise TypeError(f"chat messages without a rendering in bot/render/rendering.py: {_UNRENDERED}")


def _of(message: Message) -> Rendering[Any]:
    found = RENDERINGS.get(type(message))
    if found is None:  # a mail or SMS handed to a chat sender
        raise TypeError(f"{message.kind} is not a chat message")
    return found


def slack(message: Message) -> SlackMessage:
    """Slack's text, blocks and upload for one message."""
    return _of(message).slack(message)


def console(message: Message) -> str:
    """The console's text for one message."""
    return _of(message).console(message)
