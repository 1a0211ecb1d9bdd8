"""Search quality on the social map and the Buurtacademie: hit@1, hit@3, MRR and nDCG@5.

The baselines (lexical, dense) run through the same CatalogueSearch as the hybrid, so they
differ only in the fusion; the neighbourhood preference is part of the hybrid method. The
leefgebied prior comes from the classifier, as in production, never from gold labels.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from knowledge.areas import mentioned_area, resolve_area
from knowledge.catalogue import Module, Offer
from knowledge.catalogue_search import DEFAULT_CATALOGUE_WEIGHTS, CatalogueSearch, CatalogueWeights
from knowledge.embedders import Embedder
from knowledge.index import Method
from knowledge.taxonomy import classify_leefgebieden

METHODS: tuple[Method, ...] = ("hybrid", "lexical", "dense")


def load_jsonl(path: Path | str) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ndcg(ranked: Sequence[str], gold: set[str], k: int = 5) -> float:
    """Binary-relevance nDCG@k: every gold item is equally right."""
    dcg = sum(1.0 / math.log2(i + 2) for i, item in enumerate(ranked[:k]) if item in gold)
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(gold), k)))
    return dcg / ideal if ideal else 0.0


def summarise(rankings: Sequence[tuple[Sequence[str], set[str]]]) -> dict[str, float]:
    n = max(len(rankings), 1)
    firsts = [next((i for i, d in enumerate(r) if d in gold), None) for r, gold in rankings]
    return {
        "hit@1": round(sum(p is not None and p < 1 for p in firsts) / n, 4),
        "hit@3": round(sum(p is not None and p < 3 for p in firsts) / n, 4),
        "mrr": round(sum(1.0 / (p + 1) for p in firsts if p is not None) / n, 4),
        "ndcg@5": round(sum(ndcg(r, gold) for r, gold in rankings) / n, 4),
    }


def _top_leefgebied(search: CatalogueSearch, text: str) -> list[str]:
    scored = classify_leefgebieden(text, search.embedder)
    return [scored[0][0]] if scored else []


def evaluate_socialmap(
    offers: Sequence[Offer],
    queries: Sequence[Mapping[str, Any]],
    embedder: Embedder,
    *,
    weights: CatalogueWeights = DEFAULT_CATALOGUE_WEIGHTS,
    preprocess: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """`queries`: {"id", "query", "wijk" (or null), "gold_offers"} per line."""
    search = CatalogueSearch(embedder, weights)
    search.load(offers=offers)
    rankings: dict[str, list[tuple[list[str], set[str]]]] = {m: [] for m in METHODS}
    for case in queries:
        text = preprocess(case["query"]) if preprocess else case["query"]
        area = resolve_area(case.get("wijk")) or mentioned_area(text)
        prior = _top_leefgebied(search, text)
        for method in METHODS:
            found = search.find_offers(
                text, area=area, leefgebieden=prior, method=method, relevant_only=False
            )
            rankings[method].append(([m.offer.offer_id for m in found], set(case["gold_offers"])))
    return {"n": len(queries), "methods": {m: summarise(rankings[m]) for m in METHODS}}


def evaluate_academy(
    modules: Sequence[Module],
    questions: Sequence[Mapping[str, Any]],
    embedder: Embedder,
    *,
    weights: CatalogueWeights = DEFAULT_CATALOGUE_WEIGHTS,
    preprocess: Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """`questions`: {"id", "question", "gold_modules"} per line."""
    search = CatalogueSearch(embedder, weights)
    search.load(modules=modules)
    rankings: dict[str, list[tuple[list[str], set[str]]]] = {m: [] for m in METHODS}
    for case in questions:
        text = preprocess(case["question"]) if preprocess else case["question"]
        prior = _top_leefgebied(search, text)
        for method in METHODS:
            found = search.find_modules(
                text, leefgebieden=prior, method=method, relevant_only=False
            )
            rankings[method].append(
                ([m.module.module_id for m in found], set(case["gold_modules"]))
            )
    return {"n": len(questions), "methods": {m: summarise(rankings[m]) for m in METHODS}}
