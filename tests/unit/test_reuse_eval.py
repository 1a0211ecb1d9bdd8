"""The reuse floor is chosen for precision, on training pairs only."""

from __future__ import annotations

from evaluation.reuse import choose_floor, cross_validate, evaluate, scores

SIMS = [0.95, 0.92, 0.90, 0.89, 0.88, 0.87, 0.86, 0.84, 0.80, 0.75]
GOLD = [True, True, True, False, True, True, False, False, False, False]


def test_the_chosen_floor_is_the_lowest_that_reaches_the_precision() -> None:
    floor = choose_floor(SIMS, GOLD, min_precision=1.0)
    assert 0.89 < floor < 0.90  # just above the first wrong pair from the top
    assert scores(SIMS, GOLD, floor) == {"precision": 1.0, "recall": 0.6, "shown": 3}
    looser = choose_floor(SIMS, GOLD, min_precision=0.8)
    assert looser < floor and scores(SIMS, GOLD, looser)["precision"] >= 0.8


def test_showing_nothing_is_precise_and_recalls_nothing() -> None:
    never = choose_floor([0.5, 0.4], [False, False], min_precision=0.95)
    assert scores([0.5, 0.4], [False, False], never) == {
        "precision": 1.0,
        "recall": 1.0,
        "shown": 0,
    }
    assert evaluate(SIMS, GOLD, 0.99)["shown"] == 0


def test_cross_validation_reports_every_fold_and_the_floor_on_all() -> None:
    report = cross_validate(SIMS, GOLD, folds=5, min_precision=1.0)
    assert [f["n"] for f in report["folds"]] == [2] * 5
    assert report["floor_chosen_on_all"] == round(choose_floor(SIMS, GOLD, 1.0), 4)
    assert 0.0 <= report["precision"]["min"] <= report["precision"]["mean"] <= 1.0
