"""Socket Mode: the same app, reached over a WebSocket instead of signed HTTP requests."""

from __future__ import annotations

import json
import time

from slack_bolt.adapter.socket_mode import SocketModeHandler

from tests.e2e.conftest import SlackHarness
from tests.fakes.socket_mode import FakeSocketModeServer
from tests.helpers import ASKER, chat_id
from tests.slack_requests import event_body, message_event


def _wait(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_a_question_over_socket_mode_is_acked_and_routed(slack: SlackHarness) -> None:
    with FakeSocketModeServer() as server:
        slack.api.socket_mode_url = server.url  # type: ignore[attr-defined]
        handler = SocketModeHandler(slack.app, "xapp-test", web_client=slack.app.client)
        handler.client.ping_interval = 30
        handler.connect()
        try:
            event = message_event(
                "Wie weet hoe de WSNP werkt bij schulden en bewindvoering?",
                user=chat_id(ASKER),
                channel="D" + chat_id(ASKER),
                ts=slack.next_ts(),
            )
            server.send(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                    "retry_reason": "",
                    "payload": json.loads(event_body(event, event_id="EvSOCKET1")),
                }
            )
            assert _wait(lambda: any(a.get("envelope_id") == "env-1" for a in server.acks))
            invited = lambda: [  # noqa: E731
                b for b in slack.posted("U") if "Ik pak hem op" in str(b.get("blocks"))
            ]
            assert _wait(lambda: len(invited()) == 3)
        finally:
            handler.close()
