"""A listener that fails: the colleague gets a polite Dutch reply, the log gets no client text."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot.messages import LISTENER_FAILED
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id
from tests.slack_requests import message_event

QUESTION = "Mevrouw Jansen (06-12345678) heeft schulden; wie weet iets van budgetbeheer?"


def test_a_failing_listener_answers_politely_and_logs_no_client_text(
    slack: SlackHarness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError(f"kapot bij {QUESTION}")

    monkeypatch.setattr(slack.deps.dispatcher, "ask", broken)
    caplog.set_level(logging.INFO)
    event = message_event(
        QUESTION, user=chat_id(ASKER), channel="D" + chat_id(ASKER), ts=slack.next_ts()
    )
    slack.event(event, event_id="EvBROKEN1")
    slack.event(event, event_id="EvBROKEN1")  # Slack's retry: one reply, not two
    replies = [p for p in slack.posted("D" + chat_id(ASKER)) if p["text"] == LISTENER_FAILED]
    assert len(replies) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("bot"))
    assert "RuntimeError" in logged
    assert "Jansen" not in logged and "06-12345678" not in logged
