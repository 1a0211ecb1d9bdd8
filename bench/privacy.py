"""De-identification time per text: the rules alone (the baseline), the rules with the learned
detector, and both with deduce, measured in the same run on the privacy evaluation texts.

The tests assert what is removed, never how fast; this prints the median and p95 per text and
each configuration's ratio to the rules alone, so a slowdown shows as a ratio that grew.

    python bench/privacy.py [--texts 300] [--deduce]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from knowledge.privacy import Deidentifier

EVAL = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "eval"


def _texts(limit: int) -> list[str]:
    texts = []
    for path in sorted(EVAL.glob("privacy_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    return texts[:limit]


def _timed(deidentifier: Deidentifier, texts: list[str]) -> dict[str, float]:
    deidentifier.deidentify(texts[0])  # loads lexicons, the learned model and deduce
    seconds = []
    for text in texts:
        started = time.perf_counter()
        deidentifier.deidentify(text)
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    return {
        "p50_ms": 1000 * statistics.median(seconds),
        "p95_ms": 1000 * seconds[int(0.95 * (len(seconds) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=300)
    parser.add_argument("--deduce", action="store_true", help="also with deduce (slow to load)")
    args = parser.parse_args()
    texts = _texts(args.texts)
    configurations = {
        "rules": Deidentifier(use_deduce=False, use_learned=False),
        "rules+learned": Deidentifier(use_deduce=False),
    }
    if args.deduce:
        configurations["rules+learned+deduce"] = Deidentifier()
    results = {name: _timed(d, texts) for name, d in configurations.items()}
    base = results["rules"]
    for figures in results.values():
        figures["p50_ratio"] = figures["p50_ms"] / base["p50_ms"]
        figures["p95_ratio"] = figures["p95_ms"] / base["p95_ms"]
    print(json.dumps({"texts": len(texts), **results}, indent=1))


if __name__ == "__main__":
    main()
