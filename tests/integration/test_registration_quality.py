"""Quick-registration quality on the published dev set, against the product targets.

The same method is measured on unpublished messages of the same kind, so the parser has no
rule for any dev message; these targets guard against regressions in the general method.
The deduce variant is slow (first load over a minute) and checks that switching deduce on
refuses no valid registration.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casework.registration import RegistrationParser
from casework.registration_eval import evaluate_registrations, load_cases

DEV_SET = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "registrations_dev.jsonl"
TARGETS = {"exact_match": 0.90, "refusal_recall": 0.95, "refusal_precision": 0.90}


def test_dev_set_meets_the_targets() -> None:
    report = evaluate_registrations(load_cases(DEV_SET), RegistrationParser())
    assert report["n"] == 120
    for metric, target in TARGETS.items():
        assert report[metric] >= target, (metric, report["failures"])
    assert min(report["field_accuracy"].values()) >= 0.9, report["field_accuracy"]


@pytest.mark.slow
def test_dev_set_meets_the_targets_with_deduce() -> None:
    report = evaluate_registrations(load_cases(DEV_SET), RegistrationParser(use_deduce=True))
    for metric, target in TARGETS.items():
        assert report[metric] >= target, (metric, report["failures"])
