"""The share-a-link invitation leaves no live survey link in the outbox once it is delivered
(Slack and console); until then the payload stays whole, so a retry sends the same link."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import ids
from bot.console.chat import ConsoleChat
from casework.ervaringwijzer.survey import open_invitation
from models.clock import FixedClock
from models.db import SessionFactory
from models.tables import FeedbackInvitation, Outbox
from tests.e2e.conftest import SlackHarness
from tests.helpers import ASKER, buttons, make_deps

LINK = re.compile(r"https?://\S+/ervaringwijzer/([A-Za-z0-9_-]{43})")


def _link_row(sessions: SessionFactory) -> Outbox:
    with sessions() as session:
        return session.exec(select(Outbox).where(Outbox.template == "ervaringwijzer.link")).one()


def test_the_link_leaves_the_outbox_once_slack_has_it_and_a_retry_sends_the_same(
    slack: SlackHarness,
) -> None:
    slack.command(ASKER, "casus 4711 afgesloten, doel bereikt, ervaringwijzer ja", "/registreer")
    card = [m for m in slack.posted() if buttons(m, ids.REG_SAVE)][-1]
    slack.click(ASKER, ids.REG_SAVE, buttons(card, ids.REG_SAVE)[0])
    link = buttons(slack.api.called("chat.update")[-1], ids.REG_INVITE)[-1]
    slack.click(ASKER, ids.REG_INVITE, link)
    slack.clock.advance(timedelta(hours=25))
    slack.api.fail_next("files.completeUploadExternal", status=500)
    slack.deps.tick()
    waiting = _link_row(slack.deps.sessions)
    assert waiting.status == "pending" and waiting.attempts == 1
    assert LINK.search(json.loads(waiting.payload)["url"])  # kept for the retry
    slack.clock.advance(timedelta(minutes=1))
    slack.deps.tick()
    sent = _link_row(slack.deps.sessions)
    assert sent.status == "sent"
    payload = json.loads(sent.payload)
    assert "url" not in payload and "chart_png" not in payload
    assert "/ervaringwijzer/" not in sent.payload
    assert (payload["to_member"], payload["case_ref"]) == (ASKER, "4711")
    (upload,) = slack.api.called("files.completeUploadExternal", include_failed=False)
    match = LINK.search(str(upload["initial_comment"]))
    assert match is not None
    with slack.deps.sessions() as session:  # the link the generalist got still works
        invitation = open_invitation(session, match[1], now=slack.clock.now())
        assert invitation.case_ref == "4711"


def test_the_console_shows_the_link_and_the_outbox_forgets_it(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock, feedback_hash_key="console-hash-key")
    out = io.StringIO()
    chat = ConsoleChat(deps, ASKER, out, advance=clock.advance)
    chat.handle("casus 4711 afgesloten, doel bereikt, ervaringwijzer ja")
    chat.handle("/opslaan")
    chat.handle("/uitnodigen link")
    chat.handle("/wacht 1500")  # 25 hours: the invitation is due
    match = LINK.search(out.getvalue())
    assert match is not None
    row = _link_row(deps.sessions)
    assert row.status == "sent" and match[1] not in row.payload
    assert "url" not in json.loads(row.payload)
    with deps.sessions() as session:
        (invitation,) = session.exec(select(FeedbackInvitation)).all()
    assert invitation.sent_at is not None
