"""Answer reuse measured on labelled pairs: is a new question the same as an earlier one?

A pair is {"earlier", "new", "same"}: `same` is true when a good answer to the earlier question
would fully answer the new one. The similarity is computed as routing/reuse.py computes it (the
earlier question embedded as a passage, the new one as a query, their cosine), and a pair is
shown as reuse when it reaches the floor. What matters is precision: a wrong match costs the
asker a read and teaches people to ignore the suggestion, so the floor is the lowest one whose
precision on the training pairs reaches `min_precision`.

The floor is the one number here learned from data, so it is chosen by k-fold cross-validation
(pair i goes to fold i mod K, in file order: reproducible): for each fold the floor is chosen
on the other folds and measured on the held-out one; the report gives each fold, the mean and
spread, and the floor chosen on all pairs.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from knowledge.embedders import Embedder


@dataclass(frozen=True)
class Pair:
    earlier: str
    new: str
    same: bool


def load_pairs(paths: Sequence[str | Path]) -> list[Pair]:
    pairs = []
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                pairs.append(Pair(row["earlier"], row["new"], bool(row["same"])))
    return pairs


def similarities(pairs: Sequence[Pair], embedder: Embedder) -> list[float]:
    """Each pair's cosine as the reuse check computes it."""
    earlier = embedder.embed_passages([p.earlier for p in pairs])
    new = embedder.embed_queries([p.new for p in pairs])
    return [float(a @ b) for a, b in zip(earlier, new, strict=True)]


def scores(sims: Sequence[float], gold: Sequence[bool], floor: float) -> dict[str, float]:
    """Precision and recall of "same" at `floor`; precision is 1.0 when nothing is shown."""
    shown = [g for s, g in zip(sims, gold, strict=True) if s >= floor]
    same = sum(gold)
    return {
        "precision": sum(shown) / len(shown) if shown else 1.0,
        "recall": sum(shown) / same if same else 1.0,
        "shown": len(shown),
    }


def choose_floor(sims: Sequence[float], gold: Sequence[bool], min_precision: float) -> float:
    """The lowest floor (the most reuse) whose precision reaches `min_precision`; candidate
    floors lie halfway between neighbouring similarities, so a floor never sits on a pair."""
    ordered = sorted(set(sims))
    candidates = [(a + b) / 2 for a, b in zip(ordered, ordered[1:], strict=False)]
    candidates.append(ordered[-1] + 1e-4)  # shows nothing: precision 1.0 by definition
    for floor in candidates:
        if scores(sims, gold, floor)["precision"] >= min_precision:
            return floor
    return candidates[-1]


def cross_validate(
    sims: Sequence[float], gold: Sequence[bool], folds: int, min_precision: float
) -> dict[str, Any]:
    fold_of = [i % folds for i in range(len(sims))]
    results = []
    for k in range(folds):
        train = [i for i in range(len(sims)) if fold_of[i] != k]
        test = [i for i in range(len(sims)) if fold_of[i] == k]
        floor = choose_floor([sims[i] for i in train], [gold[i] for i in train], min_precision)
        held = scores([sims[i] for i in test], [gold[i] for i in test], floor)
        results.append({"fold": k, "n": len(test), "floor": round(floor, 4), **held})

    def spread(key: str) -> dict[str, float]:
        values = [float(r[key]) for r in results]
        return {
            "mean": round(statistics.fmean(values), 4),
            "stdev": round(statistics.pstdev(values), 4),
            "min": round(min(values), 4),
            "max": round(max(values), 4),
        }

    chosen = choose_floor(sims, gold, min_precision)
    return {
        "n": len(sims),
        "min_precision": min_precision,
        "folds": results,
        "precision": spread("precision"),
        "recall": spread("recall"),
        "floor_chosen_on_all": round(chosen, 4),
    }


def evaluate(sims: Sequence[float], gold: Sequence[bool], floor: float) -> dict[str, Any]:
    same = [s for s, g in zip(sims, gold, strict=True) if g]
    other = [s for s, g in zip(sims, gold, strict=True) if not g]
    return {
        "n": len(sims),
        "same": len(same),
        "floor": floor,
        **{k: round(v, 4) for k, v in scores(sims, gold, floor).items()},
        "same_cosine_median": round(statistics.median(same), 4) if same else None,
        "other_cosine_median": round(statistics.median(other), 4) if other else None,
    }
