"""The KPI engine reproduces the published 2017 figures from the 2017 case events, on both
stores, and agrees with the plain-Python reference on every granularity."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session

from casework.events import import_events_file, iter_events
from casework.kpi.cases import CaseTally, case_tallies
from casework.kpi.engine import CaseFigures
from casework.kpi.periods import periods_between
from casework.kpi.reference import reference_tallies
from evaluation.kpi import evaluate_kpis

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kpi"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_the_2017_quarters_match_the_published_figures_exactly(db: Engine) -> None:
    expected = json.loads((FIXTURES / "kpi_expected_2017.json").read_text(encoding="utf-8"))
    with Session(db) as session:
        report = import_events_file(session, FIXTURES / "case_events_2017.jsonl", now=NOW)
        session.commit()
        assert report.rejected == []
        result = evaluate_kpis(session, ["2017-Q1", "2017-Q2"], now=NOW)

        assert result == expected
        assert json.dumps(result) == json.dumps(expected)  # same key order, too
        assert evaluate_kpis(db, ["2017-Q2"], now=NOW) == {"2017-Q2": expected["2017-Q2"]}

        # every figure, per week, month and quarter, as an independent computation has it
        events = list(iter_events(session))
        for granularity in ("week", "month", "quarter"):
            periods = periods_between(date(2016, 12, 20), date(2017, 7, 31), granularity)
            by_sql = case_tallies(session, periods)
            by_python = reference_tallies(events, periods)
            for key in by_sql.keys() | by_python.keys():
                sql = CaseFigures.from_tally(by_sql.get(key, CaseTally()))
                python = CaseFigures.from_tally(by_python.get(key, CaseTally()))
                assert sql == python, (granularity, key)
