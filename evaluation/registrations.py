"""The quick-registration metric of the shared evaluation README.

A case is right when the parser refuses a message marked `{"error": true}`, or parses any
other message so that every expected field matches and no field contradicts. Contradicting
means stating a value the message does not determine: `expected` holds exactly the fields
the message determines, so a predicted `melder`, `reden`, flag, grade or score that is not
expected is an invention. `team` and `occurred_on` are the exception: the parser always fills
them (own team, sending day), which the README allows. Teams compare after ignoring case,
spaces, slashes and hyphens. Refusal is the positive class for precision and recall. The
report names failures by case id only, never by message text.

Usage: ``vraagbaak eval registrations tests/fixtures/eval/registrations_dev.jsonl``; the
k-fold cross-validation of the synonym policy (`cross_validate`) runs as
``python -m evaluation.registrations --folds 5 FILE [FILE ...]`` (the CLI option is the bot
side's to add).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

from casework.registration import Parsed, Refusal
from knowledge.teams import normalise_team_key
from models.clock import AMSTERDAM

ALWAYS_FILLED = frozenset({"team", "occurred_on"})
# The eval gives a day; the message is taken as sent at noon in Utrecht on that day.
SENT_AT_HOUR = time(12, 0)


class Parser(Protocol):
    def parse(self, message: str, sent_at: datetime, sender_team: str | None) -> Parsed | Refusal:
        """Parse one message."""
        ...


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _same(field: str, expected: object, predicted: object) -> bool:
    if field == "team" and isinstance(expected, str) and isinstance(predicted, str):
        return normalise_team_key(expected) == normalise_team_key(predicted)
    return expected == predicted


def _field_hits(expected: Mapping[str, object], predicted: Mapping[str, object]) -> dict[str, bool]:
    return {name: _same(name, value, predicted.get(name)) for name, value in expected.items()}


def _invented(expected: Mapping[str, object], predicted: Mapping[str, object]) -> list[str]:
    return [name for name in predicted if name not in expected and name not in ALWAYS_FILLED]


@dataclass
class _Tally:
    n: int = 0
    exact: int = 0
    refused_errors: int = 0  # true positives
    refused_valid: int = 0  # false positives
    missed_errors: int = 0  # false negatives
    hits: dict[str, int] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)

    def error_case(self, case_id: str, refused: bool) -> None:
        self.refused_errors += refused
        self.missed_errors += not refused
        self.exact += refused
        if not refused:
            self.failures.append({"id": case_id, "problem": "not refused"})

    def valid_case(
        self, case_id: str, expected: Mapping[str, object], result: Parsed | Refusal
    ) -> None:
        refused = isinstance(result, Refusal)
        self.refused_valid += refused
        predicted = result.as_dict() if isinstance(result, Parsed) else {}
        field_hits = _field_hits(expected, predicted)
        for name, hit in field_hits.items():
            self.support[name] = self.support.get(name, 0) + 1
            self.hits[name] = self.hits.get(name, 0) + hit
        invented = _invented(expected, predicted)
        if not refused and all(field_hits.values()) and not invented:
            self.exact += 1
            return
        wrong = [name for name, hit in field_hits.items() if not hit]
        problem = result.code.value if isinstance(result, Refusal) else "wrong fields"
        self.failures.append({"id": case_id, "problem": problem, "fields": wrong + invented})


def sent_at_of(case: Mapping[str, Any]) -> datetime:
    return datetime.combine(date.fromisoformat(case["today"]), SENT_AT_HOUR, AMSTERDAM)


def is_right(case: Mapping[str, Any], result: Parsed | Refusal) -> bool:
    """The exact-match verdict for one case (the rule of `evaluate_registrations`)."""
    expected = case["expected"]
    if expected.get("error"):
        return isinstance(result, Refusal)
    if isinstance(result, Refusal):
        return False
    predicted = result.as_dict()
    return all(_field_hits(expected, predicted).values()) and not _invented(expected, predicted)


def evaluate_registrations(cases: Iterable[Mapping[str, Any]], parser: Parser) -> dict[str, Any]:
    """exact_match, per-field accuracy and refusal precision/recall over `cases`."""
    tally = _Tally()
    for case in cases:
        tally.n += 1
        result = parser.parse(case["message"], sent_at_of(case), case.get("team_of_sender"))
        if case["expected"].get("error"):
            tally.error_case(case["id"], isinstance(result, Refusal))
        else:
            tally.valid_case(case["id"], case["expected"], result)
    tp, fp, fn = tally.refused_errors, tally.refused_valid, tally.missed_errors
    return {
        "n": tally.n,
        "exact_match": tally.exact / tally.n if tally.n else 0.0,
        "field_accuracy": {name: tally.hits[name] / tally.support[name] for name in tally.support},
        "field_support": tally.support,
        "refusal_precision": tp / (tp + fp) if tp + fp else 1.0,
        "refusal_recall": tp / (tp + fn) if tp + fn else 1.0,
        "failures": tally.failures,
    }
