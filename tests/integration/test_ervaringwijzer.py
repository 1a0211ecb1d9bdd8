"""Ervaringwijzer invitations on both stores: plan, delay, reopen, once, remind, erase, 90 days,
tokens, responses and the KPI figures."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casework.ervaringwijzer.invitations import (
    FeedbackPolicy,
    Planned,
    Refused,
    contact_hash,
    normalise_phone,
    plan_invitation,
    process_due,
)
from casework.ervaringwijzer.kpi import ErvaringwijzerSource, empty_figures
from casework.ervaringwijzer.survey import SurveyClosed, open_invitation, opt_out, record_response
from casework.events import CaseEventData, record_event
from casework.kpi.engine import compute_kpis
from casework.kpi.periods import period_of
from knowledge.privacy import Deidentifier
from models.clock import FixedClock
from models.db import session_factory
from models.outbox import message_of
from models.tables import FeedbackInvitation, FeedbackResponse, Outbox, Team

POLICY = FeedbackPolicy(hash_key=b"test-hash-key", base_url="https://vraagbaak.test/")
TEAM = "Zuilen"
EMAIL = "Client.Voorbeeld@Example.org"


def close_case(
    session: Session, case_ref: str, now: datetime, *, channel: str = "email", contact: str = EMAIL
) -> Planned | Refused:
    """What the chat does at a closure: record the event, then plan with the chosen channel."""
    event = CaseEventData(
        case_ref, TEAM, "afsluiting", now, reden="doel_bereikt", ervaringwijzer=True
    )
    record_event(session, event, registered_by="m005", now=now)
    result = plan_invitation(
        session,
        case_ref=case_ref,
        team=TEAM,
        channel=channel,
        contact=contact,
        closed_at=now,
        now=now,
        policy=POLICY,
        requested_by="m005",
    )
    session.commit()
    return result


def due(session: Session, clock: FixedClock) -> Any:
    report = process_due(session, now=clock.now(), policy=POLICY)
    session.commit()
    return report


def rows(session: Session, model: Any) -> list[Any]:
    return list(session.exec(select(model).order_by(model.id)).all())


def token_of(row: Outbox) -> str:
    """The token from the link in an outbox message, as the client's browser would see it."""
    payload = json.loads(row.payload)
    url = next(
        word
        for word in str(payload.get("text") or payload.get("url")).split()
        if "/ervaringwijzer/" in word and "afmelden" not in word
    )
    return url.rsplit("/", 1)[1]


@pytest.fixture
def session(db: Engine) -> Any:
    with session_factory(db)() as session:
        session.add(Team(name=TEAM, channel_id="C_ZUILEN"))
        session.commit()
        yield session


def test_a_case_closed_twice_gets_one_invitation_after_the_delay(session, clock) -> None:
    first = close_case(session, "C-1", clock.now())
    clock.advance(timedelta(hours=2))
    second = close_case(session, "C-1", clock.now(), contact="ander@example.org")
    assert isinstance(first, Planned) and isinstance(second, Planned)
    assert second.already and second.invitation_id == first.invitation_id
    assert "uitnodiging per e-mail" in first.message
    assert len(rows(session, FeedbackInvitation)) == 1
    assert due(session, clock).invitations == 0  # the delay (24 h) has not passed
    clock.advance(timedelta(hours=22))
    assert due(session, clock).invitations == 1
    assert due(session, clock).invitations == 0
    [mail] = rows(session, Outbox)
    payload = json.loads(mail.payload)
    assert mail.channel_kind == "mail" and payload["to"] == "client.voorbeeld@example.org"
    assert "https://vraagbaak.test/ervaringwijzer/" in payload["text"]
    assert "/ervaringwijzer/afmelden/" in payload["text"]
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.token_hash and token_of(mail) not in invitation.token_hash


def test_a_case_reopened_within_the_delay_gets_nothing(session, clock) -> None:
    close_case(session, "C-2", clock.now())
    clock.advance(timedelta(hours=5))
    record_event(
        session,
        CaseEventData("C-2", TEAM, "aanmelding", clock.now(), melder="huisarts"),
        registered_by="m005",
        now=clock.now(),
    )
    session.commit()
    clock.advance(timedelta(days=1))
    report = due(session, clock)
    assert (report.invitations, report.cancelled) == (0, 1)
    assert rows(session, Outbox) == []
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.cancel_reason == "heropend" and invitation.contact is None
    # closed again later: the same invitation is armed again, and sent once
    clock.advance(timedelta(days=20))
    again = close_case(session, "C-2", clock.now())
    assert isinstance(again, Planned) and not again.already
    clock.advance(timedelta(days=1))
    assert due(session, clock).invitations == 1
    assert len(rows(session, FeedbackInvitation)) == 1


def test_the_contact_is_erased_after_the_reminder_and_the_outbox_keeps_nothing(
    session, clock
) -> None:
    close_case(session, "C-3", clock.now())
    clock.advance(timedelta(days=1))
    due(session, clock)
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.contact == "client.voorbeeld@example.org"  # still needed: the reminder
    clock.advance(timedelta(days=6, hours=23))
    assert due(session, clock).reminders == 0
    clock.advance(timedelta(hours=1))
    assert due(session, clock).reminders == 1
    assert due(session, clock).reminders == 0
    session.expire_all()
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.contact is None and invitation.contact_erased_at == clock.now()
    assert invitation.contact_hash == contact_hash(POLICY.hash_key, "client.voorbeeld@example.org")
    first, reminder = rows(session, Outbox)
    assert json.loads(reminder.payload)["subject"].startswith("Herinnering")
    # both links work (the client may click either), and only once
    assert token_of(first) != token_of(reminder)
    assert open_invitation(session, token_of(first), now=clock.now()).id == invitation.id
    record_response(session, token_of(reminder), {"welkom": "ja"}, now=clock.now(), deidentify=str)
    session.commit()
    with pytest.raises(SurveyClosed) as used:
        record_response(session, token_of(first), {"welkom": "ja"}, now=clock.now(), deidentify=str)
    assert used.value.code == "used" and "al ingevuld" in used.value.message


def test_an_answer_before_the_reminder_erases_the_contact_and_stops_the_reminder(
    session, clock
) -> None:
    close_case(session, "C-4", clock.now())
    clock.advance(timedelta(days=1))
    due(session, clock)
    [mail] = rows(session, Outbox)
    record_response(session, token_of(mail), {"cijfer": "9"}, now=clock.now(), deidentify=str)
    session.commit()
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.contact is None and invitation.responded_at == clock.now()
    clock.advance(timedelta(days=8))
    assert due(session, clock).reminders == 0
    assert len(rows(session, Outbox)) == 1


def test_a_client_invited_in_the_last_90_days_is_recognised_by_the_hash(session, clock) -> None:
    close_case(session, "C-5", clock.now(), contact="client@example.org")
    clock.advance(timedelta(days=1))
    due(session, clock)
    clock.advance(timedelta(days=30))
    refused = close_case(session, "C-6", clock.now(), contact="  CLIENT@example.org ")
    assert isinstance(refused, Refused) and refused.code == "recent"
    assert "90 dagen" in refused.message
    stored = {row.case_ref: row for row in rows(session, FeedbackInvitation)}
    assert set(stored) == {"C-5"}  # nothing stored for the refused case
    assert "client" not in (stored["C-5"].contact_hash or "")
    clock.advance(timedelta(days=61))
    assert isinstance(
        close_case(session, "C-7", clock.now(), contact="client@example.org"), Planned
    )


def test_an_opt_out_stops_everything_for_that_contact(session, clock) -> None:
    close_case(session, "C-8", clock.now(), channel="sms", contact="06-12 34 56 78")
    clock.advance(timedelta(days=1))
    due(session, clock)
    [sms] = rows(session, Outbox)
    assert sms.channel_kind == "sms" and json.loads(sms.payload)["to"] == "+31612345678"
    opt_out(session, token_of(sms), now=clock.now())
    session.commit()
    clock.advance(timedelta(days=100))
    assert due(session, clock).reminders == 0
    refused = close_case(session, "C-9", clock.now(), channel="sms", contact="+31 6 1234 5678")
    assert isinstance(refused, Refused) and refused.code == "opted_out"
    with pytest.raises(SurveyClosed) as closed:
        open_invitation(session, token_of(sms), now=clock.now())
    assert closed.value.code == "closed"


@pytest.mark.parametrize(
    ("channel", "contact", "code"),
    [
        ("email", "geen-adres", "invalid_email"),
        ("email", "a@b", "invalid_email"),
        ("sms", "020 123 4567", "invalid_phone"),  # a landline cannot get an sms
        ("sms", "", "invalid_phone"),
        ("fax", "x", "invalid_channel"),
    ],
)
def test_invalid_contacts_are_refused_in_dutch(session, clock, channel, contact, code) -> None:
    result = close_case(session, "C-10", clock.now(), channel=channel, contact=contact)
    assert isinstance(result, Refused) and result.code == code
    assert rows(session, FeedbackInvitation) == []


def test_phone_numbers_are_normalised() -> None:
    assert normalise_phone("06-12345678") == normalise_phone("0031 6 1234 5678") == "+31612345678"
    assert normalise_phone("+32 470 12 34 56") == "+32470123456"
    assert normalise_phone("12345") is None


def test_a_link_goes_to_the_generalist_with_a_qr_code(session, clock) -> None:
    close_case(session, "C-11", clock.now(), channel="link", contact="")
    clock.advance(timedelta(days=1))
    report = due(session, clock)
    [row] = rows(session, Outbox)
    payload = json.loads(row.payload)
    assert row.channel_kind == "chat" and row.template == "ervaringwijzer.link"
    assert payload["to_member"] == "m005" and payload["url"].startswith("https://vraagbaak.test/")
    assert report.links == [message_of(row)]
    import base64

    assert base64.b64decode(payload["chart_png"]).startswith(b"\x89PNG")
    clock.advance(timedelta(days=10))
    assert due(session, clock).reminders == 0  # nobody to remind: the generalist shared it
    [invitation] = rows(session, FeedbackInvitation)
    assert invitation.contact is None and invitation.contact_hash is None


def test_an_expired_token_is_refused(session, clock) -> None:
    close_case(session, "C-12", clock.now())
    clock.advance(timedelta(days=1))
    due(session, clock)
    [mail] = rows(session, Outbox)
    clock.advance(timedelta(days=30))
    with pytest.raises(SurveyClosed) as expired:
        record_response(session, token_of(mail), {"welkom": "ja"}, now=clock.now(), deidentify=str)
    assert expired.value.code == "expired" and "werkt niet meer" in expired.value.message
    with pytest.raises(SurveyClosed) as unknown:
        open_invitation(session, "x" * 43, now=clock.now())
    assert unknown.value.code == "unknown"


def test_responses_reach_the_kpis_and_the_team_channel_de_identified(session, clock) -> None:
    answers = [
        {"welkom": "ja", "samen": "ja", "inzet": "ja", "cijfer": "9"},
        {
            "welkom": "ja",
            "samen": "nee",
            "cijfer": "5",
            "opmerkingen": "mijn zoon kevin en ik waren blij, bel mij op 0612345678.",
        },
        {"welkom": "een_beetje", "inzet": "ja"},
    ]
    for number in range(4):
        close_case(session, f"K-{number}", clock.now(), contact=f"c{number}@example.org")
    clock.advance(timedelta(days=1))
    due(session, clock)
    mails = rows(session, Outbox)
    deidentifier = Deidentifier(use_deduce=False)
    for mail, form in zip(mails, answers, strict=False):
        record_response(
            session,
            token_of(mail),
            form,
            now=clock.now(),
            deidentify=lambda t: deidentifier.deidentify(t).text,
        )
    session.commit()
    [remark] = [row for row in rows(session, Outbox) if row.template == "ervaringwijzer.remark"]
    payload = json.loads(remark.payload)
    assert payload["channel"] == "C_ZUILEN" and "0612345678" not in payload["remark"]
    assert "[telefoonnummer]" in payload["remark"] and "K-" not in remark.payload
    assert "kevin" not in remark.payload and "[naam]" in payload["remark"]  # lower case too
    stored = [r.remarks for r in rows(session, FeedbackResponse)]
    assert not any("0612345678" in (text or "") for text in stored)

    period = period_of(clock.now().date(), "month")
    [report] = compute_kpis(
        session, [period], now=clock.now(), extra_sources=[ErvaringwijzerSource()]
    )
    figures = report.teams[TEAM].extra["ervaringwijzer"]
    assert figures["uitnodigingen"] == 4 and figures["reacties"] == 3
    assert figures["respons"] == {"aantal": 3, "van": 4, "pct": 75.0}
    assert figures["rapportcijfer"]["gemiddeld"] == 7.0 and figures["rapportcijfer"]["n"] == 2
    assert figures["positief"]["welkom"] == {"aantal": 2, "van": 3, "pct": 66.7}
    assert figures["positief"]["samen"] == {"aantal": 1, "van": 2, "pct": 50.0}
    assert figures["positief"]["inzet"]["pct"] == 100.0
    assert report.city.extra["ervaringwijzer"]["reacties"] == 3
    assert report.teams["Oost"].extra["ervaringwijzer"] in ({}, empty_figures())
    assert report.as_dict()["teams"][TEAM]["ervaringwijzer"]["reacties"] == 3
