"""De-identification with deduce switched on, measured on the published dev set.

Slow: the first deduce load builds its lookup structures (over a minute; a few seconds once
deduce has cached them on disk). One Deidentifier is shared by the whole session.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from evaluation.privacy import evaluate_privacy, load_cases
from knowledge.privacy import Deidentifier

pytestmark = pytest.mark.slow

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
DEV_SET = EVAL / "privacy_dev.jsonl"

KINDS = {"bsn", "telefoon", "email", "iban", "postcode", "persoon", "adres", "geboortedatum"}
# Regression floors, not the targets (>= 0.98 for bsn, telefoon, email, iban, postcode; >= 0.95
# for persoon, adres, geboortedatum), which `vraagbaak eval privacy` reports. The detectors are
# deterministic (patterns, lexicons, deduce; no floating point), so the figures do not move
# across machines: every kind reaches 1.0 here and a floor allows one missed span per kind.
MISSES_ALLOWED = 1


def floor(support: int) -> float:
    return 1 - MISSES_ALLOWED / support


@pytest.fixture(scope="session")
def deidentifier() -> Deidentifier:
    deidentifier = Deidentifier(use_deduce=True)
    deidentifier.preload()
    return deidentifier


@pytest.fixture(scope="module")
def report(deidentifier):
    return evaluate_privacy(load_cases(DEV_SET), deidentifier)


def test_dev_set_has_every_kind(report):
    assert report["n"] >= 80
    assert set(report["recall"]) == KINDS


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_recall_holds_its_floor(report, kind):
    assert report["recall"][kind] >= floor(report["support"][kind]), report["missed"]


def test_over_redaction_within_budget(report):
    assert report["over_redaction"] <= 0.05, report["missed"]


def test_report_is_json(report):
    json.dumps(report)


def test_deduce_adds_names_our_rules_cannot_see(deidentifier):
    result = deidentifier.deidentify("Gisteren sprak ik met Wim. Wim is 81 en woont in Tuindorp.")
    assert result.text == "Gisteren sprak ik met [naam]. [naam] is 81 en woont in Tuindorp."


def test_institutions_and_places_deduce_would_remove_are_kept(deidentifier):
    text = "Wie kent Altrecht, Lister of Jellinek in Vleuten, De Meern of Utrecht?"
    assert deidentifier.deidentify(text).text == text


def test_order_number_passing_eleven_test_is_kept(deidentifier):
    text = "Ordernummer 123456782 is nooit geleverd."
    assert deidentifier.deidentify(text).text == text


def test_client_text_never_reaches_the_logs(deidentifier, caplog):
    caplog.set_level(logging.DEBUG)
    deidentifier.deidentify("Mevrouw Zwaantje Oosterbroek, BSN 111222333, belde.")
    assert all("Oosterbroek" not in r.getMessage() for r in caplog.records)
    assert all("111222333" not in r.getMessage() for r in caplog.records)


# Phone-typed sets written from the format alone (docs/evaluation.md): privacy_blind.jsonl and
# privacy_blind2.jsonl were each measured blind once and then used to develop the detectors;
# privacy_blind3, 4 and 5 likewise, in later rounds; privacy_blind6 was measured once, after
# them; privacy_blind7.jsonl was measured twice (before and after the learned detector of
# round 6). All seven are now the learned detector's training data (knowledge/privacy/
# learned.py), so their figures are development figures. Misses per kind (with deduce and the
# learned detector); a floor allows one more. privacy_blind8.jsonl (200 texts, 268 names, 227
# birth dates) was written by someone who never saw the code and frozen before round 7; it was
# never read or trained on, and measured once before round 7 (persoon 8 missed, geboortedatum
# 29) and once after it. privacy_blind9.jsonl (220 texts) was measured once before round 8 and
# its misses read (numbers said in words, written-out e-mail addresses, IBANs of countries
# outside the registry, BAG additions); privacy_blind10.jsonl (200 texts) was written during
# round 8 without sight of it and measured once before and once after (docs/evaluation.md).
# Both are development sets now, and with blind 8 training data of the learned detector.
BLIND_MISSES = {
    "privacy_blind.jsonl": {"persoon": 1},
    "privacy_blind2.jsonl": {},
    "privacy_blind3.jsonl": {},
    "privacy_blind4.jsonl": {"persoon": 1},
    "privacy_blind5.jsonl": {"persoon": 1},
    "privacy_blind6.jsonl": {"persoon": 5, "geboortedatum": 1},
    "privacy_blind7.jsonl": {"persoon": 2, "geboortedatum": 1},
    "privacy_blind8.jsonl": {"persoon": 5, "geboortedatum": 10},
    "privacy_blind9.jsonl": {"persoon": 5, "adres": 1},
    "privacy_blind10.jsonl": {"persoon": 11, "adres": 3, "geboortedatum": 2, "iban": 1},
}


@pytest.mark.parametrize("name", sorted(BLIND_MISSES))
def test_phone_typed_sets_hold_their_floors(deidentifier, name):
    report = evaluate_privacy(load_cases(EVAL / name), deidentifier)
    for kind, support in report["support"].items():
        misses = round((1 - report["recall"][kind]) * support)
        assert misses <= BLIND_MISSES[name].get(kind, 0) + MISSES_ALLOWED, (kind, misses)
    assert report["over_redaction"] <= 0.05
