"""The App Home: published on app_home_opened and after every delivery round, asserted on the
views.publish bodies the fake Slack API recorded."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import select

from bot import ids
from bot.ids import HOME_ASK as ASK
from bot.ids import HOME_ASK_MODAL as ASK_MODAL
from bot.ids import PROFILE_EDIT as EDIT_PROFILE
from bot.ids import PROFILE_FORGET_TOPIC as FORGET_TOPIC
from bot.slack.views.home import MAX_BLOCKS
from models.tables import ExpertiseEvidence, Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, chat_id, invitations, only_question

QUESTION = "Wie weet hoe beschermingsbewind en budgetbeheer werken bij iemand met veel schulden?"


def _open_home(slack: SlackHarness, member_id: str) -> dict[str, Any]:
    event = {"type": "app_home_opened", "user": chat_id(member_id), "tab": "home"}
    event |= {"channel": "D" + chat_id(member_id), "event_ts": slack.next_ts()}
    assert slack.event(event).status == 200
    return _last_home(slack, member_id)


def _homes(slack: SlackHarness, member_id: str) -> list[dict[str, Any]]:
    return [
        b["view"] for b in slack.api.called("views.publish") if b["user_id"] == chat_id(member_id)
    ]


def _last_home(slack: SlackHarness, member_id: str) -> dict[str, Any]:
    views = _homes(slack, member_id)
    assert views, f"no Home published for {member_id}"
    return views[-1]


def _text(view: dict[str, Any]) -> str:
    return json.dumps(view, ensure_ascii=False)


def _action_ids(view: dict[str, Any]) -> list[str]:
    found = []
    for block in view["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        found += [e.get("action_id") for e in elements]
        if "accessory" in block:
            found.append(block["accessory"].get("action_id"))
    return found


def test_a_generalist_sees_an_empty_home_with_the_ask_button(slack: SlackHarness) -> None:
    view = _open_home(slack, ASKER)

    assert view["type"] == "home"
    assert ASK in _action_ids(view)
    assert "Je hebt geen open vragen." in _text(view)
    assert len(view["blocks"]) <= MAX_BLOCKS


def test_an_unknown_user_gets_a_polite_home(slack: SlackHarness) -> None:
    event = {"type": "app_home_opened", "user": "UNOBODY", "tab": "home", "event_ts": "1.0"}
    assert slack.event(event).status == 200
    [body] = slack.api.called("views.publish")
    assert "Ik ken je nog niet" in _text(body["view"])


def test_the_messages_tab_publishes_nothing(slack: SlackHarness) -> None:
    event = {"type": "app_home_opened", "user": chat_id(ASKER), "tab": "messages"}
    assert slack.event(event | {"event_ts": "1.0"}).status == 200
    assert slack.api.called("views.publish") == []


def test_asking_refreshes_the_home_of_asker_and_invited_experts(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, QUESTION).status == 200
    with slack.deps.sessions() as session:
        invited = invitations(session)
    assert len(invited) == 3

    asker_view = _last_home(slack, ASKER)
    assert "beschermingsbewind" in _text(asker_view)
    assert "voorgelegd aan 3 collega's" in _text(asker_view)
    assert len(_homes(slack, ASKER)) == 1  # one publish per member per delivery round
    expert = invited[0]
    expert_view = _last_home(slack, expert.member_id)
    assert "Open uitnodigingen" in _text(expert_view)
    actions = [b for b in expert_view["blocks"] if b.get("block_id") == f"invitation:{expert.id}"]
    assert [e["action_id"] for e in actions[0]["elements"][:2]] == [ids.ACCEPT, ids.DECLINE]
    assert len(expert_view["blocks"]) <= MAX_BLOCKS


def test_accepting_from_the_home_is_handled_and_the_asker_sees_who_took_it(
    slack: SlackHarness,
) -> None:
    assert slack.dm(ASKER, QUESTION).status == 200
    with slack.deps.sessions() as session:
        expert = invitations(session)[0]
    slack.api.reset()

    resp = slack.click(
        expert.member_id, ids.ACCEPT, str(expert.id), block_id=f"invitation:{expert.id}"
    )

    assert resp.status == 200
    with slack.deps.sessions() as session:
        assert only_question(session).status == "taken"
    assert "opgepakt door" in _text(_last_home(slack, ASKER))
    assert "Geen open uitnodigingen." in _text(_last_home(slack, expert.member_id))


def test_the_ask_button_opens_a_modal_whose_submission_asks(slack: SlackHarness) -> None:
    assert slack.click(ASKER, ASK, "ask").status == 200
    [opened] = slack.api.called("views.open")
    assert opened["view"]["callback_id"] == ASK_MODAL

    values = {"question": {"value": {"type": "plain_text_input", "value": QUESTION}}}
    resp = slack.submit(ASKER, ASK_MODAL, values)

    assert resp.status == 200 and resp.body == ""
    with slack.deps.sessions() as session:
        question = only_question(session)
        assert question.asker_id == ASKER
    assert "voorgelegd aan" in slack.posted(chat_id(ASKER))[0]["text"]
    assert "beschermingsbewind" in _text(_last_home(slack, ASKER))


def test_an_empty_question_in_the_modal_is_refused_next_to_the_input(slack: SlackHarness) -> None:
    values = {"question": {"value": {"type": "plain_text_input", "value": "  "}}}
    resp = slack.submit(ASKER, ASK_MODAL, values)

    body = json.loads(resp.body)
    assert body["response_action"] == "errors" and "question" in body["errors"]
    with slack.deps.sessions() as session:
        assert session.exec(select(Question)).all() == []


def test_an_expert_sees_profile_figures_and_learned_topics(slack: SlackHarness) -> None:
    assert slack.dm(ASKER, QUESTION).status == 200
    with slack.deps.sessions() as session:
        question = only_question(session)
        expert = invitations(session)[0].member_id
        session.add(
            ExpertiseEvidence(
                member_id=expert,
                question_id=question.id or 0,
                text="budgetbeheer bij schulden en bewindvoering",
                leefgebieden=("geld",),
                score=5,
                weight_at=slack.clock.now(),
                created_at=slack.clock.now(),
            )
        )
        session.commit()

    view = _open_home(slack, expert)

    text = _text(view)
    assert "Mijn profiel" in text and "Trefwoorden" in text and "Beschikbaar" in text
    assert "Deze maand 0 vragen beantwoord" in text
    assert "Wat Vraagbaak denkt dat je weet" in text and "budgetbeheer" in text
    assert EDIT_PROFILE in _action_ids(view)
    forget = [
        b["accessory"]
        for b in view["blocks"]
        if b.get("accessory", {}).get("action_id") == FORGET_TOPIC and "budgetbeheer" in _text(b)
    ][0]

    resp = slack.click(expert, FORGET_TOPIC, forget["value"])

    assert resp.status == 200
    with slack.deps.sessions() as session:
        row = session.exec(select(ExpertiseEvidence)).one()
        assert row.removed_at is not None
    after = _last_home(slack, expert)["blocks"]
    assert forget not in [b.get("accessory") for b in after]


def test_a_delivery_that_changes_nothing_on_the_home_publishes_nothing(
    slack: SlackHarness,
) -> None:
    """views.publish only when the Home differs from what this process last published; an
    opened tab is always published."""
    assert slack.dm(ASKER, QUESTION).status == 200
    before = len(_homes(slack, ASKER))
    assert slack.dm(ASKER, "help").status == 200  # a hint: nothing on the Home changes
    assert len(_homes(slack, ASKER)) == before
    _open_home(slack, ASKER)
    assert len(_homes(slack, ASKER)) == before + 1
