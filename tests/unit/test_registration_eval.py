"""The scorer: exact match, per-field accuracy and refusal precision/recall."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from casework.registration import Parsed, Refusal, RefusalCode
from evaluation.registrations import evaluate_registrations


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
