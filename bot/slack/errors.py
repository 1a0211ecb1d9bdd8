"""What the Slack app does when a listener fails: a polite Dutch reply, and a log line that holds
the error's type and where it happened, never the request or the error's text (either may quote
what a colleague typed about a client)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.context.respond import Respond

from bot.messages import LISTENER_FAILED
from bot.slack.notices import send_notice
from bot.slack.payloads import channel_of, user_of
from bot.wiring import Deps

log = logging.getLogger(__name__)

ErrorHandler = Callable[[Exception, dict[str, Any], BoltContext, "Respond | None"], None]


def _kind(body: dict[str, Any]) -> str:
    if body.get("command"):
        return f"command {body['command']}"
    event = body.get("event") or {}
    if event:
        return f"event {event.get('type')}"
    return f"interaction {body.get('type')}"


def _cause(body: dict[str, Any]) -> str | None:
    """What names the failed request, for the notice's outbox key (Slack retries it)."""
    actions = body.get("actions") or [{}]
    cause = body.get("event_id") or body.get("trigger_id") or actions[0].get("action_ts")
    return str(cause) if cause else None


def polite_errors(deps: Deps) -> ErrorHandler:
    """The handler for `@app.error`."""

    def on_error(
        error: Exception, body: dict[str, Any], context: BoltContext, respond: Respond | None
    ) -> None:
        frames = "".join(traceback.format_tb(error.__traceback__))
        log.error(
            "unhandled %s in a Slack listener for %s\n%s", type(error).__name__, _kind(body), frames
        )
        event = body.get("event") or {}
        user = user_of(body) or str(event.get("user") or context.user_id or "")
        if not user:
            return
        try:
            if respond is not None and context.response_url:
                respond(text=LISTENER_FAILED, response_type="ephemeral", replace_original=False)
                return
            cause = _cause(body)
            if cause is None:
                return
            channel = channel_of(body) or str(event.get("channel") or "")
            thread = event.get("thread_ts") or event.get("ts")
            key = f"notice:error:{cause}"
            send_notice(deps, channel, user, LISTENER_FAILED, thread and str(thread), key=key)
        except Exception as failed:  # the reply is a courtesy; the error is already logged
            log.warning("the polite reply to a failed listener failed: %s", type(failed).__name__)

    return on_error
