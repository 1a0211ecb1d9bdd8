"""Slack payloads → plain values the domain understands. Nothing here talks to Slack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The message subtypes a person writes a question with: a plain message (no subtype), one with
# files (a voice clip, a screenshot) and a thread reply also sent to the channel. Everything
# else — edits, deletions, joins, topics, archives, huddle and assistant threads, bots — is a
# system event, whatever text it carries (an allow-list: Slack adds subtypes over time).
ACCEPTED_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})
# Slackbot writes in every workspace (reminders, auto-responses); it is nobody's question.
SLACKBOT = "USLACKBOT"


@dataclass(frozen=True)
class SlackMessage:
    user: str
    channel: str
    ts: str
    thread_ts: str | None
    text: str
    is_direct: bool

    @property
    def source_key(self) -> str:
        return f"slack:{self.channel}:{self.ts}"


def is_from_bot(event: dict[str, Any]) -> bool:
    return bool(
        event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message"
    )


def to_message(event: dict[str, Any]) -> SlackMessage | None:
    """The message a person wrote, or None for everything we ignore by design."""
    if is_from_bot(event) or event.get("subtype") not in ACCEPTED_SUBTYPES:
        return None
    if event.get("user") == SLACKBOT:
        return None
    user, channel, ts = event.get("user"), event.get("channel"), event.get("ts")
    if not (user and channel and ts):
        return None
    return SlackMessage(
        user=str(user),
        channel=str(channel),
        ts=str(ts),
        thread_ts=str(event["thread_ts"]) if event.get("thread_ts") else None,
        text=str(event.get("text") or ""),
        is_direct=event.get("channel_type") == "im" or str(channel).startswith("D"),
    )


def action_of(body: dict[str, Any]) -> dict[str, Any]:
    actions = body.get("actions") or [{}]
    action: dict[str, Any] = actions[0]
    return action


def user_of(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id") or "")


def channel_of(body: dict[str, Any]) -> str:
    return str((body.get("channel") or {}).get("id") or body.get("channel_id") or "")
