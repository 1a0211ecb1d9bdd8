"""Digest content from real case events, and the exactly-once claim, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casework.digest import DigestError, build_digest, claim_digest
from casework.events import CaseEventData, record_event
from casework.kpi.periods import period_of
from knowledge.demo import seed_teams
from models.clock import AMSTERDAM
from models.db import make_engine, session_factory
from models.errors import Why
from models.outbox import payload_of
from models.tables import DigestRun, Outbox, Team

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)
W47 = period_of(NOW.date() - timedelta(days=7), "week")
W46_MONDAY = datetime(2026, 11, 9, 9, 0, tzinfo=AMSTERDAM)
W47_MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=AMSTERDAM)


def _event(
    session: Session, ref: str, team: str, kind: str, at: datetime, **fields: object
) -> None:
    event = CaseEventData(case_ref=ref, team=team, kind=kind, occurred_at=at, **fields)  # type: ignore[arg-type]
    record_event(session, event, registered_by="import", now=NOW)


def _seed(engine: Engine) -> None:
    """Lunetten: 5 new cases in week 46, 7 in week 47 of which 2 closed; Zuilen: 11 new."""
    with Session(engine) as session:
        seed_teams(session)
        for n in range(5):
            _event(session, f"L46-{n}", "Lunetten", "aanmelding", W46_MONDAY + timedelta(hours=n))
        for n in range(7):
            _event(session, f"L47-{n}", "Lunetten", "aanmelding", W47_MONDAY + timedelta(hours=n))
        for n in range(2):
            _event(
                session,
                f"L46-{n}",
                "Lunetten",
                "afsluiting",
                W47_MONDAY + timedelta(days=2, hours=n),
                reden="doel_bereikt",
                zelfstandig_verder=True,
                volgens_plan=True,
            )
        for n in range(11):
            _event(session, f"Z47-{n}", "Zuilen", "aanmelding", W47_MONDAY + timedelta(hours=n))
        team = session.exec(select(Team).where(Team.name == "Lunetten")).one()
        team.channel_id = "C0LUNETTEN"
        session.add(team)
        session.commit()


def _lines(payload: dict[str, object]) -> dict[str, dict[str, object]]:
    sections = payload["sections"]
    assert isinstance(sections, list)
    return {line["key"]: line for section in sections for line in section["lines"]}


def test_digest_shows_the_week_against_the_week_before_and_the_average_team(db: Engine) -> None:
    _seed(db)
    with Session(db) as session:
        payload = build_digest(session, "Lunetten", W47, now=NOW, chart=False)
    lines = _lines(payload)
    assert lines["gestart"] == lines["gestart"] | {"value": "7", "previous": "5", "change": "+2"}
    assert lines["gestart"]["city"] == "1,0"  # (7 + 11) new cases / 18 teams
    assert lines["lopend"]["value"] == "12"
    assert payload["period_title"] == "week 47 (16 t/m 22 november)"
    assert payload["previous_title"] == "week 46 (9 t/m 15 november)"
    assert payload["computed_at_text"] == "dinsdag 24 november 2026 om 10:00"
    # no Wat Telt metingen among 12 lopende cases
    assert (lines["wat_telt"]["value"], lines["wat_telt"]["note"]) == (
        "0,0%",
        "doel 50% niet gehaald",
    )
    assert "chart_png" not in payload


def test_small_numbers_are_hidden_and_their_changes_left_out(db: Engine) -> None:
    _seed(db)
    with Session(db) as session:
        protected = _lines(build_digest(session, "Lunetten", W47, now=NOW, chart=False))
        exact = _lines(build_digest(session, "Lunetten", W47, now=NOW, chart=False, protect=False))
    assert protected["afgesloten"] | {"city": None} == {
        "key": "afgesloten",
        "label": "Afgesloten",
        "value": "<5",  # 2 closed
        "previous": "<5",  # 0 closed
        "change": None,
        "city": None,
    }
    assert protected["doelbereik"]["value"] == "n<5"  # 100% of 2 would name them
    assert protected["hbh"]["value"] == "<5"  # zero is below five too
    assert exact["afgesloten"]["value"] == "2" and exact["doelbereik"]["value"] == "100,0%"


def test_the_chart_travels_in_the_payload(db: Engine) -> None:
    _seed(db)
    with Session(db) as session:
        payload = build_digest(session, "Lunetten", W47, now=NOW)
    png = base64.b64decode(str(payload["chart_png"]))
    assert png.startswith(b"\x89PNG") and len(str(payload["chart_png"])) < 150_000
    assert payload["chart_filename"] == "cijfers-lunetten-2026-W47.png"


def test_a_digest_is_claimed_once_per_team_and_period(db: Engine) -> None:
    _seed(db)
    with Session(db) as session:
        assert claim_digest(session, "Lunetten", "2026-W47", NOW, "host:1")
        session.commit()
    with Session(db) as session:
        assert not claim_digest(session, "Lunetten", "2026-W47", NOW + timedelta(hours=1), "x")
        assert claim_digest(session, "Lunetten", "2026-W46", NOW, "host:1")  # another period
        session.commit()
        runs = session.exec(select(DigestRun).order_by(DigestRun.period_key)).all()
        rows = session.exec(select(Outbox).order_by(Outbox.key)).all()
    assert [(r.period_key, r.claimed_by, r.outbox_key) for r in runs] == [
        ("2026-W46", "host:1", "digest:Lunetten:2026-W46"),
        ("2026-W47", "host:1", "digest:Lunetten:2026-W47"),
    ]
    assert [r.key for r in rows] == ["digest:Lunetten:2026-W46", "digest:Lunetten:2026-W47"]
    assert payload_of(rows[1])["channel"] == "C0LUNETTEN"
    assert rows[1].template == "digest.team"


def test_a_claim_that_is_rolled_back_leaves_the_period_free(db: Engine) -> None:
    _seed(db)
    with Session(db) as session:
        assert claim_digest(session, "Lunetten", "2026-W47", NOW, "crashed")
        session.rollback()  # the process died before committing
    with Session(db) as session:
        assert claim_digest(session, "Lunetten", "2026-W47", NOW, "next")
        session.commit()
        assert session.exec(select(DigestRun.claimed_by)).all() == ["next"]


def test_a_team_without_a_channel_gets_no_digest(db: Engine) -> None:
    _seed(db)
    with Session(db) as session, pytest.raises(DigestError, match=Why.DIGEST_NO_CHANNEL):
        claim_digest(session, "Zuilen", "2026-W47", NOW, "host:1")


def test_two_processes_claiming_at_the_same_moment_send_once(db: Engine) -> None:
    """Two engines (two processes' connection pools) race for the same row."""
    _seed(db)
    second = make_engine(db.url.render_as_string(hide_password=False))
    factories = [session_factory(db), session_factory(second)]
    start, results = threading.Barrier(2), []

    def claim(index: int) -> None:
        with factories[index]() as session:
            start.wait()
            results.append(claim_digest(session, "Lunetten", "2026-W47", NOW, f"p{index}"))
            session.commit()

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    second.dispose()
    assert sorted(results) == [False, True]
    with Session(db) as session:
        assert session.execute(sa.select(sa.func.count()).select_from(Outbox)).scalar() == 1
        assert session.execute(sa.select(sa.func.count()).select_from(DigestRun)).scalar() == 1
