"""Questions handled per second by one process, this code against an earlier tree, in one run.

Issue 15 asks for ten times the questions per second of the code path it was filed against.
That path is another version of this repository, so it is measured by running the same
child program with that tree first on the import path (a `git worktree` of the commit; the
virtualenv is shared). Each child builds its own SQLite database with the Utrecht demo data
(directory, social map, Buurtacademie), prepares what the version prepares at start, asks one
warm-up question (with `--experts N`, N synthetic experts from bench/routing.py join the
directory), then asks `--questions` different questions one after another, each through
`Dispatcher.ask`, its commit and `after_commit` (invitations written, nothing sent to Slack),
and times one query-embedding call of its own model the same way. Figures per tree:
questions/s, ask p50/p95 in ms and as multiples of one embedding call; the ratio of the two
throughputs is printed last.

    git worktree add /tmp/vb-before ff7fab6   # the tree issue 15 was filed against
    python bench/throughput.py --baseline-tree /tmp/vb-before [--questions 60] [--experts 1000]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; the project root goes there.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import os
import tempfile
from typing import Any

from bench.processes import ROOT, child_json
from bench.routing import synthetic_experts

QUESTIONS = ROOT / "tests/fixtures/eval/routing_blind.jsonl"

_CHILD = r"""
import json, statistics, sys, tempfile, time
from bot.settings import Settings
from bot.wiring import build_deps
from knowledge.demo import seed_demo
from models.clock import SystemClock
from routing.dispatch import Inbound

texts = [json.loads(line)["question"] for line in open(sys.argv[1], encoding="utf-8")]
count = int(sys.argv[2])
extra = json.load(open(sys.argv[3], encoding="utf-8"))
with tempfile.TemporaryDirectory() as tmp:
    clock = SystemClock()
    started = time.perf_counter()
    deps = build_deps(Settings(database_url=f"sqlite:///{tmp}/t.sqlite3"), clock=clock)
    with deps.sessions() as session:
        seed_demo(session, clock.now())
        if extra:
            from knowledge.experts_import import import_expert_rows
            import_expert_rows(session, extra, clock.now())
        session.commit()
    try:
        deps.warm_up(lambda *_: None)
    except TypeError:  # an earlier version's warm_up takes no progress callback
        deps.warm_up()

    def ask(key, text):
        with deps.sessions() as session:
            t0 = time.perf_counter()
            deps.dispatcher.ask(session, Inbound(key, "m005", text, "c", key, clock.now()))
            session.commit()
            deps.after_commit()
            return time.perf_counter() - t0

    ask("warm", texts[-1])
    setup = time.perf_counter() - started
    t0 = time.perf_counter()
    times = [ask(f"q{i}", text) for i, text in enumerate(texts[:count])]
    wall = time.perf_counter() - t0
    model = getattr(deps.embedder, "inner", deps.embedder)
    calls = []
    for i, text in enumerate(texts[:count]):
        t1 = time.perf_counter()
        model.embed_queries([f"{text} ({i})"])
        calls.append(time.perf_counter() - t1)
    times.sort()
    embed = statistics.median(calls)
    p50, p95 = statistics.median(times), times[int(0.95 * (len(times) - 1))]
    print(json.dumps({
        "setup_seconds": round(setup, 1),
        "questions_per_second": round(len(times) / wall, 2),
        "ask_p50_ms": round(p50 * 1000, 1),
        "ask_p95_ms": round(p95 * 1000, 1),
        "embedding_call_ms": round(embed * 1000, 1),
        "p50_over_embedding_call": round(p50 / embed, 2),
        "p95_over_embedding_call": round(p95 / embed, 2),
    }))
"""


def measure(tree: Path, questions: int, experts: Path) -> dict[str, Any]:
    """One child process running `tree`'s code (first on the import path, and its cwd)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
    args = ["-c", _CHILD, str(QUESTIONS), str(questions), str(experts)]
    return child_json(args, env, cwd=tree)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline-tree", type=Path, help="an earlier checkout to compare with")
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument(
        "--experts", type=int, default=0, help="synthetic experts added to the demo directory"
    )
    args = parser.parse_args()
    figures: dict[str, Any] = {"experts_added": args.experts}
    with tempfile.TemporaryDirectory() as tmp:
        experts = Path(tmp) / "experts.json"
        experts.write_text(json.dumps(synthetic_experts(args.experts)), encoding="utf-8")
        if args.baseline_tree:
            figures["baseline"] = measure(args.baseline_tree.resolve(), args.questions, experts)
        figures["current"] = measure(ROOT, args.questions, experts)
    if "baseline" in figures:
        ratio = (
            figures["current"]["questions_per_second"] / figures["baseline"]["questions_per_second"]
        )
        figures["throughput_ratio_current_over_baseline"] = round(ratio, 2)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
