"""The case event log on both stores: idempotent recording, retraction, import and export."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from casework.events import (
    CaseEventData,
    Recorded,
    RetractRefused,
    export_events,
    import_events,
    import_events_file,
    parse_event,
    record_event,
    retract_event,
)
from models.clock import AMSTERDAM, FixedClock
from models.errors import Why
from models.tables import CaseEvent

FIXTURE = Path(__file__).parents[1] / "fixtures" / "kpi" / "case_events_2017.jsonl"
CLOSING = {
    "case_ref": "17-000001",
    "team": "Zuilen",
    "kind": "afsluiting",
    "occurred_at": "2017-03-26T02:30:00",  # the hour that does not exist (DST)
    "reden": "doel_bereikt",
    "zelfstandig_verder": True,
    "volgens_plan": True,
    "ervaringwijzer": False,
    "rapportcijfer": 8,
}


def _lines(*events: dict[str, object]) -> list[str]:
    return [json.dumps(event) for event in events]


def _event(**changes: object) -> CaseEventData:
    return parse_event({**CLOSING, **changes})


def test_recording_the_same_event_twice_stores_it_once(db: Engine, clock: FixedClock) -> None:
    with Session(db) as session:
        first = record_event(session, _event(), registered_by="m005", now=clock.now())
        again = record_event(session, _event(team="zuilen"), registered_by="m006", now=clock.now())
        other = record_event(
            session, _event(rapportcijfer=7), registered_by="m005", now=clock.now()
        )
        session.commit()
        rows = session.exec(select(CaseEvent)).all()
    assert first.created and not again.created and other.created
    assert again.event_id == first.event_id
    assert len(rows) == 2
    stored = next(row for row in rows if row.id == first.event_id)
    assert stored.registered_by == "m005" and stored.occurred_at.tzinfo is not None
    assert stored.volgens_plan is True and stored.rapportcijfer == 8


def test_a_registration_can_be_retracted_within_15_minutes_only(
    db: Engine, clock: FixedClock
) -> None:
    with Session(db) as session:
        early = record_event(session, _event(), registered_by="m005", now=clock.now())
        late = record_event(session, _event(case_ref="17-2"), registered_by="m005", now=clock.now())
        clock.advance(timedelta(minutes=14))
        retract_event(session, early.event_id, now=clock.now())
        with pytest.raises(RetractRefused):
            retract_event(session, early.event_id, now=clock.now())
        clock.advance(timedelta(minutes=2))
        with pytest.raises(RetractRefused, match=Why.RETRACT_WINDOW):
            retract_event(session, late.event_id, now=clock.now())
        session.commit()
        out = io.StringIO()
        assert export_events(session, out) == 1  # the retracted one no longer counts
        again = record_event(session, _event(), registered_by="m007", now=clock.now())
        session.commit()
        assert again == Recorded(early.event_id, False)
        assert export_events(session, io.StringIO()) == 2  # registered anew: counts again


def test_import_reports_duplicates_and_rejects_bad_rows_with_a_reason(
    db: Engine, clock: FixedClock
) -> None:
    good = {"case_ref": "17-9", "team": "OV Centrum", "kind": "aanmelding"}
    lines = [
        *_lines({**good, "occurred_at": "2017-02-01T09:00:00", "melder": "Veilig Thuis"}),
        *_lines({**good, "occurred_at": "2017-02-01T09:00:00", "melder": "veilig_thuis"}),
        *_lines({**good, "kind": "verhuizing", "occurred_at": "2017-02-01T09:00:00"}),
        *_lines({**good, "team": "Atlantis", "occurred_at": "2017-02-01T09:00:00"}),
        *_lines({**good, "occurred_at": "1 februari"}),
        *_lines({**CLOSING, "rapportcijfer": 11}),
        *_lines({**good, "kind": "wat_telt_meting", "occurred_at": "2017-02-02T10:00:00",
                 "scores": {"geld": 16}}),
        *_lines({**good, "kind": "wat_telt_meting", "occurred_at": "2017-02-02T10:00:00",
                 "scores": {"sterrenkunde": 3}}),
        "{niet json",
        "",
    ]  # fmt: skip
    with Session(db) as session:
        report = import_events(session, lines, now=clock.now())
        session.commit()
        stored = session.exec(select(CaseEvent)).one()
    assert (report.read, report.imported, report.duplicates) == (9, 1, 1)
    reasons = dict(report.rejected)
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9]
    assert reasons[3].startswith("onbekende soort")
    assert reasons[4].startswith("onbekend team")
    assert reasons[5].startswith("ongeldige datum")
    assert reasons[6].startswith("rapportcijfer buiten bereik")
    assert reasons[7].startswith("score voor geld buiten bereik")
    assert reasons[8].startswith("onbekend leefgebied")
    assert reasons[9] == "geen geldige JSON"
    assert stored.team == "Overvecht Centrum" and stored.melder == "veilig_thuis"
    assert stored.registered_by == "import"
    assert stored.occurred_at == datetime(2017, 2, 1, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


def test_export_gives_back_what_was_imported_and_reimport_adds_nothing(
    db: Engine, clock: FixedClock
) -> None:
    original = FIXTURE.read_text(encoding="utf-8").splitlines()
    shuffled = original[::-1]  # arrival order must not matter
    with Session(db) as session:
        first = import_events(session, shuffled, now=clock.now(), batch_size=4000)
        session.commit()
        out = io.StringIO()
        written = export_events(session, out)
        again = import_events_file(session, FIXTURE, now=clock.now())
        session.commit()
    unique = {json.dumps(json.loads(line), sort_keys=True) for line in original}
    exported = out.getvalue().splitlines()
    assert first.rejected == [] and first.imported == written == len(unique)
    assert first.duplicates == len(original) - len(unique)
    assert {json.dumps(json.loads(line), sort_keys=True) for line in exported} == unique
    assert list(json.loads(exported[0])) == ["case_ref", "team", "kind", "occurred_at", "melder"]
    assert (again.imported, again.duplicates) == (0, len(original))


def test_an_aware_moment_and_its_amsterdam_wall_time_are_the_same_event() -> None:
    local = _event(occurred_at="2017-07-01T12:00:00")
    aware = _event(occurred_at="2017-07-01T10:00:00+00:00")
    assert local.key == aware.key
    assert aware.occurred_at.astimezone(AMSTERDAM).hour == 12
    assert local.to_json()["occurred_at"] == "2017-07-01T12:00:00"
