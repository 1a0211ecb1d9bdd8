"""HTTP mode: the same signed requests through Starlette's ASGI app at /slack/events."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from bot.server import starlette_app
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id
from tests.slack_requests import JSON, event_body, message_event, signed_headers


def test_a_question_over_http_is_acked_and_routed(slack: SlackHarness) -> None:
    body = event_body(
        message_event(
            "Wie weet hoe de WSNP werkt bij schulden en bewindvoering?",
            user=chat_id(ASKER),
            channel="D" + chat_id(ASKER),
            ts=slack.next_ts(),
        ),
        event_id="EvHTTP1",
    )
    with TestClient(starlette_app(slack.app)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
        assert response.status_code == 200
        forged = client.post(
            "/slack/events",
            content=body,
            headers={**signed_headers(body, JSON), "x-slack-signature": "v0=00"},
        )
        assert forged.status_code == 401
        assert client.get("/healthz").text == "ok"
    invites = [b for b in slack.posted("U") if "Ik pak hem op" in str(b.get("blocks"))]
    assert len(invites) == 3


def test_url_verification_echoes_the_challenge(slack: SlackHarness) -> None:
    body = json.dumps({"token": "x", "challenge": "c-123", "type": "url_verification"})
    with TestClient(starlette_app(slack.app)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
    assert response.status_code == 200 and "c-123" in response.text
