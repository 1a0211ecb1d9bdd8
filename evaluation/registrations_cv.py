"""k-fold cross-validation of the registration parser's synonym policy (floor and margin).

The embedder's floor and margin (`casework/registration/synonyms.py`) are the only numbers the
parser learns from data, so they are chosen here and never by looking at one case: the cases of
all development sets are split into K folds (case i goes to fold i mod K after sorting by file
and id, so a run is reproducible); for each fold the policy with the best exact match on the
other folds is chosen (ties go to the stricter policy: higher margin, then higher floor) and
measured on the held-out fold. The report gives each fold's choice and figure, their mean and
spread, and the policy chosen on all cases, which is the default the parser ships with.

Each case is parsed once per policy; the embedder computes each text's vector once.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from casework.registration import RegistrationParser
from casework.registration.synonyms import SynonymPolicy
from evaluation.registrations import is_right, load_cases, sent_at_of

FLOORS = (0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 2.0)  # 2.0: the embedder never decides
MARGINS = (0.0, 0.005, 0.01, 0.015, 0.02, 0.03, 0.04, 0.06)


def grid() -> list[SynonymPolicy]:
    return [SynonymPolicy(floor=f, margin=m) for f in FLOORS for m in MARGINS]


def verdicts(
    cases: Sequence[dict[str, Any]], parser: RegistrationParser, policies: Sequence[SynonymPolicy]
) -> list[list[bool]]:
    """verdicts[p][c]: whether policy p parses case c right."""
    table = []
    for policy in policies:
        tuned = parser.with_policy(policy)
        table.append(
            [
                is_right(c, tuned.parse(c["message"], sent_at_of(c), c.get("team_of_sender")))
                for c in cases
            ]
        )
    return table


def _best(table: list[list[bool]], policies: Sequence[SynonymPolicy], rows: Sequence[int]) -> int:
    def key(p: int) -> tuple[int, float, float]:
        return (sum(table[p][i] for i in rows), policies[p].margin, policies[p].floor)

    return max(range(len(policies)), key=key)


def cross_validate(
    cases: Sequence[dict[str, Any]], parser: RegistrationParser, folds: int = 5
) -> dict[str, Any]:
    """Per-fold choice and held-out exact match, their mean and spread, the overall choice."""
    policies = grid()
    table = verdicts(cases, parser, policies)
    fold_of = [i % folds for i in range(len(cases))]
    results: list[dict[str, Any]] = []
    figures: list[float] = []
    for k in range(folds):
        train = [i for i in range(len(cases)) if fold_of[i] != k]
        test = [i for i in range(len(cases)) if fold_of[i] == k]
        chosen = _best(table, policies, train)
        exact = sum(table[chosen][i] for i in test) / len(test)
        figures.append(exact)
        results.append(
            {"fold": k, "n": len(test), "policy": _shown(policies[chosen]), "exact": exact}
        )
    overall = _best(table, policies, range(len(cases)))
    off = policies.index(SynonymPolicy(floor=2.0, margin=0.0))
    return {
        "n": len(cases),
        "folds": results,
        "exact_mean": round(statistics.mean(figures), 4),
        "exact_spread": {
            "stdev": round(statistics.stdev(figures), 4) if folds > 1 else 0.0,
            "min": round(min(figures), 4),
            "max": round(max(figures), 4),
        },
        "chosen_on_all": _shown(policies[overall]),
        "exact_on_all": {
            "chosen": round(sum(table[overall]) / len(cases), 4),
            "without_embedder": round(sum(table[off]) / len(cases), 4),
        },
    }


def _shown(policy: SynonymPolicy) -> dict[str, float]:
    return {"floor": policy.floor, "margin": policy.margin}


def _sorted_cases(paths: Sequence[Path]) -> list[dict[str, Any]]:
    cases = []
    for path in paths:
        cases += sorted(load_cases(path), key=lambda c: str(c["id"]))
    return cases


def main(argv: Sequence[str] | None = None) -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("files", nargs="+", type=Path)
    args.add_argument("--folds", type=int, default=5)
    args.add_argument("--deduce", action="store_true", help="the privacy check with deduce")
    ns = args.parse_args(argv)
    parser = RegistrationParser(use_deduce=ns.deduce)
    report = cross_validate(_sorted_cases(ns.files), parser, ns.folds)
    print(json.dumps(report, indent=2))  # noqa: T201


if __name__ == "__main__":
    main()
