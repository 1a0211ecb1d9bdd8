"""`vraagbaak privacy train`: cross-validation per kind with its spread, and no model written
unless asked. Run on two small development sets without deduce, so it stays quick."""

from __future__ import annotations

import json
from functools import partial

import pytest
from typer.testing import CliRunner

import evaluation.privacy_train as privacy_train
from bot.cli import app
from knowledge.privacy.learned import MODEL_FILE


@pytest.fixture
def two_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_DEDUCE", "false")
    sets = ("privacy_dev.jsonl", "privacy_blind3.jsonl")
    monkeypatch.setattr(privacy_train, "load_texts", partial(privacy_train.load_texts, sets=sets))


def test_train_reports_each_fold_and_the_spread_and_writes_nothing(two_sets):
    before = MODEL_FILE.read_bytes()
    result = CliRunner().invoke(app, ["privacy", "train"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [row["fold"] for row in report["per_fold"]] == [
        "privacy_blind3.jsonl",
        "privacy_dev.jsonl",
    ]
    for kind in ("persoon", "geboortedatum"):
        assert 0 < report["thresholds"][kind] < 1
        spread = report[kind]["with_model"]
        assert spread["min"] <= spread["mean"] <= spread["max"] and spread["sd"] >= 0
    assert "model" not in report
    assert MODEL_FILE.read_bytes() == before


def test_train_with_text_folds(two_sets):
    result = CliRunner().invoke(app, ["privacy", "train", "--folds", "3"])
    assert result.exit_code == 0, result.output
    assert [row["fold"] for row in json.loads(result.stdout)["per_fold"]] == [0, 1, 2]
