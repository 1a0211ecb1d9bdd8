"""Signed Slack requests for driving the real Bolt app in tests, the way bolt-python's tests do.

Bodies are encoded exactly as Slack sends them (Events API: JSON; interactivity: `payload=` +
url-encoded JSON; slash commands: a raw form string) and signed with the real
`SignatureVerifier`, so the App's own request verification checks them.

    resp = app.dispatch(bolt_request(event_body(message_event("hoi", ...), event_id="Ev1"), JSON))
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from slack_bolt import BoltRequest
from slack_sdk.signature import SignatureVerifier

from tests.fakes.slack_api import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

SIGNING_SECRET = "test-signing-secret"
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
TRIGGER_ID = "1700000000001.1700000000.0123456789abcdef0123456789abcdef"
_MENTION = re.compile(r"(<@[UW][A-Z0-9]+>)")


def signed_headers(
    body: str, content_type: str, *, timestamp: int | None = None, secret: str = SIGNING_SECRET
) -> dict[str, str]:
    """Content-type, x-slack-signature and x-slack-request-timestamp (default: now) for `body`."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
    if signature is None:
        raise ValueError("no signature without a timestamp and a body")
    return {
        "content-type": content_type,
        "x-slack-request-timestamp": ts,
        "x-slack-signature": signature,
    }


def retry_headers(num: int, reason: str = "http_timeout") -> dict[str, str]:
    """The headers Slack adds when it re-delivers an event it thinks we did not receive."""
    return {"x-slack-retry-num": str(num), "x-slack-retry-reason": reason}


def bolt_request(
    body: str,
    content_type: str,
    *,
    headers_extra: dict[str, str] | None = None,
    timestamp: int | None = None,
    secret: str = SIGNING_SECRET,
) -> BoltRequest:
    """A signed HTTP-mode BoltRequest, ready for `app.dispatch()`."""
    headers = signed_headers(body, content_type, timestamp=timestamp, secret=secret)
    return BoltRequest(body=body, headers={**headers, **(headers_extra or {})})


# -- Events API ------------------------------------------------------------------------------
def event_body(
    event: dict[str, Any],
    *,
    event_id: str,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    event_time: int | None = None,
) -> str:
    """A JSON `event_callback` envelope (send with content-type JSON)."""
    if event_time is None:
        event_time = int(float(event.get("event_ts") or time.time()))
    channel = event.get("channel", "")
    envelope = {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event['type']}-{team_id}-{channel}",
    }
    return json.dumps(envelope)


def _rich_text(text: str) -> list[dict[str, Any]]:
    elements = [
        {"type": "user", "user_id": part[2:-1]}
        if _MENTION.fullmatch(part)
        else {"type": "text", "text": part}
        for part in _MENTION.split(text)
        if part
    ]
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": "vb0", "elements": [section]}]


def message_event(
    text: str,
    *,
    user: str | None,
    channel: str,
    channel_type: str = "im",
    ts: str,
    thread_ts: str | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> dict[str, Any]:
    """A `message` event (a DM by default; channel_type "channel" for public channels)."""
    event: dict[str, Any] = {"type": "message", "text": text, "ts": ts, "team": TEAM_ID}
    if subtype is None and bot_id is None:
        event["client_msg_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{channel}/{ts}"))
        event["blocks"] = _rich_text(text)
    if user is not None:
        event["user"] = user
    if subtype is not None:
        event["subtype"] = subtype
    if bot_id is not None:
        event["bot_id"] = bot_id
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    event |= {"channel": channel, "event_ts": ts, "channel_type": channel_type}
    return event


def app_mention_event(
    text: str, *, user: str, channel: str, ts: str, thread_ts: str | None = None
) -> dict[str, Any]:
    """An `app_mention` event; put `<@U0BOT>` in `text` as Slack does."""
    event: dict[str, Any] = {"type": "app_mention", "text": text, "user": user, "ts": ts}
    event["client_msg_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{channel}/{ts}"))
    event |= {"team": TEAM_ID, "blocks": _rich_text(text), "channel": channel, "event_ts": ts}
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    return event


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else "team"


# -- Interactivity and slash commands ----------------------------------------------------------
def action_body(payload: dict[str, Any]) -> str:
    """An interactivity body: `payload=` + url-encoded JSON (send with content-type FORM)."""
    return f"payload={quote(json.dumps(payload))}"


def command_body(
    command: str,
    text: str,
    *,
    user_id: str,
    channel_id: str = "C0TEAM",
    trigger_id: str = TRIGGER_ID,
) -> str:
    """A slash-command body: the raw form string Slack posts (send with content-type FORM)."""
    fields = {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "vraagbaak-test",
        "channel_id": channel_id,
        "channel_name": _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": f"https://hooks.slack.com/commands/{TEAM_ID}/1700000000001/vraagbaak",
        "trigger_id": trigger_id,
    }
    return urlencode(fields)


def block_action_payload(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel_id: str,
    message_ts: str,
    action_ts: str | None = None,
    block_id: str = "vb_actions",
    message_text: str = "Vraagbaak",
    **action_fields: Any,
) -> dict[str, Any]:
    """A `block_actions` payload for a button click on a bot message (wrap with action_body).

    `action_fields` extend or replace the action, e.g. `type="users_select", selected_user="U2"`.
    """
    button: dict[str, Any] = {"type": "button", "action_id": action_id, "value": value}
    button["text"] = {"type": "plain_text", "text": value, "emoji": True}
    button |= action_fields
    message: dict[str, Any] = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID}
    message |= {"app_id": APP_ID, "text": message_text, "ts": message_ts, "team": TEAM_ID}
    message["blocks"] = [{"type": "actions", "block_id": block_id, "elements": [button]}]
    container = {"type": "message", "message_ts": message_ts, "channel_id": channel_id}
    user = {"id": user_id, "username": user_id.lower(), "name": user_id.lower()}
    return {
        "type": "block_actions",
        "user": user | {"team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": container | {"is_ephemeral": False},
        "trigger_id": TRIGGER_ID,
        "team": {"id": TEAM_ID, "domain": "vraagbaak-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "message": message,
        "state": {"values": {}},
        "response_url": f"https://hooks.slack.com/actions/{TEAM_ID}/1700000000002/vraagbaak",
        "actions": [
            button | {"block_id": block_id, "action_ts": action_ts or f"{time.time():.6f}"}
        ],
    }


def view_submission_payload(
    callback_id: str,
    values: dict[str, Any],
    *,
    user_id: str,
    view_id: str = "V0MODAL",
    private_metadata: str = "",
) -> dict[str, Any]:
    """A `view_submission` payload: the user pressed the modal's submit button."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "vraagbaak-test"},
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower()},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": TRIGGER_ID,
        "is_enterprise_install": False,
        "view": {
            "id": view_id,
            "team_id": TEAM_ID,
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
            "hash": f"{time.time():.6f}",
            "blocks": [],
        },
        "response_urls": [],
    }
