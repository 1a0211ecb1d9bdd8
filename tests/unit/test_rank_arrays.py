"""Ranking as arrays (routing/scoring.py) gives exactly what the per-object ranking gave: the
same experts in the same order with bitwise the same scores, for every method, load, cap,
exclusion and limit, on the demo directory."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

from evaluation.routing import load_experts_csv
from knowledge.demo import demo_experts_path
from knowledge.embedders import HashingEmbedder
from knowledge.index import SCORE_DECIMALS, Method
from knowledge.languages import languages_needed
from knowledge.urgency import routing_text, urgent_signals
from routing.rank import (
    ExpertCandidate,
    ExpertRanker,
    RankedExpert,
    is_eligible,
    load_adjustments,
)
from tests.unit.test_rank import GOK

DEV = Path(__file__).resolve().parents[1] / "fixtures/eval/routing_dev.jsonl"
QUESTIONS = [json.loads(line)["question"] for line in DEV.read_text("utf-8").splitlines()][:25]
QUESTIONS.append("Mijn cliënt spreekt alleen Arabisch, wie helpt met de huurtoeslag?")


def per_object(
    ranker: ExpertRanker,
    text: str,
    leefgebieden: list[str],
    exclude: set[str],
    limit: int | None,
    method: Method,
) -> list[RankedExpert]:
    """The ranking as ExpertRanker.rank computed it before routing/scoring.py (a copy)."""
    prior = ranker._prior(text, leefgebieden)
    needed = languages_needed(text)
    if method == "hybrid":
        text = routing_text(text, urgent_signals(text))
    candidates = ranker._candidates
    hits = ranker.index.search(
        text,
        leefgebieden=prior,
        method=method,
        limit=None,
        allowed=lambda doc: is_eligible(candidates[doc.doc_id]),
        exclude=exclude,
    )
    ranked = []
    for hit in hits:
        components = dict(hit.components)
        if method == "hybrid":
            candidate = candidates[hit.doc_id]
            components.update(load_adjustments(candidate, ranker.weights))
            if needed:
                speaks = bool(needed & set(candidate.languages))
                components["language"] = ranker.weights.language_match if speaks else 0.0
        ranked.append(RankedExpert(hit.doc_id, sum(components.values()), components))
    ranked.sort(key=lambda expert: (-round(expert.score, SCORE_DECIMALS), expert.member_id))
    return ranked if limit is None else ranked[:limit]


def loaded(candidates: list[ExpertCandidate], seed: int = 3) -> list[ExpertCandidate]:
    rng = random.Random(seed)
    return [
        dataclasses.replace(
            c,
            available=rng.random() > 0.1,
            invitations_today=rng.randrange(6),
            open_invitations=rng.randrange(5),
            accept_rate=rng.choice([None, 0.0, 0.5, rng.random(), 1.0]),
            median_response_minutes=rng.choice([None, 3.0, 240.0, 500.0, rng.random() * 300]),
            languages=rng.choice([(), ("arabisch",), ("turks", "arabisch")]),
        )
        for c in candidates
    ]


def test_arrays_rank_exactly_as_the_objects_did() -> None:
    experts = loaded(load_experts_csv(demo_experts_path()) + [GOK])
    ranker = ExpertRanker(HashingEmbedder(), candidates=experts)
    for i, text in enumerate(QUESTIONS):
        exclude = {experts[i].member_id, experts[-i].member_id}
        for method in ("hybrid", "lexical", "dense"):
            for limit in (None, 1, 3, 12):
                lg = ["wonen"] if i % 2 else []
                expected = per_object(ranker, text, lg, exclude, limit, method)
                got = ranker.rank(text, lg, exclude=exclude, limit=limit, method=method)
                assert got == expected, (text, method, limit)
