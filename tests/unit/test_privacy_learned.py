"""The learned privacy detector's parts: candidates, joining, the model file, the trainer."""

from __future__ import annotations

import json

import numpy as np
import pytest

from evaluation.logistic import SparseRows, predict, train_logistic
from knowledge.privacy import learned
from knowledge.privacy.candidates import name_candidates
from knowledge.privacy.date_candidates import date_candidates
from knowledge.privacy.learned import (
    BUCKETS,
    KindModel,
    LearnedModel,
    ModelFileChanged,
    model_bytes,
)


def _texts(text, candidates):
    return [text[c.start : c.end] for c in candidates]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("geb 14-9-1962", "14-9-1962"),  # day-month-year
        ("klant (19840312, X)", "19840312"),  # compact, as registers write it
        ("dob 17 March 1982", "17 March 1982"),  # an English month
        ("geboren in '85", "'85"),
        ("geb. mei 1980", "mei 1980"),
        ("kids 2012", "2012"),
    ],
)
def test_date_shapes_are_candidates(text, expected):
    assert expected in _texts(text, date_candidates(text))


def test_a_date_is_one_candidate_not_its_parts():
    text = "geboren 03-05-1970"
    assert _texts(text, date_candidates(text)) == ["03-05-1970"]


def test_the_word_itself_is_never_a_feature():
    """Only neighbours' words are features: the model cannot learn names by heart."""
    text = "mw khattabi belde"
    (candidate,) = [c for c in name_candidates(text) if text[c.start : c.end] == "khattabi"]
    assert not any(f.endswith("=khattabi") for f in candidate.features)
    assert "w-1=mw" in candidate.features


def test_rule_findings_only_describe_the_neighbours():
    text = "fatima amrani belde"
    rules = [(0, 6, "persoon")]
    (amrani,) = [c for c in name_candidates(text, rules) if c.start == 7]
    (fatima,) = [c for c in name_candidates(text, rules) if c.start == 0]
    assert "rule:-1=persoon" in amrani.features
    assert not any(f.startswith("rule:self") for f in fatima.features)


def test_features_are_deterministic():
    text = "Tesfay (geb 1990) en mehret '95 wonen in Overvecht"
    assert list(name_candidates(text)) == list(name_candidates(text))
    assert list(date_candidates(text)) == list(date_candidates(text))


@pytest.mark.parametrize(
    "text, positive, expected",
    [
        # register style: surname, first name
        ("BRP: Yılmaz, Mehmet 03-05", {"Yılmaz", "Mehmet"}, ["Yılmaz, Mehmet"]),
        # an initial and a bracketed first name
        ("Naam: W. (Wendy) Bosman", {"Wendy", "Bosman"}, ["W. (Wendy) Bosman"]),
        # particles between found words
        ("over fatima el amrani", {"fatima", "amrani"}, ["fatima el amrani"]),
        # two names with a word between stay two
        ("roos en ahmed", {"roos", "ahmed"}, ["roos", "ahmed"]),
    ],
)
def test_found_words_join_into_names(text, positive, expected):
    words = [(c.start, c.end, text[c.start : c.end] in positive) for c in name_candidates(text)]
    hits = learned._names_with_particles(text, words)
    assert [text[h.start : h.end] for h in hits] == expected


def _model(person_bias: float, date_bias: float) -> LearnedModel:
    zeros = [0.0] * BUCKETS
    return LearnedModel(KindModel(zeros, person_bias, 0.5), KindModel(zeros, date_bias, 0.5))


def test_model_file_round_trip():
    model = _model(2.0, -2.0)
    again = LearnedModel.from_json(json.loads(model_bytes(model)))
    text = "jan en piet, 12-3-1960"
    assert again.hits(text) == model.hits(text)
    assert model_bytes(again) == model_bytes(model)


def test_a_changed_model_file_is_refused(tmp_path, monkeypatch):
    path = tmp_path / "learned_model.json"
    path.write_bytes(model_bytes(_model(0.0, 0.0)))
    monkeypatch.setattr(learned, "MODEL_FILE", path)
    monkeypatch.setattr(learned, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelFileChanged):
        learned.shipped_model.__wrapped__()


def test_the_shipped_model_matches_its_hash():
    model = learned.shipped_model()
    assert 0 < model.persoon.threshold < 1 and 0 < model.geboortedatum.threshold < 1


def test_trainer_is_deterministic_and_learns():
    rows = SparseRows.of([[0, 1], [0, 2], [0, 1], [0, 2]])
    labels = np.array([1.0, 0.0, 1.0, 0.0])
    first = train_logistic(rows, labels, 4, steps=200)
    second = train_logistic(rows, labels, 4, steps=200)
    assert np.array_equal(first[0], second[0]) and first[1] == second[1]
    p = predict(rows, *first)
    assert p[0] > 0.9 and p[1] < 0.1


def test_a_row_without_features_is_refused():
    with pytest.raises(ValueError):
        SparseRows.of([[0], []])


def test_look_rate_counts_removals_and_doubtful_words():
    from evaluation.privacy import look_rate
    from knowledge.privacy import Deidentifier

    deidentifier = Deidentifier(use_deduce=False, use_learned=False)
    texts = ["Mevrouw Jansen belt over de huur", "wie weet iets over schuldhulp in Zuilen?"]
    report = look_rate(texts, deidentifier)
    assert report == {"n": 2, "asked": 1, "rate": 0.5, "removed": 1}


def _text(group, case_id):
    from evaluation.privacy_train import Text

    return Text(group, {"id": case_id, "text": ""}, [], [])


def test_folds_leave_one_set_out_or_split_whole_texts():
    from evaluation.privacy_cv import fold_of

    groups = ["a.jsonl", "b.jsonl"]
    assert fold_of(_text("b.jsonl", "x1"), None, groups) == 1
    folds = {fold_of(_text("a.jsonl", f"x{i}"), 3, groups) for i in range(30)}
    assert folds == {0, 1, 2}


def test_threshold_is_the_lowest_where_three_of_four_additions_are_client_data():
    from evaluation.privacy_cv import choose_thresholds
    from evaluation.privacy_train import THRESHOLDS

    def grid(added, true):
        return {
            "keep_total": 10,
            "keep_lost": 0,
            "added:persoon": added,
            "true:persoon": true,
            "added:geboortedatum": 0,
            "true:geboortedatum": 0,
        }

    # precision 0.5 at the lowest threshold, 0.8 at the next, 1.0 above
    counts = {
        th: grid(4, 2) if th < 0.35 else grid(5, 4) if th < 0.4 else grid(1, 1) for th in THRESHOLDS
    }
    chosen = choose_thresholds({"folds": [{"grid": counts}]})
    assert chosen == {"persoon": 0.35, "geboortedatum": THRESHOLDS[0]}
