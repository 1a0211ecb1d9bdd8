"""Slack payloads → plain values the domain understands. Nothing here talks to Slack."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

IGNORED_SUBTYPES = {
    "message_changed",  # edits: the question was taken in as first sent
    "message_deleted",
    "message_replied",
    "bot_message",
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "pinned_item",
    "unpinned_item",
    "ekm_access_denied",
}


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
    if is_from_bot(event) or event.get("subtype") in IGNORED_SUBTYPES:
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
