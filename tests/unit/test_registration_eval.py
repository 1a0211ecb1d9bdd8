"""The scorer: exact match, per-field accuracy and refusal precision/recall."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from casework.registration import Parsed, Refusal, RefusalCode, RegistrationParser
from evaluation.registrations import evaluate_registrations, is_right, load_cases
from evaluation.registrations_cv import FLOORS, cross_validate
from knowledge.embedders import HashingEmbedder

DEV_SET = Path(__file__).resolve().parents[1] / "fixtures" / "eval" / "registrations_dev.jsonl"


class Scripted:
    """Answers from a table, so each scoring rule is tested on its own."""

    def __init__(self, answers: dict[str, Parsed | Refusal]) -> None:
        self.answers = answers
        self.sent: list[datetime] = []

    def parse(self, message: str, sent_at: datetime, sender_team: str | None) -> Parsed | Refusal:
        self.sent.append(sent_at)
        return self.answers[message]


NO = Refusal(RefusalCode.NOT_UNDERSTOOD, "Nee.", "Anders.")
DAY = date(2026, 11, 24)


def case(message: str, expected: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": message,
        "message": message,
        "today": "2026-11-24",
        "team_of_sender": "Zuilen",
        "expected": expected,
    }


def test_scoring_rules() -> None:
    parser = Scripted(
        {
            "right": Parsed("kennismaking", "Zuilen", DAY, case_ref="1"),
            "team spelled": Parsed("aanmelding", "Hoograven/Tolsteeg", DAY, melder="poh"),
            "wrong case": Parsed("kennismaking", "Zuilen", DAY, case_ref="2"),
            "invented": Parsed("afsluiting", "Zuilen", DAY, case_ref="1", reden="overig"),
            "refused error": NO,
            "missed error": Parsed("kennismaking", "Zuilen", DAY, case_ref="1"),
            "refused good": NO,
        }
    )
    cases = [
        case("right", {"kind": "kennismaking", "case_ref": "1"}),
        case(
            "team spelled", {"kind": "aanmelding", "team": "hoograven / tolsteeg", "melder": "poh"}
        ),
        case("wrong case", {"kind": "kennismaking", "case_ref": "1"}),
        case("invented", {"kind": "afsluiting", "case_ref": "1"}),
        case("refused error", {"error": True}),
        case("missed error", {"error": True}),
        case("refused good", {"kind": "hbh_aanvraag", "case_ref": "1"}),
    ]
    report = evaluate_registrations(cases, parser)
    assert report["n"] == 7
    assert report["exact_match"] == 3 / 7  # right, team spelled, refused error
    assert report["field_accuracy"]["case_ref"] == 2 / 4  # right and invented
    assert report["field_accuracy"]["team"] == 1.0
    assert report["refusal_precision"] == 1 / 2
    assert report["refusal_recall"] == 1 / 2
    assert {f["id"] for f in report["failures"]} == {
        "wrong case",
        "invented",
        "missed error",
        "refused good",
    }
    assert all(moment.hour == 12 and moment.tzinfo for moment in parser.sent)


def test_is_right_agrees_with_the_exact_match_rule() -> None:
    right = Parsed("kennismaking", "Zuilen", DAY, case_ref="1")
    assert is_right(case("x", {"kind": "kennismaking", "case_ref": "1"}), right)
    assert not is_right(case("x", {"kind": "kennismaking"}), right)  # case_ref invented
    assert is_right(case("x", {"error": True}), NO)
    assert not is_right(case("x", {"kind": "kennismaking", "case_ref": "1"}), NO)


def test_cross_validation_chooses_per_fold_and_reports_the_spread() -> None:
    """Two folds over ten published dev messages with the hashing embedder: every fold gets
    a choice from the grid, a held-out figure, and the mean and spread over the folds."""
    cases = load_cases(DEV_SET)[:10]
    report = cross_validate(cases, RegistrationParser(embedder=HashingEmbedder()), folds=2)
    assert report["n"] == 10
    assert [fold["n"] for fold in report["folds"]] == [5, 5]
    assert all(0.0 <= fold["exact"] <= 1.0 for fold in report["folds"])
    spread = report["exact_spread"]
    assert spread["min"] <= report["exact_mean"] <= spread["max"]
    assert report["chosen_on_all"]["floor"] in FLOORS
