"""Expert scores as arrays: eligibility, load adjustments and the top k before any object.

`ExpertRanker.rank` used to ask the index for a hit object per eligible expert (a thousand
with a large directory) and then add the load adjustments one by one. Here the index's fused
signals (the same arithmetic as `HybridIndex.search`, which the ranker's index runs without
background texts, so without a hub penalty) and the adjustments are added as arrays in the
order the per-expert sum used, so every score is bitwise the score it was; only the best `k`
become `RankedExpert`s.

Ordering invariant (identical to the per-object sort): best first by the score rounded with
Python's `round(score, SCORE_DECIMALS)`, ties by member id. Rounding is monotone, so everything
that can reach the top k scores within two rounding steps of the k-th best raw score; only
those are sorted in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from knowledge.index import SCORE_DECIMALS, SIGNALS, HybridIndex, Method
from routing.weights import RankingWeights

Mask = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class CandidateFacts:
    """Per candidate, aligned with `ids` (sorted member ids): who may be invited now and their
    load; NaN where there is no history (no adjustment)."""

    ids: tuple[str, ...]
    eligible: Mask
    open_invitations: Floats
    accept_rate: Floats
    median_response_minutes: Floats
    external: Mask


@dataclass(frozen=True)
class Scored:
    """Every candidate's components and total for one question, in `ids` order."""

    ids: tuple[str, ...]
    components: dict[str, Floats]  # in the order the per-expert dict had them
    total: Floats
    keep: Mask  # eligible and not excluded


def load_components(facts: CandidateFacts, w: RankingWeights) -> dict[str, Floats]:
    """rank.py::load_adjustments for every candidate at once (same operations, same order)."""
    open_penalty = np.minimum(
        facts.open_invitations * w.open_invitation_penalty, w.open_invitation_penalty_cap
    )
    rate = np.minimum(np.maximum(facts.accept_rate, 0.0), 1.0)
    decline = np.where(np.isnan(rate), 0.0, w.decline_penalty * (1.0 - rate))
    minutes = facts.median_response_minutes
    share = np.minimum(np.maximum(minutes, 0.0) / w.slow_response_minutes, 1.0)
    slow = np.where(np.isnan(minutes), 0.0, w.slow_response_penalty * share)
    return {"open_invitations": -open_penalty, "accept_rate": -decline, "response_time": -slow}


def relevance(
    index: HybridIndex, query: str, prior: Mapping[str, float], method: Method
) -> dict[str, Floats]:
    """The weighted signal components of `HybridIndex.search` for every document."""
    weights = {slug: float(w) for slug, w in prior.items() if w > 0}  # as search reads a prior
    parts = index.normalised(index.signals(query, weights))
    fusion = {
        "hybrid": {s: getattr(index.weights, s) for s in SIGNALS},
        "lexical": {"lexical": 1.0},
        "dense": {"dense": 1.0},
    }[method]
    return {signal: weight * parts[signal] for signal, weight in fusion.items()}


def total_of(components: Mapping[str, Floats], size: int) -> Floats:
    """Left to right from zero, as Python's `sum` over the per-expert dict added them."""
    total = np.zeros(size)
    for values in components.values():
        total = total + values
    return total


def top(scored: Scored, limit: int | None, mask: Mask | None = None) -> list[int]:
    """Positions of the best `limit` kept candidates (within `mask`), best first."""
    keep = scored.keep if mask is None else scored.keep & mask
    positions = np.flatnonzero(keep)
    if limit is not None and len(positions) > limit:
        if limit <= 0:
            return []
        values = scored.total[positions]
        kth = np.partition(-values, limit - 1)[limit - 1]
        margin = 2 * 10.0**-SCORE_DECIMALS
        positions = positions[values >= -kth - margin]
    ids, total = scored.ids, scored.total
    ordered = sorted(
        (int(p) for p in positions),
        key=lambda p: (-round(float(total[p]), SCORE_DECIMALS), ids[p]),
    )
    return ordered if limit is None else ordered[:limit]
