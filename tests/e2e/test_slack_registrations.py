"""Quick registrations through the real Bolt app and the fake Slack API: a card first, one
event per save, undo within 15 minutes, corrections, the form, and refusals that store nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot import ids
from bot.ids import REG_EDIT as EDIT
from bot.ids import REG_FORM as FORM
from models.tables import CaseEvent, Outbox, Question
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, buttons, chat_id, make_coordinator

OTHER = "m006"
ZUILEN = "m003"  # a colleague of team Zuilen; ASKER is in Lunetten


def _events(slack: SlackHarness) -> list[CaseEvent]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(CaseEvent)).all())


def _card(slack: SlackHarness) -> dict[str, Any]:
    cards = [m for m in slack.posted() if buttons(m, ids.REG_SAVE)]
    assert cards, slack.posted()
    return cards[-1]


def test_a_command_shows_a_card_and_saving_twice_stores_one_event(slack: SlackHarness) -> None:
    response = slack.command(ASKER, "aanmelding via huisarts, casus 23-4411", command="/registreer")
    assert response.status == 200 and "Opslaan" in response.body
    assert _events(slack) == []  # nothing is saved before the sender says so
    card = _card(slack)
    assert "Aanmelding" in card["text"] and "23-4411" in card["text"] and "huisarts" in card["text"]
    (key,) = buttons(card, ids.REG_SAVE)
    slack.click(ASKER, ids.REG_SAVE, key)
    slack.click(ASKER, ids.REG_SAVE, key)
    (event,) = _events(slack)
    assert (event.kind, event.case_ref, event.melder) == ("aanmelding", "23-4411", "huisarts")
    assert event.team == "Lunetten"  # the sender's own team
    assert event.registered_by == ASKER
    saved = slack.api.called("chat.update")[-1]
    assert "Opgeslagen" in saved["text"] and buttons(saved, ids.REG_UNDO) == [key]


def test_undo_works_for_fifteen_minutes_only(slack: SlackHarness) -> None:
    slack.command(ASKER, "casus 4711 afgesloten, doel bereikt", command="/registreer")
    (key,) = buttons(_card(slack), ids.REG_SAVE)
    slack.click(ASKER, ids.REG_SAVE, key)
    slack.clock.advance(timedelta(minutes=16))
    slack.click(ASKER, ids.REG_UNDO, key)
    (event,) = _events(slack)
    assert event.retracted_at is None
    assert "15 minuten" in slack.posted("D" + chat_id(ASKER))[-1]["text"]

    slack.command(ASKER, "casus 4712 afgesloten, verhuisd", command="/registreer")
    (second,) = buttons(_card(slack), ids.REG_SAVE)
    slack.click(ASKER, ids.REG_SAVE, second)
    slack.clock.advance(timedelta(minutes=5))
    slack.click(ASKER, ids.REG_UNDO, second)
    undone = [e for e in _events(slack) if e.case_ref == "4712"]
    assert undone[0].retracted_at is not None
    assert "Ongedaan gemaakt" in slack.api.called("chat.update")[-1]["text"]


def test_a_dm_that_starts_like_a_registration_gets_a_card_not_experts(
    slack: SlackHarness,
) -> None:
    slack.dm(ASKER, "casus 4711 afgesloten, doel bereikt")
    card = _card(slack)
    assert card["channel"] == "D" + chat_id(ASKER) and "Afsluiting" in card["text"]
    with slack.deps.sessions() as session:
        assert session.exec(select(Question)).all() == []
    slack.dm(ASKER, "Hoe werkt beschermingsbewind en budgetbeheer bij schulden?")
    with slack.deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 1  # a question is still a question


def test_client_data_is_refused_and_nothing_of_it_is_stored(slack: SlackHarness) -> None:
    name = "aanmelding via huisarts voor mevrouw Jansen, tel 06-12345678"
    response = slack.command(ASKER, name, command="/registreer")
    assert "casusnummer" in response.body.lower() or "naam" in response.body.lower()
    slack.dm(ASKER, "aanmelding Zuilen, BSN 111222333")
    assert _events(slack) == []
    with slack.deps.sessions() as session:
        stored = " ".join(row.payload for row in session.exec(select(Outbox)).all())
        assert session.exec(select(Question)).all() == []
    assert "Jansen" not in stored and "111222333" not in stored and "06-12345678" not in stored
    assert "111222333" not in slack.all_text()


def test_a_future_date_or_a_bad_score_is_explained(slack: SlackHarness) -> None:
    assert (
        "toekomst"
        in slack.command(
            ASKER, "kennismaking casus 4711 overmorgen", command="/registreer"
        ).body.lower()
    )
    body = slack.command(ASKER, "wat telt casus 4711 geld 18", command="/registreer").body
    assert "15" in body
    assert _events(slack) == []


def test_someone_else_cannot_save_or_cancel_my_card(slack: SlackHarness) -> None:
    slack.command(ASKER, "casus 4711 op de wachtlijst", command="/registreer")
    (key,) = buttons(_card(slack), ids.REG_SAVE)
    slack.click(OTHER, ids.REG_SAVE, key)
    slack.click(OTHER, ids.REG_CANCEL, key)
    assert _events(slack) == []
    assert "Alleen wie de registratie stuurde" in slack.posted("D" + chat_id(OTHER))[-1]["text"]
    slack.click(ASKER, ids.REG_CANCEL, key)
    assert "niets opgeslagen" in slack.api.called("chat.update")[-1]["text"]
    slack.click(ASKER, ids.REG_SAVE, key)  # a cancelled card is saved only on purpose
    assert len(_events(slack)) == 1


def test_the_form_opens_and_its_submission_is_checked_like_a_message(
    slack: SlackHarness,
) -> None:
    make_coordinator(slack.deps, ASKER)  # the form names team Zuilen: a coordinator's right
    assert slack.command(ASKER, "", command="/registreer").status == 200
    (opened,) = slack.api.called("views.open")
    assert opened["view"]["callback_id"] == FORM

    def values(case_ref: str, details: str) -> dict[str, Any]:
        return {
            "kind": {"value": {"selected_option": {"value": "afsluiting"}}},
            "case_ref": {"value": {"value": case_ref}},
            "team": {"value": {"selected_option": {"value": "Zuilen"}}},
            "day": {"value": {"selected_date": "2026-11-23"}},
            "details": {"value": {"value": details}},
        }

    refused = slack.submit(ASKER, FORM, values("", "doel bereikt"))
    assert "response_action" in refused.body and "casusnummer" in refused.body.lower()
    accepted = slack.submit(ASKER, FORM, values("4711", "doel bereikt, cijfer 8"))
    assert accepted.status == 200 and "errors" not in accepted.body
    card = _card(slack)
    assert "Zuilen" in card["text"] and "23-11-2026" in card["text"]
    slack.click(ASKER, ids.REG_SAVE, buttons(card, ids.REG_SAVE)[0])
    (event,) = _events(slack)
    assert (event.team, event.reden, event.rapportcijfer) == ("Zuilen", "doel_bereikt", 8)


def test_aanpassen_edits_the_text_and_redraws_the_same_card(slack: SlackHarness) -> None:
    slack.command(ASKER, "casus 4711 kennismaking", command="/registreer")
    first = _card(slack)
    (key,) = buttons(first, ids.REG_EDIT)
    slack.click(ASKER, ids.REG_EDIT, key)
    (opened,) = slack.api.called("views.open")
    view = opened["view"]
    assert view["callback_id"] == EDIT
    assert "4711" in json.dumps(view["blocks"])
    text = {"text": {"value": {"value": "casus 4712 kennismaking gisteren"}}}
    slack.submit(ASKER, EDIT, text, private_metadata=view["private_metadata"])
    redrawn = slack.api.called("chat.update")[-1]
    assert "4712" in redrawn["text"] and "23-11-2026" in redrawn["text"]
    slack.click(ASKER, ids.REG_SAVE, buttons(redrawn, ids.REG_SAVE)[0])
    assert [e.case_ref for e in _events(slack)] == ["4712"]


def test_todays_list_offers_undo_and_a_correction_replaces_the_event(
    slack: SlackHarness,
) -> None:
    slack.command(ASKER, "casus 4711 hbh aanvraag", command="/registreer")
    slack.click(ASKER, ids.REG_SAVE, buttons(_card(slack), ids.REG_SAVE)[0])
    slack.clock.advance(timedelta(minutes=30))
    slack.command(ASKER, "vandaag", command="/registreer")
    listing = slack.posted(chat_id(ASKER))[-1]
    (event,) = _events(slack)
    assert "HbH" in listing["text"] or "hbh" in listing["text"].lower()
    assert buttons(listing, ids.REG_EVENT_UNDO) == []  # too late to undo: correct instead
    (correct,) = buttons(listing, ids.REG_CORRECT)
    slack.click(ASKER, ids.REG_CORRECT, correct)
    view = slack.api.called("views.open")[-1]["view"]
    text = {"text": {"value": {"value": "casus 4713 hbh aanvraag"}}}
    slack.submit(ASKER, EDIT, text, private_metadata=view["private_metadata"])
    card = _card(slack)
    assert "vervangt" in card["text"]
    slack.click(ASKER, ids.REG_SAVE, buttons(card, ids.REG_SAVE)[0])
    by_ref = {e.case_ref: e for e in _events(slack)}
    assert by_ref["4711"].retracted_at is not None and by_ref["4713"].retracted_at is None
    assert event.id == by_ref["4711"].id


def test_a_saved_closure_asks_how_to_invite_and_keeps_the_address_out_of_slack(
    slack: SlackHarness,
) -> None:
    from models.tables import FeedbackInvitation

    slack.command(
        ASKER, "casus 4711 afgesloten, doel bereikt, ervaringwijzer ja", command="/registreer"
    )
    (key,) = buttons(_card(slack), ids.REG_SAVE)
    slack.click(ASKER, ids.REG_SAVE, key)
    saved = slack.api.called("chat.update")[-1]
    assert "Ervaringwijzer" in saved["text"]
    choices = buttons(saved, ids.REG_INVITE)
    assert [c.split("|")[1] for c in choices] == ["email", "sms", "link"]

    slack.click(OTHER, ids.REG_INVITE, choices[0])  # not the sender: no modal
    assert slack.api.called("views.open") == []
    slack.click(ASKER, ids.REG_INVITE, choices[0])
    view = slack.api.called("views.open")[-1]["view"]
    refused = slack.submit(
        ASKER,
        view["callback_id"],
        {"contact": {"value": {"value": "geen-adres"}}},
        private_metadata=view["private_metadata"],
    )
    assert "errors" in refused.body
    address = "client.4711@voorbeeld.nl"
    accepted = slack.submit(
        ASKER,
        view["callback_id"],
        {"contact": {"value": {"value": address}}},
        private_metadata=view["private_metadata"],
    )
    assert "errors" not in accepted.body
    assert "uitnodiging per e-mail" in slack.api.called("chat.update")[-1]["text"]
    with slack.deps.sessions() as session:
        (invitation,) = session.exec(select(FeedbackInvitation)).all()
        payloads = " ".join(row.payload for row in session.exec(select(Outbox)).all())
    assert invitation.channel == "email" and invitation.case_ref == "4711"
    assert address not in slack.all_text() and address not in payloads

    slack.clock.advance(timedelta(hours=25))
    slack.deps.tick()
    with slack.deps.sessions() as session:
        mails = session.exec(select(Outbox).where(Outbox.channel_kind == "mail")).all()
    assert len(mails) == 1


def _save(slack: SlackHarness, member_id: str, text: str) -> None:
    slack.command(member_id, text, command="/registreer")
    slack.click(member_id, ids.REG_SAVE, buttons(_card(slack), ids.REG_SAVE)[0])


def _outbox(slack: SlackHarness) -> list[Outbox]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(Outbox)).all())


def test_a_colleague_registers_for_their_own_team_only(slack: SlackHarness) -> None:
    own_team = "Je kunt alleen registreren voor je eigen team (Lunetten)."
    by_command = slack.command(
        ASKER, "aanmelding Zuilen via huisarts, casus 23-9001", command="/registreer"
    )
    assert own_team in by_command.body
    slack.dm(ASKER, "aanmelding Zuilen via huisarts, casus 23-9001")
    assert own_team in slack.posted("D" + chat_id(ASKER))[-1]["text"]
    form = {
        "kind": {"value": {"selected_option": {"value": "aanmelding"}}},
        "case_ref": {"value": {"value": "23-9001"}},
        "team": {"value": {"selected_option": {"value": "Zuilen"}}},
        "details": {"value": {"value": "via huisarts"}},
    }
    refused = slack.submit(ASKER, FORM, form)
    assert "errors" in refused.body and "eigen team" in refused.body
    assert _events(slack) == []
    assert [row for row in _outbox(slack) if row.template == "registration.card"] == []


def test_closing_another_teams_case_is_refused_and_invites_nobody(slack: SlackHarness) -> None:
    from models.tables import FeedbackInvitation

    _save(slack, ZUILEN, "aanmelding casus 4711 via huisarts")
    closing = "casus 4711 afgesloten, doel bereikt, ervaringwijzer ja"
    refused = slack.command(ASKER, closing, command="/registreer")
    assert "Casus 4711 hoort bij een ander team." in refused.body
    # a card made before the case was registered elsewhere is checked again when saved
    slack.command(ASKER, "casus 4712 afgesloten, doel bereikt, ervaringwijzer ja", "/registreer")
    (late,) = buttons(_card(slack), ids.REG_SAVE)
    _save(slack, ZUILEN, "aanmelding casus 4712 via huisarts")
    slack.click(ASKER, ids.REG_SAVE, late)
    notice = slack.posted("D" + chat_id(ASKER))[-1]["text"]
    assert "Casus 4712 hoort bij een ander team." in notice
    assert {(e.case_ref, e.team, e.kind) for e in _events(slack)} == {
        ("4711", "Zuilen", "aanmelding"),
        ("4712", "Zuilen", "aanmelding"),
    }
    slack.clock.advance(timedelta(days=2))
    slack.deps.tick()
    with slack.deps.sessions() as session:
        assert session.exec(select(FeedbackInvitation)).all() == []
    assert [row for row in _outbox(slack) if row.channel_kind != "chat"] == []


def test_an_invitation_is_refused_when_the_case_turns_out_to_be_another_teams(
    slack: SlackHarness,
) -> None:
    from casework.events import CaseEventData, record_event
    from models.tables import FeedbackInvitation

    _save(slack, ASKER, "casus 4713 afgesloten, doel bereikt, ervaringwijzer ja")
    choice = buttons(slack.api.called("chat.update")[-1], ids.REG_INVITE)[-1]
    assert choice.endswith("|link")
    with slack.deps.sessions() as session:  # e.g. an import from the client system
        later = slack.clock.now() + timedelta(minutes=1)
        event = CaseEventData("4713", "Zuilen", "kennismaking", later)
        record_event(session, event, registered_by="import", now=slack.clock.now())
        session.commit()
    slack.click(ASKER, ids.REG_INVITE, choice)
    notice = slack.posted("D" + chat_id(ASKER))[-1]["text"]
    assert "Casus 4713 hoort bij een ander team." in notice
    with slack.deps.sessions() as session:
        assert session.exec(select(FeedbackInvitation)).all() == []


def test_a_coordinator_registers_for_another_team_under_the_cases_own_team(
    slack: SlackHarness,
) -> None:
    from models.tables import FeedbackInvitation

    make_coordinator(slack.deps, ASKER)
    _save(slack, ZUILEN, "aanmelding casus 4711 via huisarts")
    # without the team the closure would be Lunetten's: refused, the case is Zuilen's
    body = slack.command(ASKER, "casus 4711 afgesloten, doel bereikt", command="/registreer").body
    assert "hoort bij een ander team" in body
    _save(slack, ASKER, "casus 4711 team Zuilen afgesloten, doel bereikt, ervaringwijzer ja")
    closure = next(e for e in _events(slack) if e.kind == "afsluiting")
    assert (closure.team, closure.registered_by) == ("Zuilen", ASKER)
    link = buttons(slack.api.called("chat.update")[-1], ids.REG_INVITE)[-1]
    slack.click(ASKER, ids.REG_INVITE, link)
    with slack.deps.sessions() as session:
        (invitation,) = session.exec(select(FeedbackInvitation)).all()
    assert (invitation.case_ref, invitation.team) == ("4711", "Zuilen")


def test_a_card_emptied_by_retention_says_it_is_gone_instead_of_failing(
    slack: SlackHarness,
) -> None:
    from models.outbox_redaction import redact_payloads
    from models.tables import Outbox as OutboxRow

    slack.command(ASKER, "aanmelding via huisarts, casus 23-4411", command="/registreer")
    (key,) = buttons(_card(slack), ids.REG_SAVE)
    with slack.deps.sessions() as session:
        redact_payloads(session, OutboxRow.key == key, reason="bewaartermijn")  # type: ignore[arg-type]
        session.commit()
    assert slack.click(ASKER, ids.REG_SAVE, key).status == 200
    assert _events(slack) == []
    assert "ken ik niet (meer)" in slack.all_text()


def _fix_options(card: dict[str, Any]) -> dict[str, list[str]]:
    """The one-tap fixes on a card: field -> the values of its select."""
    found: dict[str, list[str]] = {}
    for block in card.get("blocks", []):
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == ids.REG_FIX:
            field = str(block["block_id"]).removeprefix("fix:")
            found[field] = [o["value"] for o in accessory["options"]]
    return found


def test_a_guessed_field_is_fixed_with_one_tap_and_saved_as_chosen(slack: SlackHarness) -> None:
    slack.dm(ASKER, "afgesloten 4419 doel bereikt, enquête")
    card = _card(slack)
    fixes = _fix_options(card)
    assert list(fixes) == ["ervaringwijzer"]  # a bare "enquête" is a guess; the rest is not
    (no,) = [value for value in fixes["ervaringwijzer"] if value.endswith("|false")]
    slack.choose(ASKER, ids.REG_FIX, no, "nee")
    redrawn = slack.api.called("chat.update")[-1]
    assert "Ervaringwijzer: nee" in redrawn["text"] and not _fix_options(redrawn)
    assert _events(slack) == []  # a fix is a new card, still not saved
    slack.click(ASKER, ids.REG_SAVE, buttons(redrawn, ids.REG_SAVE)[0])
    (event,) = _events(slack)
    assert (event.case_ref, event.reden, event.ervaringwijzer) == ("4419", "doel_bereikt", False)


def test_a_fix_that_was_not_offered_changes_nothing(slack: SlackHarness) -> None:
    slack.dm(ASKER, "afgesloten 4420 doel bereikt, enquête")
    (value,) = [v for v in _fix_options(_card(slack))["ervaringwijzer"] if v.endswith("|true")]
    card_key = value.split("|")[0]
    slack.choose(ASKER, ids.REG_FIX, f"{card_key}|ervaringwijzer|misschien")
    notice = slack.posted()[-1]
    assert "hoort niet bij deze registratie" in notice["text"]
    slack.choose(OTHER, ids.REG_FIX, value)  # not the sender's card
    assert "Alleen wie de registratie stuurde" in slack.posted()[-1]["text"]
    assert _events(slack) == []


def test_a_kind_word_opens_a_registration_only_with_a_case_number(slack: SlackHarness) -> None:
    slack.dm(ASKER, "intake bij de ggz duurt lang, wie weet een snellere weg")
    assert not [m for m in slack.posted() if buttons(m, ids.REG_SAVE)]
    with slack.deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 1  # asked, as a question
    slack.dm(ASKER, "intake 5530 gehad vanochtend")
    assert "Kennismaking" in _card(slack)["text"]
