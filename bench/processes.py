"""What several benchmarks share: a demo database to start from, and a measurement run in a
fresh child process (so one figure never inherits another's heap, caches or OpenMP state)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def seed_demo_database(url: str) -> None:
    """Migrate the database at `url` and seed the Utrecht demo data into it (not timed: an
    import, which every benchmark starts from)."""
    from knowledge.demo import seed_demo
    from models.clock import SystemClock
    from models.db import make_engine, session_factory, upgrade

    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as session:
        seed_demo(session, SystemClock().now())
        session.commit()
    engine.dispose()


def child_json(
    args: Sequence[str], env: Mapping[str, str] | None = None, cwd: Path = ROOT
) -> dict[str, Any]:
    """Run `python *args` in `cwd` (the project root unless another tree is measured) and
    return the JSON object on the last line of its output (what came before is the child's
    own progress)."""
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=True,
        env=None if env is None else dict(env),
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
