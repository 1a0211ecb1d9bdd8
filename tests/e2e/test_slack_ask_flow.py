"""Ask an expert, end to end: signed Slack requests in, recorded Web API calls out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot import ids
from models.tables import Answer, Invitation, Outbox, Question, Rating
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id, invitations, only_question
from tests.slack_requests import retry_headers

QUESTION = "Wie weet hoe beschermingsbewind en budgetbeheer werken bij iemand met veel schulden?"


def _ask(slack: SlackHarness, text: str = QUESTION) -> Question:
    assert slack.dm(ASKER, text).status == 200
    with slack.deps.sessions() as session:
        return only_question(session)


def _invited(slack: SlackHarness, question_id: int | None = None) -> list[Invitation]:
    with slack.deps.sessions() as session:
        return invitations(session, question_id)


def _delivered_ts(slack: SlackHarness, key: str) -> str:
    with slack.deps.sessions() as session:
        row = session.exec(select(Outbox).where(Outbox.key == key)).one()
    assert row.delivered_ts
    return row.delivered_ts


def _invitation_dms(slack: SlackHarness) -> list[dict[str, Any]]:
    return [b for b in slack.posted("U") if "Ik pak hem op" in str(b.get("blocks"))]


def test_a_dm_question_invites_three_experts_and_tells_the_asker(slack: SlackHarness) -> None:
    question = _ask(slack)
    invited = _invited(slack)
    assert len(invited) == 3
    assert ASKER not in {i.member_id for i in invited}
    dms = _invitation_dms(slack)
    assert sorted(b["channel"] for b in dms) == sorted(chat_id(i.member_id) for i in invited)
    assert "beschermingsbewind" in dms[0]["text"]
    to_asker = slack.posted("D" + chat_id(ASKER))
    assert len(to_asker) == 2
    assert all(message["thread_ts"] == question.reply_thread for message in to_asker)
    assert "voorgelegd aan" in to_asker[0]["text"]
    # the social map and the Buurtacademie answer at once, in the same thread
    assert "Op de sociale kaart" in to_asker[1]["text"]


def test_a_retried_event_is_handled_once(slack: SlackHarness) -> None:
    ts = slack.next_ts()
    assert slack.dm(ASKER, QUESTION, ts=ts).status == 200
    before = len(slack.api.calls)
    event = {
        "type": "message",
        "text": QUESTION,
        "user": chat_id(ASKER),
        "channel": "D" + chat_id(ASKER),
        "channel_type": "im",
        "ts": ts,
    }
    assert slack.event(event, headers=retry_headers(1)).status == 200
    assert slack.event(event, headers=retry_headers(2)).status == 200
    assert len(slack.api.calls) == before
    with slack.deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 1
        assert len(invitations(session)) == 3


def test_taking_answering_and_rating(slack: SlackHarness) -> None:
    question = _ask(slack)
    first, second, _ = _invited(slack)
    assert slack.click(first.member_id, ids.ACCEPT, str(first.id)).status == 200
    asker_msgs = slack.posted("D" + chat_id(ASKER))
    assert "pakt je vraag op" in asker_msgs[-1]["text"]
    updates = slack.api.called("chat.update")
    assert any("al opgepakt door een collega" in u["text"] for u in updates)
    # a second expert who presses the button later is told it is taken
    slack.click(second.member_id, ids.ACCEPT, str(second.id))
    ephemeral_or_dm = slack.posted("D" + chat_id(second.member_id))
    assert "al opgepakt" in ephemeral_or_dm[-1]["text"]

    invite_ts = _delivered_ts(slack, f"invitation:{first.id}")
    slack.dm(
        first.member_id, "Vraag bij de kantonrechter beschermingsbewind aan.", thread_ts=invite_ts
    )
    relay = slack.posted("D" + chat_id(ASKER))[-1]
    assert relay["thread_ts"] == question.reply_thread
    assert "kantonrechter" in relay["text"]
    assert ids.RATE in str(relay["blocks"])

    slack.click(ASKER, ids.RATE, f"{question.id}:4")
    slack.click(ASKER, ids.RATE, f"{question.id}:1")  # a second grade changes nothing
    with slack.deps.sessions() as session:
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == "closed" and stored.rating == 4
        rating = session.exec(select(Rating)).one()
        assert (rating.member_id, rating.score) == (first.member_id, 4)
        assert len(session.exec(select(Answer)).all()) == 1


def test_all_decline_and_the_next_wave_goes_out(slack: SlackHarness) -> None:
    _ask(slack)
    wave1 = _invited(slack)
    for invitation in wave1:
        slack.click(invitation.member_id, ids.DECLINE, str(invitation.id))
    everyone = _invited(slack)
    wave2 = [i for i in everyone if i.wave == 2]
    assert len(wave2) == 3
    assert not {i.member_id for i in wave2} & {i.member_id for i in wave1}
    assert "Nog niemand heeft je vraag opgepakt" in slack.posted("D" + chat_id(ASKER))[-1]["text"]


def test_nobody_answers_and_the_asker_is_told_honestly(slack: SlackHarness) -> None:
    question = _ask(slack)
    for _ in range(3):
        slack.clock.advance(timedelta(minutes=21))
        slack.deps.tick()
    with slack.deps.sessions() as session:
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == "unanswered"
        assert {i.state for i in invitations(session)} == {"expired"}
        assert len(invitations(session)) == 9
    assert (
        "niemand heeft je vraag kunnen oppakken" in slack.posted("D" + chat_id(ASKER))[-1]["text"]
    )


def test_a_forwarded_invitation_reaches_the_named_colleague(slack: SlackHarness) -> None:
    _ask(slack)
    first = _invited(slack)[0]
    colleague = "m050"
    slack.click(
        first.member_id,
        ids.FORWARD,
        block_id=f"invitation:{first.id}",
        selected_user=chat_id(colleague),
    )
    forwarded = [i for i in _invited(slack) if i.member_id == colleague]
    assert len(forwarded) == 1 and forwarded[0].forwarded_by == first.member_id
    to_colleague = _invitation_dms(slack)[-1]
    assert to_colleague["channel"] == chat_id(colleague)
    assert "doorgestuurd door" in to_colleague["text"]


def test_the_slash_command_asks_in_a_dm_thread(slack: SlackHarness) -> None:
    response = slack.command(ASKER, QUESTION)
    assert response.status == 200 and "Ik zoek collega's" in response.body
    with slack.deps.sessions() as session:
        question = only_question(session)
    assert question.reply_channel == chat_id(ASKER)
    assert len(_invitation_dms(slack)) == 3
    first = _invited(slack)[0]
    slack.click(first.member_id, ids.ACCEPT, str(first.id))
    received, suggestions, taken = [
        b for b in slack.posted() if b["channel"].endswith(chat_id(ASKER))
    ]
    assert received["channel"] == chat_id(ASKER) and "thread_ts" not in received
    thread = _delivered_ts(slack, f"question:{question.id}:received")
    assert suggestions["thread_ts"] == thread and "sociale kaart" in suggestions["text"]
    assert taken["channel"] == "D" + chat_id(ASKER)
    assert taken["thread_ts"] == thread


def test_a_channel_mention_keeps_the_privacy_notice_private(slack: SlackHarness) -> None:
    from tests.slack_requests import app_mention_event

    event = app_mention_event(
        "<@U0BOT> " + QUESTION + " Tel 06-12345678.",
        user=chat_id(ASKER),
        channel="C0TEAM",
        ts=slack.next_ts(),
    )
    assert slack.event(event).status == 200
    private = slack.api.called("chat.postEphemeral")  # the notice and the suggestions
    assert private and all(e["user"] == chat_id(ASKER) for e in private)
    assert "telefoonnummer" in private[0]["text"]
    assert [b for b in slack.api.called("chat.postMessage") if b["channel"] == "C0TEAM"] == []
    assert "06-12345678" not in slack.all_text()


def test_the_asker_can_withdraw_a_question_before_anyone_takes_it(slack: SlackHarness) -> None:
    question = _ask(slack)
    received = slack.posted("D" + chat_id(ASKER))[0]
    assert ids.CLOSE in str(received["blocks"])
    slack.click(ASKER, ids.CLOSE, str(question.id))
    with slack.deps.sessions() as session:
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == "closed"
        assert {i.state for i in invitations(session)} == {"withdrawn"}
    updates = slack.api.called("chat.update")
    assert len(updates) == 3 and all("Ik pak hem op" not in str(u["blocks"]) for u in updates)
    assert all("De vrager heeft deze vraag gesloten" in u["text"] for u in updates)
    first = _invited(slack)[0]
    slack.click(first.member_id, ids.ACCEPT, str(first.id))
    assert "afgehandeld" in slack.posted("D" + chat_id(first.member_id))[-1]["text"]


def test_a_slash_command_without_a_question_is_answered_in_the_ack(slack: SlackHarness) -> None:
    assert "/vraag je vraag" in slack.command(ASKER, "").body
    assert "leeg" in slack.command(ASKER, ":tada:").body
    assert "Ik zie geen vraag" in slack.command(ASKER, ":tada: 👍 ok").body
    assert slack.api.called("chat.postMessage") == []


def test_acute_danger_in_slack_gives_the_numbers_first_and_marks_the_invitations(
    slack: SlackHarness,
) -> None:
    _ask(slack, "Klant appt me net dat ze er een eind aan wil maken, ze is alleen thuis. Wat nu?")
    first_reply = slack.posted("D" + chat_id(ASKER))[0]["text"]
    assert first_reply.startswith("🚨 Mogelijk suïcidegevaar.")
    assert "113" in first_reply and "112" in first_reply
    dms = _invitation_dms(slack)
    assert len(dms) == 3
    assert all(dm["text"].startswith("🚨 Spoed: Mogelijk suïcidegevaar.") for dm in dms)
    invited = _invited(slack)[0]
    homes = [
        b["view"]
        for b in slack.api.called("views.publish")
        if b["user_id"] == chat_id(invited.member_id)
    ]
    assert "Spoed: Mogelijk suïcidegevaar" in str(homes[-1]["blocks"])


def test_a_channel_question_gets_its_answer_privately_and_the_answer_is_deidentified(
    slack: SlackHarness,
) -> None:
    from tests.slack_requests import app_mention_event

    ts = slack.next_ts()
    event = app_mention_event("<@U0BOT> " + QUESTION, user=chat_id(ASKER), channel="C0TEAM", ts=ts)
    assert slack.event(event).status == 200
    with slack.deps.sessions() as session:
        question = only_question(session)
    assert question.shared_channel
    first = _invited(slack)[0]
    slack.click(first.member_id, ids.ACCEPT, str(first.id))
    invite_ts = _delivered_ts(slack, f"invitation:{first.id}")
    answer = "Bel mevrouw Jansen even op 06-12345678, dan regelen we bewind via de kantonrechter."
    slack.dm(first.member_id, answer, thread_ts=invite_ts)
    in_channel = [b for b in slack.api.called("chat.postMessage") if b["channel"] == "C0TEAM"]
    assert in_channel == []  # nothing about the asker's client is posted for the whole channel
    private = [e for e in slack.api.called("chat.postEphemeral") if e["channel"] == "C0TEAM"]
    assert private and all(e["user"] == chat_id(ASKER) for e in private)
    relay = next(e for e in private if "kantonrechter" in e["text"])
    assert relay["thread_ts"] == ts
    assert "Jansen" not in relay["text"] and "06-12345678" not in relay["text"]
    with slack.deps.sessions() as session:
        stored = session.exec(select(Answer)).one()
    assert "Jansen" not in stored.text and "[naam]" in stored.text
    assert "[telefoonnummer]" in stored.text and "kantonrechter" in stored.text
