"""The maintained case facts give the same tallies as the full recomputation, after writes,
retractions and imports, on both stores; the migration and the rebuild build them for events
already stored; `verify` names a difference."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import sqlalchemy as sa
from alembic import command
from hypothesis import HealthCheck, given, settings
from sqlalchemy.engine import Engine
from sqlmodel import Session

from casework.events import (
    CaseEventData,
    RetractRefused,
    import_events,
    import_events_file,
    iter_events,
    record_event,
    retract_event,
)
from casework.kpi.cases import CaseTally, Tallies, case_tallies
from casework.kpi.maintained import maintained_tallies
from casework.kpi.periods import Period, periods_between
from casework.kpi.reference import reference_tallies
from casework.kpi.verify import rebuild, verify
from models.clock import AMSTERDAM
from models.db import alembic_config
from models.kpi_tables import DAYS

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kpi"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIRST = datetime(2017, 3, 27, tzinfo=AMSTERDAM)  # a week before a month and quarter change
PERIODS = [
    *periods_between(date(2017, 3, 20), date(2017, 5, 10), "week"),
    *periods_between(date(2017, 3, 20), date(2017, 5, 10), "month"),
    *periods_between(date(2017, 3, 20), date(2017, 5, 10), "quarter"),
]


def _same(found: Tallies | None, expected: Tallies) -> None:
    assert found is not None
    for key in found.keys() | expected.keys():
        assert found.get(key, CaseTally()) == expected.get(key, CaseTally()), key


def _periods(granularity: str) -> list[Period]:
    return periods_between(date(2016, 12, 20), date(2017, 7, 31), granularity)  # type: ignore[arg-type]


def test_the_2017_events_give_the_recomputed_tallies_on_every_granularity(db: Engine) -> None:
    with Session(db) as session:
        import_events_file(session, FIXTURES / "case_events_2017.jsonl", now=NOW)
        session.commit()
        events = list(iter_events(session))
        for granularity in ("week", "month", "quarter"):
            periods = _periods(granularity)
            maintained = maintained_tallies(session, periods)
            _same(maintained, reference_tallies(events, periods))
            _same(maintained, case_tallies(session, periods))
        assert verify(session, _periods("month")) == []


def test_the_migration_and_the_rebuild_build_the_facts_of_stored_events(db: Engine) -> None:
    with Session(db) as session:
        import_events_file(session, FIXTURES / "case_events_2017.jsonl", now=NOW)
        session.commit()
        expected = maintained_tallies(session, _periods("quarter"))
    config = alembic_config(db)
    command.downgrade(config, "0013")  # drops the facts, keeps the events
    command.upgrade(config, "0014")
    command.upgrade(config, "head")
    with Session(db) as session:
        assert expected == maintained_tallies(session, _periods("quarter"))
        session.execute(sa.update(DAYS).values(afsluitingen=DAYS.c.afsluitingen + 1))
        differences = verify(session, _periods("quarter"))
        assert differences and "afsluitingen" in differences[0].fields()
        rebuild(session)
        assert verify(session, _periods("quarter")) == []
        assert expected == maintained_tallies(session, _periods("quarter"))
        session.rollback()


KINDS = ["aanmelding", "kennismaking", "start_ondersteuning", "wachtlijst_in"]
KINDS += ["wachtlijst_uit", "wat_telt_meting", "hbh_aanvraag", "afsluiting"]


@st.composite
def _event(draw: st.DrawFn) -> CaseEventData:
    kind = draw(st.sampled_from(KINDS))
    day = draw(st.integers(0, 40))
    minute = draw(st.sampled_from([0, 1, 600, 1439]))
    moment = (FIRST + timedelta(days=day, minutes=minute)).astimezone(UTC)
    fields: dict[str, Any] = {}
    if kind == "aanmelding":
        fields["melder"] = draw(st.sampled_from([None, "huisarts", "zelfmelder"]))
    elif kind == "afsluiting":
        fields["zelfstandig_verder"] = draw(st.sampled_from([None, True, False]))
        fields["volgens_plan"] = draw(st.sampled_from([None, True, False]))
        fields["rapportcijfer"] = draw(st.sampled_from([None, 3, 8]))
    elif kind == "wat_telt_meting":
        chosen = draw(st.sets(st.sampled_from(["geld", "wonen", "werk"]), min_size=1))
        fields["scores"] = dict.fromkeys(sorted(chosen), 5)
    case = draw(st.sampled_from(["1", "2", "3"]))
    team = draw(st.sampled_from(["Zuilen", "Zuilen", "West"]))
    return CaseEventData(case, team, kind, moment, **fields)


STEP = st.tuples(st.sampled_from(["record", "import", "retract"]), st.lists(_event(), max_size=6))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(STEP, min_size=1, max_size=6))
def test_maintained_tallies_equal_the_reference_after_any_writes(
    engine: Engine, steps: list[tuple[str, list[CaseEventData]]]
) -> None:
    with Session(engine) as session:
        recorded: list[int] = []
        for action, events in steps:
            if action == "import":
                import_events(session, [json.dumps(e.to_json()) for e in events], now=NOW)
            elif action == "retract" and recorded:
                with contextlib.suppress(RetractRefused):  # the same event recorded twice
                    retract_event(session, recorded.pop(len(events) % len(recorded)), now=NOW)
            else:
                recorded.extend(
                    record_event(session, event, registered_by="m1", now=NOW).event_id
                    for event in events
                )
            session.flush()
            expected = reference_tallies(list(iter_events(session)), PERIODS)
            _same(maintained_tallies(session, PERIODS), expected)
        session.rollback()


def test_erasure_and_retention_take_cases_out_of_the_kept_figures(db: Engine) -> None:
    """Erasing a case or a retention sweep deletes its events; the facts and day sums follow in
    the same transaction, so the kept figures still equal the recomputation."""
    from models.erasure import erase_case
    from models.retention import RetentionPolicy, sweep

    with Session(db) as session:
        import_events_file(session, FIXTURES / "case_events_2017.jsonl", now=NOW)
        session.commit()
        ref = next(iter(iter_events(session))).case_ref
        erase_case(session, ref, actor_id="privacy", now=NOW)
        session.commit()
        assert verify(session, _periods("month")) == []
        keep_none = RetentionPolicy(case_events=timedelta(days=1))
        sweep(session, NOW + timedelta(days=3650), keep_none)
        session.commit()
        assert verify(session, _periods("month")) == []
        assert session.execute(sa.select(sa.func.sum(DAYS.c.afsluitingen))).scalar() in (0, None)
