"""A question from which something was removed, or in which a word may still name someone,
reaches no colleague before its asker has seen exactly what they will see and sent it."""

from __future__ import annotations

import io
import json
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import ids
from bot.console.chat import ConsoleChat
from models.clock import FixedClock
from models.statuses import QuestionStatus
from models.tables import Invitation, Outbox, Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, buttons, chat_id, invitations, make_deps, only_question

WITH_NAME = "mevrouw fatima el amrani heeft een huurachterstand bij Mitros, wie weet raad?"
PLAIN = "Wie weet hoe beschermingsbewind en budgetbeheer werken bij iemand met veel schulden?"


def _previews(slack: SlackHarness) -> list[dict[str, Any]]:
    return [m for m in slack.posted() if buttons(m, ids.QUESTION_SEND)]


def test_nothing_leaves_before_the_asker_sends_what_they_saw(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, WITH_NAME).status == 200
    with slack.deps.sessions() as session:
        question = only_question(session)
        assert question.status == QuestionStatus.CONCEPT and invitations(session) == []
    (preview,) = _previews(slack)
    assert preview["channel"] == "D" + chat_id(ASKER)
    assert "fatima" not in preview["text"] and "[naam]" in preview["text"]
    assert "Mitros" in preview["text"] and "1 naam" in preview["text"]
    assert [m for m in slack.posted("U") if "Ik pak hem op" in str(m.get("blocks"))] == []

    slack.click(ASKER, ids.QUESTION_SEND, str(question.id))
    slack.click(ASKER, ids.QUESTION_SEND, str(question.id))  # a double tap sends once
    with slack.deps.sessions() as session:
        assert len(invitations(session)) == 3
        assert only_question(session).status == "open"
    invites = [m for m in slack.posted("U") if "Ik pak hem op" in str(m.get("blocks"))]
    assert len(invites) == 3 and all("fatima" not in m["text"] for m in invites)


def test_a_question_with_nothing_to_check_goes_at_once(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, PLAIN).status == 200
    assert _previews(slack) == []
    with slack.deps.sessions() as session:
        assert len(invitations(session)) == 3


def test_aanpassen_opens_the_redacted_text_and_shows_the_new_version(slack: SlackHarness) -> None:
    slack.dm(ASKER, WITH_NAME)
    with slack.deps.sessions() as session:
        question = only_question(session)
    slack.click(ASKER, ids.QUESTION_EDIT, str(question.id))
    (opened,) = slack.api.called("views.open")
    view = opened["view"] if isinstance(opened["view"], dict) else json.loads(opened["view"])
    assert view["callback_id"] == ids.QUESTION_EDIT_VIEW
    assert "fatima" not in json.dumps(view) and "[naam]" in json.dumps(view)
    rewritten = "Klant heeft een huurachterstand bij Mitros en belt 06-12345678, wie weet raad?"
    response = slack.submit(
        ASKER,
        ids.QUESTION_EDIT_VIEW,
        {"text": {"value": {"type": "plain_text_input", "value": rewritten}}},
        private_metadata=json.dumps({"question_id": question.id}),
    )
    assert response.status == 200
    latest = _previews(slack)[-1]
    assert "[telefoonnummer]" in latest["text"] and "06-12345678" not in latest["text"]
    with slack.deps.sessions() as session:
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == QuestionStatus.CONCEPT
        assert "06-12345678" not in stored.text and stored.removed_kinds == "telefoon=1"
        assert session.exec(select(Invitation)).all() == []
    empty = slack.submit(
        ASKER,
        ids.QUESTION_EDIT_VIEW,
        {"text": {"value": {"type": "plain_text_input", "value": "  "}}},
        private_metadata=json.dumps({"question_id": question.id}),
    )
    assert "errors" in empty.body  # told in the modal; the concept is unchanged


def test_only_the_asker_can_send_and_a_withdrawn_concept_stays_unsent(slack: SlackHarness) -> None:
    slack.dm(ASKER, WITH_NAME)
    with slack.deps.sessions() as session:
        question = only_question(session)
    slack.click("m010", ids.QUESTION_SEND, str(question.id))
    slack.click(ASKER, ids.CLOSE, str(question.id))
    slack.click(ASKER, ids.QUESTION_SEND, str(question.id))
    with slack.deps.sessions() as session:
        assert only_question(session).status == "closed" and invitations(session) == []
        keys = [row.key for row in session.exec(select(Outbox)).all()]
    assert not any(key.startswith("invitation:") for key in keys)


def test_the_console_shows_the_question_and_sends_or_rewrites_it(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle(WITH_NAME)
    with deps.sessions() as session:
        question = only_question(session)
    assert "/versturen" in out.getvalue() and "fatima" not in out.getvalue()
    assert out.getvalue().count("/pak ") == 0
    chat.handle(f"/wijzig {question.id} meneer bakker heeft schulden bij Mitros, wie helpt?")
    assert "meneer [naam] heeft schulden" in out.getvalue() and "bakker" not in out.getvalue()
    chat.handle(f"/versturen {question.id}")
    assert out.getvalue().count("/pak ") == 3


def test_acute_danger_gets_the_crisis_numbers_in_the_preview_already(slack: SlackHarness) -> None:
    slack.dm(ASKER, "klant fatima appt net dat ze er een eind aan wil maken, wat nu?")
    (preview,) = _previews(slack)
    assert "113" in preview["text"] and preview["text"].index("113") < preview["text"].index(
        "Zo zien collega's"
    )


def test_the_slash_command_shows_the_look_too(slack: SlackHarness) -> None:
    assert slack.command(ASKER, WITH_NAME).status == 200
    (preview,) = _previews(slack)
    assert "fatima" not in preview["text"] and "[naam]" in preview["text"]
    with slack.deps.sessions() as session:
        question = only_question(session)
        assert question.status == QuestionStatus.CONCEPT and invitations(session) == []
    slack.click(ASKER, ids.QUESTION_SEND, str(question.id))
    with slack.deps.sessions() as session:
        assert len(invitations(session)) == 3
