"""The suggestions evaluation (evaluation/suggestions.py): precision of what passes the floors,
and floors chosen on training folds for a precision target, judged on held-out questions."""

from __future__ import annotations

from evaluation.suggestions import Judged, _choose, _precision, _shown, evaluate


def _items() -> list[Judged]:
    # relevant items have a high cosine; a few irrelevant ones sit just below them
    items = []
    for n in range(20):
        items.append(Judged(f"q{n}", "offer", 0.90, 1.0, True))
        items.append(Judged(f"q{n}", "offer", 0.85, 1.0, False))
        items.append(Judged(f"q{n}", "module", 0.86, 25.0, n % 2 == 0))
    return items


def test_floors_keep_what_passes_either_evidence() -> None:
    items = _items()
    assert len(_shown(items, 0.88, float("inf"))) == 20
    assert _precision(_shown([i for i in items if i.kind == "offer"], 0.88, 99.0)) == 1.0
    assert len(_shown(items, 0.99, 20.0)) == 20  # the modules pass on BM25 alone


def test_the_chosen_floors_show_the_most_at_the_asked_precision() -> None:
    offers = [i for i in _items() if i.kind == "offer"]
    cosine, bm25 = _choose(offers, 0.8)
    shown = _shown(offers, cosine, bm25)
    assert _precision(shown) == 1.0 and len(shown) == 20


def test_evaluate_reports_current_and_held_out_figures_per_kind() -> None:
    report = evaluate(_items(), folds=4, min_precision=0.8)
    assert set(report) == {"offer", "module"}
    offer = report["offer"]
    assert offer["labelled"] == 40 and offer["relevant"] == 20
    assert offer["cross_validation"]["precision"]["mean"] == 1.0
    assert len(offer["cross_validation"]["folds"]) == 4
