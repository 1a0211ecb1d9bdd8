"""HTTP mode: the same signed requests through Starlette's ASGI app at /slack/events."""

from __future__ import annotations

import json

from sqlmodel import select
from starlette.testclient import TestClient

from bot.web.server import starlette_app
from models.tables import Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id
from tests.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    event_body,
    message_event,
    signed_headers,
)


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
    with TestClient(starlette_app(slack.app, SIGNING_SECRET)) as client:
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
    with TestClient(starlette_app(slack.app, SIGNING_SECRET)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
    assert response.status_code == 200 and "c-123" in response.text


QUESTION = "Wie weet hoe de WSNP werkt bij schulden en bewindvoering?"


def _post(client: TestClient, body: str, content_type: str = JSON, *, signed: bool = True) -> int:
    headers = signed_headers(body, content_type) if signed else {"content-type": content_type}
    return client.post("/slack/events", content=body, headers=headers).status_code


def test_clean_edges_unsigned_malformed_and_ignored(slack: SlackHarness) -> None:
    """401 before any parsing, 400 for a signed body Slack would never send, 200 for a
    well-formed event nobody listens to (Slack retries anything else), 413 past the cap."""
    ignored = json.dumps(
        {
            "type": "event_callback",
            "event_id": "EvIGNORED",
            "event": {"type": "reaction_added", "user": chat_id(ASKER), "reaction": "+1"},
        }
    )
    with TestClient(starlette_app(slack.app, SIGNING_SECRET), raise_server_exceptions=False) as c:
        assert _post(c, "{not json", signed=False) == 401
        assert _post(c, "[1, 2]", signed=False) == 401
        assert _post(c, "{not json") == 400
        assert _post(c, "[1, 2]") == 400
        assert _post(c, "payload=%7Bnope", FORM) == 400
        assert _post(c, "payload=%5B%5D", FORM) == 400
        assert _post(c, "a=b&c=d", FORM) == 400
        assert _post(c, ignored) == 200
        huge = json.dumps({"type": "event_callback", "pad": "x" * 1_100_000})
        assert _post(c, huge) == 413
    assert slack.api.calls == []


def test_system_messages_and_slackbot_are_never_questions(slack: SlackHarness) -> None:
    channel = "D" + chat_id(ASKER)
    events = [
        message_event(
            QUESTION, user=chat_id(ASKER), channel=channel, ts=slack.next_ts(), subtype=kind
        )
        for kind in ("channel_archive", "channel_topic", "huddle_thread", "assistant_app_thread")
    ]
    events.append(message_event(QUESTION, user="USLACKBOT", channel=channel, ts=slack.next_ts()))
    for event in events:
        assert slack.event(event).status == 200
    assert slack.api.calls == []
    with slack.deps.sessions() as session:
        assert session.exec(select(Question)).all() == []


def test_metrics_count_requests_and_read_the_backlog(slack: SlackHarness) -> None:
    body = event_body(
        message_event(
            QUESTION, user=chat_id(ASKER), channel="D" + chat_id(ASKER), ts=slack.next_ts()
        ),
        event_id="EvMETRICS",
    )
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps)) as client:
        assert _post(client, body) == 200
        assert _post(client, "[1]") == 400
        text = client.get("/metrics").text
    assert 'vraagbaak_slack_requests_total{kind="event",status="200"} 1.0' in text
    assert 'vraagbaak_slack_requests_total{kind="other",status="400"} 1.0' in text
    assert 'vraagbaak_slack_ack_seconds_count{kind="event"} 1.0' in text
    assert 'vraagbaak_outbox_messages{status="sent"}' in text  # delivered inline in tests
    assert 'vraagbaak_questions{status="open"} 1.0' in text
    assert "vraagbaak_outbox_oldest_pending_seconds 0.0" in text
    assert QUESTION not in text and chat_id(ASKER) not in text
