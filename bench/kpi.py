"""KPI engine speed: all figures for the 18 teams over many case events, on SQLite and
PostgreSQL.

Scales the 2017 case events up (each case copied under a new case number, the whole case
shifted by a few days so copies do not coincide), imports them (which also builds the
maintained case facts, in the import's transaction), then times, in the same run over the same
events and periods (every quarter and month the events span):
- `kpi_seconds`: compute_kpis, all figures, from the maintained case facts (best of --repeat);
- `recompute_seconds`: the full recomputation from the event log (casework/kpi/cases.py, the
  reference `vraagbaak kpi --verify` compares against), once;
- `python_reference_seconds`: the plain-Python reference on events already in memory.
The three are checked to agree. Ratios below 1 mean the maintained path is faster.

    python bench/kpi.py [--events 1000000] [--stores sqlite,postgres] [--no-recompute]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import tempfile
import time
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from casework.events import CaseEventData, import_events, parse_event
from casework.kpi.cases import CaseTally, case_tallies
from casework.kpi.engine import CaseFigures, compute_kpis
from casework.kpi.maintained import maintained_tallies
from casework.kpi.periods import Period, periods_between
from casework.kpi.reference import reference_tallies
from models.db import make_engine, session_factory, upgrade

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests/fixtures/kpi/case_events_2017.jsonl"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vraagbaak_bench"
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def synthetic_events(n: int) -> list[CaseEventData]:
    """n events: copies of the 2017 cases, each copy's case shifted by 0–6 days as a whole."""
    base = [parse_event(json.loads(line)) for line in SOURCE.read_text("utf-8").splitlines()]
    unique = list({event.key: event for event in base}.values())
    events: list[CaseEventData] = []
    copy = 0
    while len(events) < n:
        for event in unique:
            ref = f"{event.case_ref}-{copy}"
            shift = timedelta(minutes=zlib.crc32(ref.encode()) % (7 * 24 * 60)) if copy else None
            moment = event.occurred_at + shift if shift else event.occurred_at
            events.append(_replace(event, ref, moment))
            if len(events) == n:
                break
        copy += 1
    return events


def _replace(event: CaseEventData, ref: str, moment: datetime) -> CaseEventData:
    values = {name: getattr(event, name) for name in CaseEventData.__slots__}
    return CaseEventData(**{**values, "case_ref": ref, "occurred_at": moment})


def _lines(events: Sequence[CaseEventData]) -> Iterator[str]:
    for event in events:
        yield json.dumps(event.to_json())


def _engine(store: str, tmp: str) -> sa.Engine:
    if store == "sqlite":
        return make_engine(f"sqlite:///{tmp}/bench.sqlite3")
    url = sa.engine.make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    return make_engine(PG_URL)


def _python_baseline(
    events: Sequence[CaseEventData], periods: Sequence[Period]
) -> tuple[float, dict[tuple[int, str], CaseTally]]:
    started = time.perf_counter()
    tallies = reference_tallies(events, periods)
    for tally in tallies.values():
        CaseFigures.from_tally(tally)
    return time.perf_counter() - started, tallies


def _check(found: dict[tuple[int, str], CaseTally], ref: dict[tuple[int, str], CaseTally]) -> None:
    for key in found.keys() | ref.keys():
        if found.get(key, CaseTally()) != ref.get(key, CaseTally()):
            raise SystemExit(f"maintained figures and reference disagree at {key}")


def run_store(
    store: str,
    events: Sequence[CaseEventData],
    periods: Sequence[Period],
    repeat: int,
    recompute: bool,
) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = _engine(store, tmp)
        upgrade(engine)
        sessions = session_factory(engine)
        started = time.perf_counter()
        with sessions() as session:
            report = import_events(session, _lines(events), now=NOW, batch_size=10000)
            session.commit()
        imported = time.perf_counter() - started
        assert report.rejected == [] and report.imported == len(events), report.as_dict()
        with engine.connect() as connection:  # fresh planner statistics, as production has
            connection.execute(sa.text("ANALYZE"))
            connection.commit()
        timings = []
        for _ in range(repeat):
            with sessions() as session:
                started = time.perf_counter()
                compute_kpis(session, periods, now=NOW)
                timings.append(time.perf_counter() - started)
        with sessions() as session:
            maintained = maintained_tallies(session, periods)
            assert maintained is not None
            started = time.perf_counter()
            recomputed = case_tallies(session, periods) if recompute else None
            recompute_seconds = time.perf_counter() - started
        engine.dispose()
    baseline, python_tallies = _python_baseline(events, periods)
    _check(maintained, python_tallies)
    if recomputed is not None:
        _check(maintained, recomputed)
    best = min(timings)
    result: dict[str, object] = {
        "import_seconds_with_facts": round(imported, 1),
        "import_events_per_second": round(len(events) / imported),
        "kpi_seconds": round(best, 3),
        "python_reference_seconds": round(baseline, 2),
        "kpi_over_python_reference": round(best / baseline, 4),
    }
    if recompute:
        result["recompute_seconds"] = round(recompute_seconds, 2)
        result["kpi_over_recompute"] = round(best / recompute_seconds, 4)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--repeat", type=int, default=3, help="KPI runs per store; best counts")
    parser.add_argument(
        "--no-recompute", action="store_true", help="skip timing the (slow) recomputation"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    events = synthetic_events(args.events)
    first = min(e.occurred_at for e in events).date()
    last = max(e.occurred_at for e in events).date()
    periods = [
        *periods_between(first, last, "quarter"),
        *periods_between(first, last, "month"),
    ]
    result: dict[str, object] = {
        "events": len(events),
        "cases": len({e.case_ref for e in events}),
        "periods": len(periods),
        "teams": len({e.team for e in events}),
        "generate_seconds": round(time.perf_counter() - started, 1),
    }
    for store in args.stores.split(","):
        result[store] = run_store(store, events, periods, args.repeat, not args.no_recompute)
        print(json.dumps({store: result[store]}), file=sys.stderr, flush=True)  # as it comes
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
