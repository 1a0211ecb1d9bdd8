"""Resident memory: deduce alone and a serving process with the demo data, deduce as is and lean.

Each figure is a fresh child process, so one never inherits the other's heap:

- ``deduce_as_is`` / ``deduce_lean``: Python plus the de-identifier's deduce, after one text;
- ``serving_as_is`` / ``serving_lean``: ``build_deps`` + ``warm_up`` on a temporary SQLite
  database with the demo directory, social map and Buurtacademie (the real embedder and
  de-identifier), then one question asked.

VmRSS is what the process holds after that; VmHWM its peak on the way. The demo is seeded and
started once first (not measured), so the children find the embedding cache filled, as a
restart does.

    python bench/memory.py
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, this file's folder comes first on sys.path and its name would shadow the
# `routing` package; the project root goes there instead.
sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import tempfile
import time
from typing import Any

from bench.processes import child_json, seed_demo_database

SAMPLE = "Mevrouw Fatima El Amrani, geboren 12-03-1961, woont op Marco Pololaan 214 in Utrecht."
QUESTION = "Wie weet iets van schuldhulpverlening voor iemand die zijn post niet meer openmaakt?"


def _status() -> dict[str, int]:
    """VmRSS and VmHWM in MB, from /proc (no psutil here)."""
    out = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0]) // 1024
    return out


def _as_is() -> None:
    """deduce without the lean cache: what the process held before."""
    from knowledge.privacy import deduce_lean

    deduce_lean.lean_lookup_structs = lambda: None


def _child(mode: str, url: str) -> None:
    if mode.endswith("as_is"):
        _as_is()
    started = time.perf_counter()
    if mode.startswith("deduce"):
        from knowledge.privacy.deduce_backend import shared_deduce

        shared_deduce().deidentify(SAMPLE)
    else:
        from bot.settings import Settings
        from bot.wiring import build_deps
        from models.clock import SystemClock
        from routing.dispatch import Inbound

        deps = build_deps(Settings(database_url=url))
        deps.warm_up(lambda *_: None)
        inbound = Inbound("bench:memory", "m005", QUESTION, "c", "1", SystemClock().now())
        with deps.sessions() as session:
            deps.dispatcher.ask(session, inbound)
            session.commit()
            deps.after_commit()
    print(json.dumps({**_status(), "seconds": round(time.perf_counter() - started, 1)}))


def _run(mode: str, url: str) -> dict[str, Any]:
    return child_json([__file__, "--child", mode, "--url", url])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.url)
        return
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        seed_demo_database(url)
        _run("serving_lean", url)  # one start fills the embedding cache (not measured)
        for mode in ("deduce_as_is", "deduce_lean", "serving_as_is", "serving_lean"):
            figures[mode] = _run(mode, url)
    print(json.dumps({"unit": "MB", **figures}, indent=2))


if __name__ == "__main__":
    main()
