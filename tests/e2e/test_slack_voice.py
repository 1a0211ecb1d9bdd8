"""Ask by voice in Slack, end to end: a clip shared in a DM is fetched from the (fake) Web API
with the bot token, transcribed by the real model, and shown as "Ik heb verstaan: …"; nothing
goes anywhere before Versturen, and Versturen goes the way a typed DM goes. Over HTTP the clip
is stored in the durable inbox before its ack and transcribed by an inbox worker; a clip whose
process died mid-way is taken again and shown once.

The speech is robotic (espeak-ng), so the transcript is a draft: the flow is asserted, and the
words only loosely."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import select
from starlette.testclient import TestClient

from bot import ids
from bot.slack.sender import SlackChatSender
from bot.web.server import inbox_for, starlette_app
from models.clock import FixedClock
from models.inbox import INBOX, record
from models.outbox import payload_of
from models.statuses import InboxStatus
from models.tables import Outbox, Question
from tests.audio import QUESTION_WAV, QUESTION_WORDS, convert, silence, word_overlap
from tests.e2e.conftest import SlackHarness, wired_app
from tests.fakes.slack_files import FakeSlackFiles
from tests.helpers import ASKER, buttons, chat_id, invitations, make_deps
from tests.slack_requests import (
    FORM,
    JSON,
    SIGNING_SECRET,
    action_body,
    block_action_payload,
    event_body,
    message_event,
    signed_headers,
)

pytestmark = pytest.mark.slow  # the real Whisper model (loaded once per process)


@pytest.fixture
def voice_api() -> Iterator[FakeSlackFiles]:
    api = FakeSlackFiles()
    api.start()
    yield api
    api.stop()


@pytest.fixture
def clip_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where clips' temporary files go; the tests check it is empty afterwards."""
    directory = tmp_path / "clips"
    directory.mkdir()
    monkeypatch.setenv("VRAAGBAAK_VOICE_TEMP_DIR", str(directory))
    monkeypatch.setenv("VRAAGBAAK_VOICE_MAX_SECONDS", "20")
    return directory


def _harness(db: Engine, clock: FixedClock, api: FakeSlackFiles) -> SlackHarness:
    client = WebClient(token="xoxb-test", base_url=api.base_url)
    deps = make_deps(db, clock)
    deps.attach_sender(SlackChatSender(client))
    app = wired_app(deps, client)
    api.reset()
    return SlackHarness(app, api, deps, clock)


@pytest.fixture
def voice(db: Engine, clock: FixedClock, voice_api: FakeSlackFiles, clip_dir: Path) -> SlackHarness:
    return _harness(db, clock, voice_api)


def _send_clip(slack: SlackHarness, data: bytes, filetype: str, **fields: Any) -> str:
    api = slack.api
    assert isinstance(api, FakeSlackFiles)
    file = api.add_file(data, filetype=filetype, **fields)
    ts = slack.next_ts()
    event = message_event(
        "", user=chat_id(ASKER), channel="D" + chat_id(ASKER), ts=ts, subtype="file_share"
    )
    event["files"] = [{"id": file["id"], "filetype": filetype, "mimetype": file["mimetype"]}]
    assert slack.event(event).status == 200
    slack.last_event = event  # type: ignore[attr-defined]
    return ts


def _cards(slack: SlackHarness) -> list[dict[str, Any]]:
    return [m for m in slack.posted() if buttons(m, ids.VOICE_SEND)]


def _questions(slack: SlackHarness) -> list[Question]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(Question)).all())


def test_a_clip_is_shown_as_heard_and_nothing_leaves_before_versturen(
    voice: SlackHarness, clip_dir: Path, tmp_path: Path
) -> None:
    m4a = convert(QUESTION_WAV, tmp_path / "vraag.m4a")
    ts = _send_clip(voice, m4a.read_bytes(), "m4a")

    assert isinstance(voice.api, FakeSlackFiles) and len(voice.api.downloads) == 1
    (card,) = _cards(voice)
    assert card["text"].startswith("Ik heb verstaan:") and card["thread_ts"] == ts
    assert buttons(card, ids.VOICE_EDIT) and buttons(card, ids.VOICE_CANCEL)
    heard = card["text"].split("\n")[1]  # the quoted transcript
    assert word_overlap(heard, QUESTION_WORDS) >= 0.2  # a draft: a loose floor only
    assert list(clip_dir.iterdir()) == []  # the temporary audio file is gone
    assert _questions(voice) == []  # nothing reached the intake yet
    with voice.deps.sessions() as session:
        assert invitations(session) == []

    key = buttons(card, ids.VOICE_SEND)[0]
    voice.click(ASKER, ids.VOICE_SEND, key)
    voice.click(ASKER, ids.VOICE_SEND, key)  # a double tap sends once

    (question,) = _questions(voice)  # the typed-DM path took it in: de-identified, routed
    assert question.asker_id == ASKER
    with voice.deps.sessions() as session:
        rows = session.exec(select(Outbox).where(Outbox.key == key)).all()
        assert "verwijderd" in payload_of(rows[0])  # the raw transcript left the database
        assert "Ik heb verstaan" not in json.dumps(
            [payload_of(r) for r in session.exec(select(Outbox)).all()]
        )
    updates = voice.api.called("chat.update")
    assert any(u["text"].startswith("Verstuurd") for u in updates)


def test_annuleren_sends_nothing_and_forgets_the_transcript(
    voice: SlackHarness, tmp_path: Path
) -> None:
    _send_clip(voice, convert(QUESTION_WAV, tmp_path / "vraag.webm").read_bytes(), "webm")
    (card,) = _cards(voice)
    key = buttons(card, ids.VOICE_CANCEL)[0]
    voice.click(ASKER, ids.VOICE_CANCEL, key)
    voice.click(ASKER, ids.VOICE_SEND, key)  # too late: already cancelled

    assert _questions(voice) == []
    assert any("al verstuurd, geannuleerd" in m["text"] for m in voice.posted())
    with voice.deps.sessions() as session:
        (row,) = session.exec(select(Outbox).where(Outbox.key == key)).all()
        assert "verwijderd" in payload_of(row)


def test_aanpassen_opens_the_text_and_a_corrected_registration_gets_its_card(
    voice: SlackHarness,
) -> None:
    _send_clip(voice, QUESTION_WAV.read_bytes(), "wav")
    (card,) = _cards(voice)
    key = buttons(card, ids.VOICE_EDIT)[0]
    voice.click(ASKER, ids.VOICE_EDIT, key)
    (opened,) = voice.api.called("views.open")
    assert opened["view"]["callback_id"] == ids.VOICE_EDIT_VIEW
    assert _questions(voice) == []

    response = voice.submit(
        ASKER,
        ids.VOICE_EDIT_VIEW,
        {
            "text": {
                "value": {
                    "type": "plain_text_input",
                    "value": "casus 4711 afgesloten, doel bereikt",
                }
            }
        },
        private_metadata=opened["view"]["private_metadata"],
    )
    assert response.status == 200
    registration = [m for m in voice.posted() if buttons(m, ids.REG_SAVE)]
    assert len(registration) == 1 and "4711" in registration[0]["text"]
    assert _questions(voice) == []  # a registration, not a question


def test_a_clip_longer_than_the_limit_is_refused_in_dutch(
    voice: SlackHarness, clip_dir: Path, tmp_path: Path
) -> None:
    long_clip = silence(tmp_path / "lang.wav", 25)
    _send_clip(voice, long_clip.read_bytes(), "wav")
    assert _cards(voice) == []
    (notice,) = voice.posted()
    assert "duurt 25 seconden" in notice["text"] and "tot 20" in notice["text"]
    assert list(clip_dir.iterdir()) == []

    _send_clip(voice, b"\0" * 100, "m4a", duration_ms=300_000)  # refused before downloading
    assert "duurt 300 seconden" in voice.posted()[-1]["text"]
    assert isinstance(voice.api, FakeSlackFiles) and len(voice.api.downloads) == 1


def test_with_voice_off_the_sender_is_told_and_nothing_is_downloaded(
    db: Engine,
    clock: FixedClock,
    voice_api: FakeSlackFiles,
    clip_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("VRAAGBAAK_VOICE_ENABLED", "false")
    slack = _harness(db, clock, voice_api)
    _send_clip(slack, QUESTION_WAV.read_bytes(), "wav")
    (notice,) = slack.posted()
    assert "Spraakberichten staan bij Vraagbaak niet aan" in notice["text"]
    assert voice_api.downloads == [] and _questions(slack) == []


def test_a_clip_delivered_twice_is_transcribed_and_shown_once(voice: SlackHarness) -> None:
    _send_clip(voice, QUESTION_WAV.read_bytes(), "wav")
    assert voice.event(voice.last_event).status == 200  # type: ignore[attr-defined]
    assert len(_cards(voice)) == 1
    assert isinstance(voice.api, FakeSlackFiles) and len(voice.api.downloads) == 1


def _eventually(condition: Callable[[], bool], seconds: float = 120.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


# -- through the durable inbox (HTTP) ---------------------------------------------------------
def _clip_body(slack: SlackHarness, event_id: str) -> str:
    api = slack.api
    assert isinstance(api, FakeSlackFiles)
    file = api.add_file(QUESTION_WAV.read_bytes(), filetype="wav")
    event: dict[str, Any] = message_event(
        "",
        user=chat_id(ASKER),
        channel="D" + chat_id(ASKER),
        ts=slack.next_ts(),
        subtype="file_share",
    )
    event["files"] = [{"id": file["id"], "filetype": "wav", "mimetype": "audio/wav"}]
    return event_body(event, event_id=event_id)


def test_a_clip_over_http_is_stored_transcribed_by_a_worker_and_sent_on_click(
    voice: SlackHarness,
) -> None:
    body = _clip_body(voice, "EvVOICE1")
    inbox = inbox_for(voice.app, voice.deps)
    with TestClient(starlette_app(voice.app, SIGNING_SECRET, voice.deps, inbox=inbox)) as client:
        response = client.post("/slack/events", content=body, headers=signed_headers(body, JSON))
        assert response.status_code == 200
        assert _eventually(lambda: len(_cards(voice)) == 1)
        assert "vraagbaak_voice_queue_depth 0.0" in client.get("/metrics").text
        key = buttons(_cards(voice)[0], ids.VOICE_SEND)[0]
        payload = block_action_payload(
            ids.VOICE_SEND,
            key,
            user_id=chat_id(ASKER),
            channel_id="D" + chat_id(ASKER),
            message_ts=voice.next_ts(),
            block_id="voice:pending",
        )
        click = action_body(payload)
        headers = signed_headers(click, FORM)
        assert client.post("/slack/events", content=click, headers=headers).status_code == 200
        assert _eventually(lambda: len(_questions(voice)) == 1)


def _inbox_status(slack: SlackHarness) -> object:
    with slack.deps.engine.connect() as connection:
        return connection.execute(INBOX.select()).one().status


def test_a_clip_left_by_a_crashed_process_is_transcribed_once(voice: SlackHarness) -> None:
    now = datetime.now(UTC)
    with voice.deps.engine.begin() as connection:
        record(
            connection,
            key="event:EvVOICECRASH",
            kind="event",
            body=_clip_body(voice, "EvVOICECRASH"),
            content_type=JSON,
            now=now - timedelta(minutes=2),
            claimed_by="crashed-host:1:abc",
            lease=timedelta(seconds=60),
        )
    inbox = inbox_for(voice.app, voice.deps)
    inbox.start()
    try:
        assert _eventually(lambda: len(_cards(voice)) == 1)
        assert _eventually(lambda: _inbox_status(voice) == InboxStatus.DONE)
    finally:
        inbox.stop(5)
    assert len(_cards(voice)) == 1 and _questions(voice) == []
