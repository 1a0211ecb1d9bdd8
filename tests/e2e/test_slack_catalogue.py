"""The social map and the Buurtacademie through the real Bolt app and the fake Slack API:
/sociale-kaart, /academie, suggestions with a routed question, "Nuttig" clicks, answer reuse."""

from __future__ import annotations

from sqlmodel import select

from bot import ids
from models.tables import Invitation, Outbox, Question, SuggestionFeedback
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, buttons, chat_id, invitations


def test_sociale_kaart_answers_in_a_dm_with_offers_near_the_askers_team(
    slack: SlackHarness,
) -> None:
    response = slack.command(ASKER, "taalcafé in de avond", command="/sociale-kaart")
    assert response.status == 200 and "resultaten" in response.body
    (results,) = slack.posted(chat_id(ASKER))
    assert "Je zocht: taalcafé in de avond" in results["text"]
    assert "Op de sociale kaart" in results["text"]
    assert len(buttons(results, ids.USEFUL)) == len(buttons(results, ids.NOT_USEFUL)) >= 1
    assert "Taalcafé" in results["text"]


def test_a_useful_click_is_stored_once_and_shown_in_place_of_thebuttons(
    slack: SlackHarness,
) -> None:
    slack.command(ASKER, "taalcafé in de avond", command="/sociale-kaart")
    (results,) = slack.posted(chat_id(ASKER))
    value = buttons(results, ids.USEFUL)[0]
    slack.click(ASKER, ids.USEFUL, value)
    slack.click(ASKER, ids.USEFUL, value)
    slack.click(ASKER, ids.NOT_USEFUL, value)  # changing one's mind keeps one verdict
    with slack.deps.sessions() as session:
        rows = session.exec(select(SuggestionFeedback)).all()
    assert len(rows) == 1 and rows[0].useful is False and rows[0].member_id == ASKER
    assert rows[0].query_text == "taalcafé in de avond"
    context = value.split("|")[0]
    with slack.deps.sessions() as session:
        shown = session.exec(select(Outbox).where(Outbox.key == context)).one()
    updates = slack.api.called("chat.update")
    assert updates and updates[-1]["ts"] == shown.delivered_ts
    assert "niet nuttig" in str(updates[-1]["blocks"])
    assert value not in str(updates[-1]["blocks"])  # no button left for the judged item


def test_academie_finds_modules_and_nothing_else(slack: SlackHarness) -> None:
    slack.command(ASKER, "dementie herkennen", command="/academie")
    (results,) = slack.posted(chat_id(ASKER))
    assert "Uit de Buurtacademie" in results["text"] and "Dementie herkennen" in results["text"]
    assert "sociale kaart" not in results["text"]


def test_search_commands_refuse_unknown_users_and_explain_an_empty_query(
    slack: SlackHarness,
) -> None:
    assert "/sociale-kaart taalcafé" in slack.command(ASKER, "", command="/sociale-kaart").body
    assert "/academie" in slack.command(ASKER, "hulp", command="/academie").body
    assert "te lang" in slack.command(ASKER, "x " * 400, command="/academie").body
    assert "ken je nog niet" in slack.command("nobody", "taalcafé", command="/sociale-kaart").body
    assert slack.posted() == []


def test_a_search_query_is_deidentified_before_it_is_stored_or_shown(
    slack: SlackHarness,
) -> None:
    slack.command(ASKER, "taalcafé voor mevrouw Jansen, tel 06-12345678", command="/sociale-kaart")
    (results,) = slack.posted(chat_id(ASKER))
    slack.click(ASKER, ids.USEFUL, buttons(results, ids.USEFUL)[0])
    assert "06-12345678" not in slack.all_text() and "Jansen" not in slack.all_text()
    with slack.deps.sessions() as session:
        stored = session.exec(select(SuggestionFeedback)).one()
    assert "06-12345678" not in stored.query_text and "Jansen" not in stored.query_text


def test_a_click_on_a_forged_item_changes_nothing(slack: SlackHarness) -> None:
    slack.command(ASKER, "taalcafé", command="/sociale-kaart")
    (results,) = slack.posted(chat_id(ASKER))
    context = buttons(results, ids.USEFUL)[0].split("|")[0]
    slack.click(ASKER, ids.USEFUL, f"{context}|offer|o999")
    slack.click(ASKER, ids.USEFUL, "search:nope|offer|o001")
    with slack.deps.sessions() as session:
        assert session.exec(select(SuggestionFeedback)).all() == []
    assert "ken ik niet" in slack.posted("D" + chat_id(ASKER))[-1]["text"]


def test_an_earlier_answer_shown_through_slack_closes_the_question_and_calls_experts_back(
    slack: SlackHarness,
) -> None:
    question = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"
    other = "m006"
    slack.dm(other, question)
    with slack.deps.sessions() as session:
        earlier = session.exec(select(Question)).one()
        invitation = invitations(session, earlier.id)[0]
    slack.click(invitation.member_id, ids.ACCEPT, str(invitation.id))
    with slack.deps.sessions() as session:
        taken = session.get(Invitation, invitation.id)
        assert taken is not None
        slack.deps.dispatcher.answer(
            session, taken, taken.member_id, "Via de kantonrechter.", "answer-1"
        )
        session.commit()
    slack.click(other, ids.RATE, f"{earlier.id}:5")

    slack.dm(ASKER, question)
    with slack.deps.sessions() as session:
        asked = session.exec(select(Question).where(Question.asker_id == ASKER)).one()
        assert asked.status == "open" and len(invitations(session, asked.id)) == 3
    received = slack.posted("D" + chat_id(ASKER))[0]
    assert "Via de kantonrechter." in received["text"] and "voorgelegd aan" in received["text"]
    (reuse_value,) = buttons(received, ids.REUSE)
    assert buttons(received, ids.RELEASE) == []  # nothing is held: nothing to send on
    slack.click(ASKER, ids.REUSE, reuse_value)
    with slack.deps.sessions() as session:
        closed = session.get(Question, asked.id)
        assert closed is not None and closed.status == "closed"
        assert closed.reused_from == earlier.id
        assert {i.state for i in invitations(session, asked.id)} == {"withdrawn"}
    assert "niet meer open staat" in slack.posted("D" + chat_id(ASKER))[-1]["text"]
