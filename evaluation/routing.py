"""Routing quality on a question set: hit@1, hit@3, hit@6, hit@9 and MRR per method, and the
leefgebied accuracy.

All three methods run through the same ExpertRanker, so the baselines differ from the hybrid
only in the fusion, never in loading, tokenisation or filtering. The leefgebied prior comes
from `ExpertRanker.suggest_leefgebieden`, not from the gold labels: the gold leefgebieden are
only used to score that suggestion.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from knowledge.embedders import Embedder
from knowledge.index import Method
from knowledge.taxonomy import slug_for
from routing.rank import DEFAULT_WEIGHTS, ExpertCandidate, ExpertRanker, RankingWeights

METHODS: tuple[Method, ...] = ("hybrid", "lexical", "dense")


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def candidate_from_row(row: Mapping[str, str]) -> ExpertCandidate:
    """An `experts.csv` row (member_id,display_name,team,role,expertise,tags,leefgebieden)."""
    team = row.get("team", "").strip()
    return ExpertCandidate(
        member_id=row["member_id"].strip(),
        team=team,
        expertise=row.get("expertise", "").strip(),
        tags=_split(row.get("tags")),
        leefgebieden=tuple(slug_for(s) for s in _split(row.get("leefgebieden"))),
        is_external=team.lower() == "extern",
        role=row.get("role", "").strip(),
    )


def load_expert_rows(path: Path | str) -> list[dict[str, str]]:
    with Path(path).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_experts_csv(path: Path | str) -> list[ExpertCandidate]:
    return [candidate_from_row(row) for row in load_expert_rows(path)]


def load_questions(path: Path | str) -> list[dict[str, Any]]:
    """`routing_dev.jsonl`: one {"id", "question", "gold_experts", "leefgebieden"} per line."""
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def first_gold_rank(ranked: Sequence[str], gold: set[str]) -> int | None:
    """0-based position of the first gold expert, None when no gold expert was ranked."""
    return next((i for i, member_id in enumerate(ranked) if member_id in gold), None)


def summarise(positions: Sequence[int | None]) -> dict[str, float]:
    """hit@1, hit@3 and MRR from first-gold positions; hit@6 and hit@9 say whether the second
    and third waves (three experts each) still reach a gold expert."""
    n = max(len(positions), 1)
    found = [p for p in positions if p is not None]
    return {
        "hit@1": round(sum(p < 1 for p in found) / n, 4),
        "hit@3": round(sum(p < 3 for p in found) / n, 4),
        "hit@6": round(sum(p < 6 for p in found) / n, 4),
        "hit@9": round(sum(p < 9 for p in found) / n, 4),
        "mrr": round(sum(1.0 / (p + 1) for p in found) / n, 4),
    }


def evaluate_routing(
    experts_rows: Sequence[Mapping[str, str] | ExpertCandidate],
    questions: Sequence[Mapping[str, Any]],
    embedder: Embedder,
    preprocess: Callable[[str], str] | None = None,
    weights: RankingWeights = DEFAULT_WEIGHTS,
) -> dict[str, Any]:
    """Rank every question with every method; `preprocess` (e.g. de-identification) is
    applied to the question text before anything else sees it."""
    candidates = [
        row if isinstance(row, ExpertCandidate) else candidate_from_row(row) for row in experts_rows
    ]
    ranker = ExpertRanker(embedder, weights, candidates)
    positions: dict[str, list[int | None]] = {method: [] for method in METHODS}
    correct = 0
    for question in questions:
        text = preprocess(question["question"]) if preprocess else question["question"]
        gold = set(question["gold_experts"])
        suggestions = ranker.suggest_leefgebieden(text)
        top = suggestions[0][0] if suggestions else None
        correct += top in {slug_for(s) for s in question.get("leefgebieden", [])}
        for method in METHODS:
            ranked = ranker.rank(text, [top] if top else [], limit=None, method=method)
            positions[method].append(first_gold_rank([r.member_id for r in ranked], gold))
    return {
        "n": len(questions),
        "methods": {method: summarise(positions[method]) for method in METHODS},
        "leefgebied_accuracy": round(correct / max(len(questions), 1), 4),
    }
