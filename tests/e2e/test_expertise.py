"""/expertise: the profile modal (views.open), its submission (errors per block, or a DM and a
fresh Home), /expertise klopt, the console's plain-text variant and the profile nudge."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from bot.conversation.profile import profile_command
from bot.ids import PROFILE_CONFIRM as CONFIRM
from bot.ids import PROFILE_EDIT as EDIT_PROFILE
from bot.ids import PROFILE_MODAL
from bot.render.rendering import console as console_rendering
from bot.render.rendering import slack as slack_rendering
from bot.wiring import Deps
from models.messages import Address, ProfileNudge
from models.tables import ExpertiseProfile, Member
from tests.e2e.conftest import SlackHarness
from tests.helpers import chat_id

EXPERT = "m001"
DESCRIPTION = "Ik help collega's met schulden, budgetbeheer en beschermingsbewind."


def _values(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "expertise": {"value": {"type": "plain_text_input", "value": DESCRIPTION}},
        "tags": {"value": {"type": "plain_text_input", "value": "budgetbeheer"}},
        "leefgebieden": {"value": {"type": "multi_static_select", "selected_options": []}},
        "languages": {"value": {"type": "multi_static_select", "selected_options": []}},
        "away_until": {"value": {"type": "datepicker", "selected_date": None}},
        "daily_cap": {"value": {"type": "number_input", "value": "4"}},
    }
    for name, value in fields.items():
        base[name] = {"value": value}
    return base


def _homes(slack: SlackHarness, member_id: str) -> list[dict[str, Any]]:
    return [
        b["view"] for b in slack.api.called("views.publish") if b["user_id"] == chat_id(member_id)
    ]


def test_expertise_opens_the_profile_modal_filled_in(slack: SlackHarness) -> None:
    resp = slack.command(EXPERT, "", command="/expertise")

    assert resp.status == 200
    [opened] = slack.api.called("views.open")
    view = opened["view"]
    assert view["callback_id"] == PROFILE_MODAL
    blocks = {b["block_id"]: b for b in view["blocks"]}
    assert set(blocks) == {
        "expertise",
        "tags",
        "leefgebieden",
        "languages",
        "away_until",
        "daily_cap",
    }
    assert len(blocks["leefgebieden"]["element"]["options"]) == 14
    assert blocks["away_until"]["element"]["type"] == "datepicker"
    assert blocks["daily_cap"]["element"]["type"] == "number_input"
    with slack.deps.sessions() as session:
        profile = session.get(ExpertiseProfile, EXPERT)
        assert profile is not None
        assert blocks["expertise"]["element"]["initial_value"] == profile.expertise


def test_the_edit_button_on_the_home_opens_the_same_modal(slack: SlackHarness) -> None:
    assert slack.click(EXPERT, EDIT_PROFILE, "home").status == 200
    [opened] = slack.api.called("views.open")
    assert opened["view"]["callback_id"] == PROFILE_MODAL


def test_bad_input_is_answered_per_block_in_dutch(slack: SlackHarness) -> None:
    future = (slack.clock.now() - timedelta(days=2)).date().isoformat()
    values = _values(
        expertise={"type": "plain_text_input", "value": "kort"},
        away_until={"type": "datepicker", "selected_date": future},
        daily_cap={"type": "number_input", "value": "99"},
    )

    resp = slack.submit(EXPERT, PROFILE_MODAL, values)

    body = json.loads(resp.body)
    assert body["response_action"] == "errors"
    assert set(body["errors"]) == {"expertise", "away_until", "daily_cap"}
    assert "minstens" in body["errors"]["expertise"]
    assert "toekomst" in body["errors"]["away_until"]
    assert slack.posted() == []


def test_a_save_confirms_by_dm_names_renames_and_refreshes_the_home(slack: SlackHarness) -> None:
    away = (slack.clock.now() + timedelta(days=10)).date().isoformat()
    values = _values(
        tags={"type": "plain_text_input", "value": "schuldhulp, budgetbeheer"},
        leefgebieden={
            "type": "multi_static_select",
            "selected_options": [{"value": "geld"}],
        },
        languages={"type": "multi_static_select", "selected_options": [{"value": "arabisch"}]},
        away_until={"type": "datepicker", "selected_date": away},
    )

    resp = slack.submit(EXPERT, PROFILE_MODAL, values)

    assert resp.status == 200 and resp.body == ""
    with slack.deps.sessions() as session:
        profile = session.get(ExpertiseProfile, EXPERT)
        member = session.get(Member, EXPERT)
        assert profile is not None and member is not None
        saved = profile.tags[0]  # the colleagues' spelling of "schuldhulp"
        assert saved != "schuldhulp" and "schuld" in saved
        assert member.daily_cap == 4 and member.away_until is not None
        assert member.languages == ("arabisch",)
    [dm] = slack.posted(chat_id(EXPERT))
    assert "Je profiel is opgeslagen." in dm["text"]
    assert f"schuldhulp → {saved}" in dm["text"]
    home = json.dumps(_homes(slack, EXPERT)[-1], ensure_ascii=False)
    assert "Afwezig tot" in home and "Arabisch" in home


def test_expertise_klopt_confirms_the_profile(slack: SlackHarness) -> None:
    resp = slack.command(EXPERT, "klopt", command="/expertise")

    assert "telt weer volledig mee" in resp.body
    with slack.deps.sessions() as session:
        profile = session.get(ExpertiseProfile, EXPERT)
        assert profile is not None and profile.confirmed_at == slack.clock.now()
    assert _homes(slack, EXPERT)


def test_the_nudge_has_klopt_nog_and_bewerken_and_klopt_nog_confirms(
    slack: SlackHarness,
) -> None:
    nudge = ProfileNudge(
        to=Address.member(EXPERT),
        last_confirmed=date(2025, 9, 1),
        tags=("schulden", "<!channel>"),
        learned_topics=("bewind",),
    )
    rendered = slack_rendering(nudge)
    text, blocks = rendered.text, rendered.blocks
    assert "Klopt je profiel nog?" in text and "01-09-2025" in text
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text
    buttons = [e["action_id"] for e in blocks[-1]["elements"]]
    assert buttons == [CONFIRM, EDIT_PROFILE]
    assert "bewind" in console_rendering(nudge)

    assert slack.click(EXPERT, CONFIRM, "nudge").status == 200

    with slack.deps.sessions() as session:
        profile = session.get(ExpertiseProfile, EXPERT)
        assert profile is not None and profile.confirmed_at == slack.clock.now()
    assert "telt weer volledig mee" in slack.posted(chat_id(EXPERT))[0]["text"]


def console_command(deps: Deps, member_id: str, text: str) -> str:
    """`/expertise TEXT` as the console and Slack's command text run it."""
    with deps.sessions() as session:
        member = session.get(Member, member_id)
    return profile_command(deps, member, text)


def test_the_console_shows_and_changes_the_profile(slack: SlackHarness) -> None:
    deps = slack.deps

    shown = console_command(deps, EXPERT, "")
    assert "Je profiel:" in shown and "Wat Vraagbaak denkt dat je weet" in shown

    assert "opgeslagen" in console_command(deps, EXPERT, "tags budgetbeheer, Wmo")
    assert "opgeslagen" in console_command(deps, EXPERT, "talen Arabisch, Turks")
    away = (slack.clock.now() + timedelta(days=3)).date().isoformat()
    assert "opgeslagen" in console_command(deps, EXPERT, f"afwezig {away}")
    assert "ken ik niet" in console_command(deps, EXPERT, "talen Klingon")
    assert "volledig mee" in console_command(deps, EXPERT, "klopt")
    assert "Ik vond niets" in console_command(deps, EXPERT, "vergeet zwemles")
    with deps.sessions() as session:
        member = session.get(Member, EXPERT)
        profile = session.get(ExpertiseProfile, EXPERT)
        assert member is not None and profile is not None
        assert member.languages == ("arabisch", "turks") and member.away_until is not None
        assert "Wmo" in profile.tags
