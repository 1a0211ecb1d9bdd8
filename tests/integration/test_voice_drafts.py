"""A transcript waiting for its asker lives only in its card's payload, is decided once, and
is forgotten when it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge.speech import drafts
from models.clock import FixedClock
from models.messages import Address
from models.outbox import payload_of
from models.tables import Outbox
from tests.helpers import ASKER

KEY = "voice:DUM005:1764000000.000001"


def _propose(session: Session, clock: FixedClock) -> None:
    drafts.propose(
        session,
        key=KEY,
        member_id=ASKER,
        to=Address.conversation("DUM005", "1764000000.000001"),
        transcript="mevrouw de vries heeft schulden",
        duration_seconds=3.04,
        repaired=False,
        now=clock.now(),
    )
    session.commit()


def _payloads(session: Session) -> str:
    return " ".join(row.payload for row in session.exec(select(Outbox)).all())


def test_a_transcript_is_taken_once_and_leaves_the_database(db: Engine, clock: FixedClock) -> None:
    with Session(db) as session:
        _propose(session, clock)
        assert drafts.latest_pending(session, ASKER) == KEY
        with pytest.raises(drafts.DraftError, match="Alleen wie"):
            drafts.take(session, KEY, "m999", clock.now())
        assert drafts.take(session, KEY, ASKER, clock.now()) == "mevrouw de vries heeft schulden"
        session.commit()
        with pytest.raises(drafts.DraftError, match="al verstuurd"):
            drafts.take(session, KEY, ASKER, clock.now())
        assert "vries" not in _payloads(session)
        assert drafts.latest_pending(session, ASKER) is None
        redrawn = session.exec(select(Outbox).where(Outbox.key == f"{KEY}:sent")).one()
        assert payload_of(redrawn)["update_of"] == KEY and payload_of(redrawn)["state"] == "sent"


def test_an_unconfirmed_transcript_expires(db: Engine, clock: FixedClock) -> None:
    with Session(db) as session:
        _propose(session, clock)
        assert drafts.expire(session, clock.now() + timedelta(hours=23)) == 0
        later = clock.now() + timedelta(hours=25)
        with pytest.raises(drafts.DraftError, match="verlopen"):
            drafts.take(session, KEY, ASKER, later)
        session.commit()
        assert "vries" not in _payloads(session)
        assert drafts.expire(session, later) == 0  # idempotent


def test_the_sweep_expires_what_nobody_clicked(db: Engine, clock: FixedClock) -> None:
    with Session(db) as session:
        _propose(session, clock)
        assert drafts.expire(session, clock.now() + timedelta(hours=25)) == 1
        session.commit()
        assert "vries" not in _payloads(session)
        assert session.exec(select(Outbox).where(Outbox.key == f"{KEY}:expired")).one()
