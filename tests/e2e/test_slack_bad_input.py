"""Bad input gets a clear Dutch reply or is ignored by design, and never breaks the app."""

from __future__ import annotations

import time

from sqlmodel import select

from bot import ids
from models.tables import Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id, invitations, only_question
from tests.slack_requests import JSON, bolt_request, event_body, message_event

QUESTION = "Wie weet hoe beschermingsbewind en budgetbeheer werken bij iemand met veel schulden?"


def _questions(slack: SlackHarness) -> list[Question]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(Question)).all())


def _last_reply(slack: SlackHarness) -> str:
    return str(slack.posted("D" + chat_id(ASKER))[-1]["text"])


def test_empty_and_emoji_only_messages_get_a_dutch_hint(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, "   ").status == 200
    assert "leeg" in _last_reply(slack)
    assert slack.dm(ASKER, ":smile: :thumbsup: 🎉").status == 200
    assert "Ik zie geen vraag" in _last_reply(slack)
    assert _questions(slack) == []


def test_a_ten_thousand_character_message_is_refused_politely(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, "schulden " * 1200).status == 200
    assert "te lang" in _last_reply(slack)
    assert _questions(slack) == []


def test_an_unknown_user_is_told_how_to_join(slack: SlackHarness) -> None:
    event = message_event(QUESTION, user="UNOBODY", channel="DUNOBODY", ts=slack.next_ts())
    assert slack.event(event).status == 200
    assert "ken je nog niet" in slack.posted("DUNOBODY")[-1]["text"]
    assert _questions(slack) == []


def test_bot_edited_and_deleted_messages_are_ignored(slack: SlackHarness) -> None:
    channel = "D" + chat_id(ASKER)
    bot = message_event(
        QUESTION,
        user=None,
        channel=channel,
        ts=slack.next_ts(),
        subtype="bot_message",
        bot_id="B0OTHER",
    )
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel": channel,
        "channel_type": "im",
        "ts": slack.next_ts(),
        "message": {
            "type": "message",
            "user": chat_id(ASKER),
            "text": QUESTION,
            "ts": slack.next_ts(),
        },
    }
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "channel_type": "im",
        "ts": slack.next_ts(),
        "deleted_ts": "1.2",
    }
    for event in (bot, edited, deleted):
        assert slack.event(event).status == 200
    assert slack.api.calls == []
    assert _questions(slack) == []


def test_a_button_pressed_twice_counts_once(slack: SlackHarness) -> None:
    slack.dm(ASKER, QUESTION)
    with slack.deps.sessions() as session:
        first = invitations(session)[0]
    slack.click(first.member_id, ids.ACCEPT, str(first.id))
    calls = len(slack.api.calls)
    assert slack.click(first.member_id, ids.ACCEPT, str(first.id)).status == 200
    assert len(slack.api.calls) == calls
    with slack.deps.sessions() as session:
        assert only_question(session).taken_by == first.member_id


def test_a_button_on_an_answered_question(slack: SlackHarness) -> None:
    slack.dm(ASKER, QUESTION)
    with slack.deps.sessions() as session:
        first, second, _ = invitations(session)
    slack.click(first.member_id, ids.ACCEPT, str(first.id))
    slack.click(second.member_id, ids.DECLINE, str(second.id))
    assert "al gereageerd" in slack.posted("D" + chat_id(second.member_id))[-1]["text"]
    slack.click(second.member_id, ids.ACCEPT, "not-a-number")
    assert "begrijp ik niet" in slack.posted("D" + chat_id(second.member_id))[-1]["text"]
    slack.click(second.member_id, ids.ACCEPT, str(first.id))
    assert "voor een collega" in slack.posted("D" + chat_id(second.member_id))[-1]["text"]


def test_injection_in_a_question_is_escaped(slack: SlackHarness) -> None:
    slack.dm(ASKER, QUESTION + " <!channel> <@U0BOSS> <https://evil.example|gemeente.nl>")
    invite = next(b for b in slack.posted("U") if "Ik pak hem op" in str(b.get("blocks")))
    blocks = str(invite["blocks"])
    assert "<!channel>" not in blocks and "<@U0BOSS>" not in blocks
    assert "&lt;!channel&gt;" in blocks and "&lt;https://evil.example|gemeente.nl&gt;" in blocks


def test_an_expired_signature_is_rejected(slack: SlackHarness) -> None:
    body = event_body(
        message_event(
            QUESTION, user=chat_id(ASKER), channel="D" + chat_id(ASKER), ts=slack.next_ts()
        ),
        event_id="EvOLD",
    )
    response = slack.app.dispatch(bolt_request(body, JSON, timestamp=int(time.time()) - 3600))
    assert response.status == 401
    assert _questions(slack) == []


def test_a_hint_survives_a_slack_failure_and_is_sent_once_for_a_retried_event(
    slack: SlackHarness,
) -> None:
    from datetime import timedelta

    from tests.slack_requests import retry_headers

    event = message_event(QUESTION, user="UNOBODY", channel="DUNOBODY", ts=slack.next_ts())
    slack.api.fail_next("chat.postMessage", status=500)
    assert slack.event(event).status == 200
    assert slack.posted("DUNOBODY") == []  # Slack failed: the hint waits in the outbox
    assert slack.event(event, headers=retry_headers(1)).status == 200
    slack.clock.advance(timedelta(seconds=5))
    slack.deps.tick()
    hints = slack.posted("DUNOBODY")
    assert len(hints) == 1 and "ken je nog niet" in hints[0]["text"]
