"""A question full of client data reaches no expert unredacted (deduce plus own detectors)."""

from __future__ import annotations

import logging

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import ids
from bot.slack.sender import SlackChatSender
from knowledge.privacy import Deidentifier
from models.clock import FixedClock
from models.tables import Outbox, Question
from tests.e2e.conftest import SlackHarness, wired_app
from tests.fakes.slack_api import FakeSlackApi
from tests.helpers import ASKER, chat_id, make_deps

CLIENT_DATA = {
    "name": "Jeroen Bakker",
    "bsn": "574351656",
    "street": "Marco Pololaan 214",
    "postcode": "3526 GK",
    "phone": "06-12345678",
    "email": "j.bakker@example.nl",
    "iban": "NL91 ABNA 0417 1643 00",
    "birth": "12-03-1961",
}
QUESTION = (
    f"Klant {CLIENT_DATA['name']} (BSN {CLIENT_DATA['bsn']}, geboren {CLIENT_DATA['birth']}) "
    f"woont op {CLIENT_DATA['street']}, {CLIENT_DATA['postcode']} in Kanaleneiland, tel "
    f"{CLIENT_DATA['phone']}, mail {CLIENT_DATA['email']}, rekening {CLIENT_DATA['iban']}. "
    "Hij heeft schulden bij Mitros en zijn bewindvoerder stopt. Wie weet hoe een WSNP-aanvraag "
    "werkt?"
)


@pytest.fixture(scope="module")
def deidentifier() -> Deidentifier:
    return Deidentifier()  # with deduce: loaded once for this module


@pytest.mark.slow
def test_no_client_data_reaches_an_expert_or_the_database(
    db: Engine, clock: FixedClock, deidentifier: Deidentifier, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with FakeSlackApi() as api:
        client = WebClient(token="xoxb-test", base_url=api.base_url)
        deps = make_deps(db, clock, deidentifier=deidentifier)
        deps.attach_sender(SlackChatSender(client))
        slack = SlackHarness(wired_app(deps, client), api, deps, clock)
        api.reset()
        assert slack.dm(ASKER, QUESTION).status == 200
        preview = slack.posted("D" + chat_id(ASKER))[0]["text"]  # nobody else has seen it yet
        assert "BSN" in preview and "naam" in preview and "IBAN" in preview
        with deps.sessions() as session:
            question_id = session.exec(select(Question)).one().id
        slack.click(ASKER, ids.QUESTION_SEND, str(question_id))
        sent = slack.all_text()
        with deps.sessions() as session:
            stored = session.exec(select(Question)).one()
            payloads = " ".join(row.payload for row in session.exec(select(Outbox)).all())
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged  # the libraries did log at DEBUG; none of it may hold the original
    for value in CLIENT_DATA.values():
        assert value not in sent, value
        assert value not in logged, value
        assert value not in stored.text and value not in payloads, value
    invites = [b for b in slack.posted("U") if "Ik pak hem op" in str(b.get("blocks"))]
    assert len(invites) == 3
    for kept in ("Kanaleneiland", "Mitros", "WSNP", "bewindvoerder"):
        assert kept in invites[0]["text"]
    notice = slack.posted("D" + chat_id(ASKER))[1]["text"]
    assert "BSN" in notice and "naam" in notice and "IBAN" in notice
