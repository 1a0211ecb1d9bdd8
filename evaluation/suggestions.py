"""Precision of what is shown beside a question: offers and modules judged relevant or not.

The labelled set (tests/fixtures/eval/suggestion_labels.jsonl) holds a relevance judgement for
every offer of the top 3 and module of the top 2 (hybrid ranking, no floor) for 100 questions
of routing_blind.jsonl, made from the question and the item alone by someone who never saw
the code. `evaluate` reports, per kind, what the current floors show and its precision, and
cross-validates the floors (absolute e5 cosine or BM25, as in knowledge/catalogue_search.py):
folds of whole questions; on the other folds the pair of floors that shows the most items at
a precision of at least `min_precision` is chosen, and judged on the held-out fold.

An item is "shown" when it is among the labelled top k and passes the floors; with stricter
floors the real list might pull up an item ranked below k, which was not labelled, so the
figures describe the labelled top k.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.areas import area_for
from knowledge.catalogue_search import DEFAULT_CATALOGUE_WEIGHTS, CatalogueSearch

COSINES = tuple(round(0.80 + 0.005 * i, 3) for i in range(25))  # 0.80 ... 0.92
BM25S = (4.0, 6.0, 8.0, 10.0, 12.0, 15.0, 20.0, float("inf"))


@dataclass(frozen=True)
class Judged:
    question: str
    kind: str  # offer or module
    cosine: float
    bm25: float
    relevant: bool


def judged_items(search: CatalogueSearch, questions: Path, labels: Path) -> list[Judged]:
    """Every labelled item with the evidence the floors read, searched afresh."""
    texts = {
        row["id"]: row["question"]
        for row in map(json.loads, questions.read_text(encoding="utf-8").splitlines())
    }
    wanted = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    found: dict[tuple[str, str, str], dict[str, float]] = {}
    for qid in dict.fromkeys(label["qid"] for label in wanted):
        text = texts[qid]
        for offer in search.find_offers(
            text, area=area_for(text, None), limit=3, relevant_only=False
        ):
            found[(qid, "offer", offer.offer.offer_id)] = offer.raw
        for module in search.find_modules(text, limit=2, relevant_only=False):
            found[(qid, "module", module.module.module_id)] = module.raw
    return [
        Judged(label["qid"], label["kind"], raw["dense"], raw["lexical"], bool(label["relevant"]))
        for label in wanted
        if (raw := found.get((label["qid"], label["kind"], label["item"]))) is not None
    ]


def _shown(items: Sequence[Judged], cosine: float, bm25: float) -> list[Judged]:
    return [i for i in items if i.cosine >= cosine or i.bm25 >= bm25]


def _precision(items: Sequence[Judged]) -> float:
    return sum(i.relevant for i in items) / len(items) if items else 0.0


def _choose(items: Sequence[Judged], min_precision: float) -> tuple[float, float]:
    """The floors that show the most items at `min_precision` or better (else the strictest)."""
    best: tuple[int, float, float] | None = None
    for cosine in COSINES:
        for bm25 in BM25S:
            shown = _shown(items, cosine, bm25)
            good = shown and _precision(shown) >= min_precision
            if good and (best is None or len(shown) > best[0]):
                best = (len(shown), cosine, bm25)
    return (best[1], best[2]) if best else (COSINES[-1], BM25S[-1])


def evaluate(items: Sequence[Judged], folds: int = 5, min_precision: float = 0.8) -> dict[str, Any]:
    weights = DEFAULT_CATALOGUE_WEIGHTS
    current = {
        "offer": (weights.offer_min_cosine, weights.offer_min_bm25),
        "module": (weights.module_min_cosine, weights.module_min_bm25),
    }
    report: dict[str, Any] = {}
    for kind, (cosine, bm25) in current.items():
        mine = [i for i in items if i.kind == kind]
        questions = sorted({i.question for i in mine})
        shown = _shown(mine, cosine, bm25)
        held: list[dict[str, float]] = []
        for fold in range(folds):
            test = {q for n, q in enumerate(questions) if n % folds == fold}
            train = [i for i in mine if i.question not in test]
            chosen = _choose(train, min_precision)
            judged = _shown([i for i in mine if i.question in test], *chosen)
            relevant = sum(i.relevant for i in mine if i.question in test)
            held.append(
                {
                    "cosine": chosen[0],
                    "bm25": chosen[1],
                    "shown": len(judged),
                    "precision": round(_precision(judged), 3),
                    "recall": round(sum(i.relevant for i in judged) / max(relevant, 1), 3),
                }
            )
        report[kind] = {
            "labelled": len(mine),
            "relevant": sum(i.relevant for i in mine),
            "current_floors": {"cosine": cosine, "bm25": bm25},
            "current_shown": len(shown),
            "current_precision": round(_precision(shown), 3),
            "cross_validation": {
                "min_precision": min_precision,
                "folds": held,
                "precision": _spread([f["precision"] for f in held if f["shown"]]),
                "shown_per_fold": _spread([f["shown"] for f in held]),
            },
        }
    return report


def _spread(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"mean": 0.0, "sd": 0.0, "min": 0.0, "max": 0.0}
    return {
        "mean": round(statistics.fmean(values), 3),
        "sd": round(statistics.pstdev(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
    }
