from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

import pytest
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.slack.app import build_app
from bot.slack.sender import SlackChatSender
from bot.wiring import Deps
from models.clock import FixedClock
from tests.fakes.slack_api import FakeSlackApi
from tests.helpers import chat_id, make_deps
from tests.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    action_body,
    block_action_payload,
    bolt_request,
    command_body,
    event_body,
    message_event,
    view_submission_payload,
)


@dataclass
class SlackHarness:
    """Drives the real Bolt app with signed requests; the fake Web API records what it says."""

    app: App
    api: FakeSlackApi
    deps: Deps
    clock: FixedClock
    _ids: Any = field(default_factory=lambda: count(1))

    def next_ts(self) -> str:
        return f"1764000000.{next(self._ids):06d}"

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> BoltResponse:
        body = event_body(event, event_id=event_id or f"Ev{next(self._ids):08d}")
        return self.app.dispatch(bolt_request(body, JSON, headers_extra=headers))

    def dm(
        self,
        member_id: str,
        text: str,
        *,
        ts: str | None = None,
        thread_ts: str | None = None,
        **extra: Any,
    ) -> BoltResponse:
        event = message_event(
            text,
            user=chat_id(member_id),
            channel="D" + chat_id(member_id),
            ts=ts or self.next_ts(),
            thread_ts=thread_ts,
            **extra,
        )
        return self.event(event)

    def click(
        self,
        member_id: str,
        action_id: str,
        value: str = "",
        *,
        block_id: str = "vb_actions",
        selected_user: str | None = None,
    ) -> BoltResponse:
        payload = block_action_payload(
            action_id,
            value,
            user_id=chat_id(member_id),
            channel_id="D" + chat_id(member_id),
            message_ts=self.next_ts(),
            block_id=block_id,
        )
        if selected_user is not None:
            action = payload["actions"][0]
            action.update(type="users_select", selected_user=selected_user)
            action.pop("value", None)
        return self.app.dispatch(bolt_request(action_body(payload), FORM))

    def choose(self, member_id: str, action_id: str, value: str, label: str = "") -> BoltResponse:
        """Pick an option of a static select on a bot message (a `block_actions` payload)."""
        payload = block_action_payload(
            action_id,
            value,
            user_id=chat_id(member_id),
            channel_id="D" + chat_id(member_id),
            message_ts=self.next_ts(),
            type="static_select",
            selected_option={
                "text": {"type": "plain_text", "text": label or value},
                "value": value,
            },
        )
        for action in payload["actions"]:
            action.pop("value", None)
            action.pop("text", None)
        return self.app.dispatch(bolt_request(action_body(payload), FORM))

    def command(self, member_id: str, text: str, command: str = "/vraag") -> BoltResponse:
        body = command_body(
            command, text, user_id=chat_id(member_id), trigger_id=f"trigger-{next(self._ids)}"
        )
        return self.app.dispatch(bolt_request(body, FORM))

    def submit(
        self, member_id: str, callback_id: str, values: dict[str, Any], private_metadata: str = ""
    ) -> BoltResponse:
        """Press the submit button of a modal (a `view_submission`)."""
        payload = view_submission_payload(
            callback_id,
            values,
            user_id=chat_id(member_id),
            view_id=f"V{next(self._ids):08d}",
            private_metadata=private_metadata,
        )
        return self.app.dispatch(bolt_request(action_body(payload), FORM))

    def posted(self, channel_prefix: str = "") -> list[dict[str, Any]]:
        return [
            b
            for b in self.api.called("chat.postMessage", include_failed=False)
            if str(b.get("channel", "")).startswith(channel_prefix)
        ]

    def all_text(self) -> str:
        """Everything the bot sent to Slack, as one string (for privacy assertions)."""
        return "\n".join(json.dumps(c.body, ensure_ascii=False) for c in self.api.calls)


def wired_app(deps: Deps, client: WebClient) -> App:
    """The Bolt app as the server wires it: its after-delivery hooks (the App Home refresh,
    voice expiry) handed to the delivery worker."""
    slack = build_app(
        deps, client=client, signing_secret=SIGNING_SECRET, process_before_response=True
    )
    deps.on_delivered.extend(slack.after_delivery)
    return slack.bolt


@pytest.fixture
def slack_api() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as api:
        yield api


@pytest.fixture
def slack(db: Engine, clock: FixedClock, slack_api: FakeSlackApi) -> SlackHarness:
    client = WebClient(token="xoxb-test", base_url=slack_api.base_url)
    deps = make_deps(db, clock, feedback_hash_key="e2e-hash-key")
    deps.attach_sender(SlackChatSender(client))
    app = wired_app(deps, client)
    slack_api.reset()  # after the app's own start-up calls (auth.test)
    return SlackHarness(app, slack_api, deps, clock)
