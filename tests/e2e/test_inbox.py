"""The inbox over HTTP: a request is stored before its ack, handled once by a worker, taken
again after a crash, and handed back by a clean stop (bot/workers/inbox.py, models/inbox.py)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from slack_bolt import Ack
from sqlmodel import select
from starlette.testclient import TestClient

from bot.slack.inbox import InboxSocketModeHandler
from bot.web.server import inbox_for, starlette_app
from bot.web.slack_http import dispatcher
from bot.workers.inbox import InboxWorkers
from models.inbox import INBOX, claim, record
from models.statuses import InboxStatus
from models.tables import Question
from tests.e2e.conftest import SlackHarness
from tests.fakes.socket_mode import FakeSocketModeServer
from tests.helpers import ASKER, chat_id
from tests.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    command_body,
    event_body,
    message_event,
    retry_headers,
    signed_headers,
)

QUESTION = "Wie weet hoe de WSNP werkt bij schulden en bewindvoering?"


def _eventually(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _rows(slack: SlackHarness) -> list[sa.Row[tuple[object, ...]]]:
    with slack.deps.engine.connect() as connection:
        return list(connection.execute(sa.select(INBOX).order_by(INBOX.c.id)).all())


def _questions(slack: SlackHarness) -> int:
    with slack.deps.sessions() as session:
        return len(session.exec(select(Question)).all())


def _question_event(slack: SlackHarness, event_id: str) -> str:
    event = message_event(
        QUESTION, user=chat_id(ASKER), channel="D" + chat_id(ASKER), ts=slack.next_ts()
    )
    return event_body(event, event_id=event_id)


def test_an_event_is_stored_acked_and_handled_once_despite_retries(slack: SlackHarness) -> None:
    body = _question_event(slack, "EvINBOX1")
    inbox = inbox_for(slack.app, slack.deps)
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps, inbox=inbox)) as client:
        first = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
        assert first.status_code == 200
        again = {**signed_headers(body, JSON), **retry_headers(1)}
        assert client.post("/slack/events", content=body, headers=again).status_code == 200
        assert _eventually(lambda: _rows(slack)[0].status == InboxStatus.DONE)
        metrics = client.get("/metrics").text
    rows = _rows(slack)
    assert len(rows) == 1 and rows[0].key == "event:EvINBOX1" and rows[0].kind == "event"
    assert rows[0].body is None  # client data is gone once handled
    assert _questions(slack) == 1
    assert 'vraagbaak_inbox_requests{status="done"} 1.0' in metrics
    assert "vraagbaak_inbox_oldest_pending_seconds 0.0" in metrics
    assert 'vraagbaak_inbox_processing_seconds_count{kind="event",outcome="done"} 1.0' in metrics


def test_a_command_is_answered_with_its_ack_text_from_the_stored_row(
    slack: SlackHarness,
) -> None:
    body = command_body("/vraag", "", user_id=chat_id(ASKER), trigger_id="trigger-inbox-1")
    inbox = inbox_for(slack.app, slack.deps)
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps, inbox=inbox)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, FORM))
    assert response.status_code == 200 and "/vraag" in response.text  # the help text
    rows = _rows(slack)
    assert [(r.kind, r.status, r.body) for r in rows] == [("command", InboxStatus.DONE, None)]


def test_a_row_left_by_a_crashed_process_is_taken_again(slack: SlackHarness) -> None:
    """A process stored and claimed the request, acked it and died: once its lease has run
    out, another instance handles the request."""
    now = datetime.now(UTC)
    with slack.deps.engine.begin() as connection:
        record(
            connection,
            key="event:EvCRASHED",
            kind="event",
            body=_question_event(slack, "EvCRASHED"),
            content_type=JSON,
            now=now - timedelta(minutes=2),
            claimed_by="crashed-host:1:abc",
            lease=timedelta(seconds=60),
        )
    inbox = inbox_for(slack.app, slack.deps)
    inbox.start()
    try:
        assert _eventually(lambda: _rows(slack)[0].status == InboxStatus.DONE)
    finally:
        inbox.stop(5)
    assert _questions(slack) == 1
    assert _rows(slack)[0].attempts == 2


def test_a_clean_stop_hands_back_what_it_holds(slack: SlackHarness) -> None:
    inbox = inbox_for(slack.app, slack.deps)
    now = datetime.now(UTC)
    with slack.deps.engine.begin() as connection:
        record(
            connection,
            key="event:EvHELD",
            kind="event",
            body=_question_event(slack, "EvHELD"),
            content_type=JSON,
            now=now,
            claimed_by=inbox.instance,
            lease=timedelta(minutes=10),
        )
    assert inbox.stop(1) == 1
    with slack.deps.engine.begin() as connection:  # another instance may take it at once
        taken = claim(connection, worker="other", now=now, lease=timedelta(seconds=60))
    assert taken is not None and taken.attempts == 1
    assert _questions(slack) == 0


def test_a_stopping_process_refuses_with_503_so_slack_retries(slack: SlackHarness) -> None:
    body = _question_event(slack, "EvLATE")
    inbox = inbox_for(slack.app, slack.deps)
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps, inbox=inbox)) as client:
        inbox.stop(1)
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
    assert response.status_code == 503
    assert _rows(slack) == []


def test_a_click_is_answered_when_its_listener_acks_not_when_it_ends(
    slack: SlackHarness,
) -> None:
    """The ack goes back while the listener still works (here: waits for the test); the row is
    done only once the listener has returned."""
    release = threading.Event()

    @slack.app.command("/traag")
    def _slow(ack: Ack) -> None:
        ack(text="Komt eraan")
        release.wait(30)

    body = command_body("/traag", "", user_id=chat_id(ASKER), trigger_id="trigger-inbox-slow")
    inbox = inbox_for(slack.app, slack.deps)
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps, inbox=inbox)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, FORM))
        assert response.status_code == 200 and "Komt eraan" in response.text
        assert _rows(slack)[0].status == InboxStatus.PENDING  # the listener still runs
        release.set()
        assert _eventually(lambda: _rows(slack)[0].status == InboxStatus.DONE)


def test_socket_mode_goes_through_the_inbox(slack: SlackHarness) -> None:
    inbox = inbox_for(slack.app, slack.deps)
    inbox.start()
    with FakeSocketModeServer() as server:
        slack.api.socket_mode_url = server.url  # type: ignore[attr-defined]
        handler = InboxSocketModeHandler(slack.app, "xapp-test", inbox)
        handler.client.ping_interval = 30
        handler.connect()
        try:
            for attempt in range(2):  # Slack sends an unacknowledged envelope again
                server.send(
                    {
                        "envelope_id": f"env-{attempt}",
                        "type": "events_api",
                        "accepts_response_payload": False,
                        "retry_attempt": attempt,
                        "retry_reason": "timeout" if attempt else "",
                        "payload": json.loads(_question_event(slack, "EvSOCKETINBOX")),
                    }
                )
            acked = {"env-0", "env-1"}
            assert _eventually(lambda: acked <= {a.get("envelope_id") for a in server.acks})
            assert _eventually(lambda: _rows(slack)[0].status == InboxStatus.DONE)
        finally:
            handler.close()
            inbox.stop(5)
    assert [r.key for r in _rows(slack)] == ["event:EvSOCKETINBOX"]
    assert _questions(slack) == 1


def test_a_request_the_database_cannot_store_is_refused_so_slack_retries(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    body = _question_event(slack, "EvNODB")
    gone = sa.create_engine(f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/x")
    inbox = InboxWorkers(gone, dispatcher(slack.app), bulk_threads=1)
    with TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps, inbox=inbox)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
    assert response.status_code == 503
    assert all(record.exc_info is None for record in caplog.records if "inbox" in record.name)
    assert _questions(slack) == 0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
