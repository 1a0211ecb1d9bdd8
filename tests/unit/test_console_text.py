"""The console's own wording: plain text from Slack's mrkdwn, Dutch status words, local time."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.render.console_text import (
    console_plain,
    invitation_state,
    local_time,
    next_wave,
    question_status,
    registration_card,
)
from models.messages import Address, QuestionNextWave, RegistrationCard


def test_mrkdwn_becomes_plain_text_in_one_place() -> None:
    names = {"U123": "Eva Janssen"}.get
    assert console_plain("Kies *Opslaan* of _Aanpassen_, ~niet~ dit", names) == (
        "Kies Opslaan of Aanpassen, niet dit"
    )
    assert console_plain("Vraag van <@U123> en <@U999>", names) == (
        "Vraag van @Eva Janssen en @collega"
    )
    assert console_plain("Zie <https://x.nl/a|de site> of <https://x.nl/b>") == (
        "Zie de site (https://x.nl/a) of https://x.nl/b"
    )
    assert console_plain("<mailto:a@b.nl|a@b.nl> in <#C1|buurtteam-zuilen> <!here>") == (
        "a@b.nl in #buurtteam-zuilen @here"
    )
    assert console_plain("schulden &amp; wonen, 3 &lt; 5") == "schulden & wonen, 3 < 5"
    # what only looks like markup stays as it was
    for text in ("3 * 4 * 5", "snake_case_name", "o_001 en b_12", "*", "vraag*"):
        assert console_plain(text) == text


def test_status_words_are_dutch_and_unknown_ones_pass_through() -> None:
    assert [question_status(s) for s in ("open", "taken", "closed", "unanswered")] == [
        "open",
        "opgepakt",
        "gesloten",
        "onbeantwoord",
    ]
    assert [invitation_state(s) for s in ("pending", "accepted", "expired")] == [
        "nieuw",
        "opgepakt",
        "verlopen",
    ]
    assert question_status("iets-nieuws") == "iets-nieuws"


def test_local_time_is_utrecht_with_a_dutch_day_name() -> None:
    assert local_time(datetime(2026, 11, 29, 20, 3, tzinfo=UTC)) == "zondag 29-11 21:03"
    assert local_time(datetime(2026, 7, 1, 7, 30)) == "woensdag 1-7 09:30"  # naive: UTC


def test_a_message_stored_without_its_number_still_renders() -> None:
    to = Address.member("m005")
    assert next_wave(QuestionNextWave(to=to, wave=2, invited=("A",))).startswith("Nog niemand")
    assert next_wave(QuestionNextWave(to=to, question_id=7, wave=2, invited=("A",))).startswith(
        "Vraag 7 · Nog niemand"
    )


def test_the_registration_card_names_commands_not_buttons() -> None:
    card = RegistrationCard(
        to=Address.member("m005"),
        card_key="k",
        member_id="m005",
        state="pending",
        event={"case_ref": "4711"},
        lines=("Casus: 4711",),
    )
    text = registration_card(card)
    assert text.splitlines()[0].startswith("Klopt dit? Typ /opslaan")
    assert "Casus: 4711" in text and "*" not in text
