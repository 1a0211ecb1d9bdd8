"""evaluation/jitter.py: seeded embedding noise for measuring how much a figure can move."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from evaluation.jitter import JitteredEmbedder, MemoisingEmbedder, jitter_spread, spread_embedder
from knowledge.embedders import Embedder, HashingEmbedder, Vectors

TEXTS = ["schulden en een gokverslaving", "taalcafé in Overvecht", "eenzaam na verhuizing"]


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.embedded.extend(texts)
        return super().embed_queries(texts)


def test_zero_noise_returns_the_models_vectors() -> None:
    base = HashingEmbedder()
    assert np.array_equal(
        JitteredEmbedder(base, 0.0, 1).embed_queries(TEXTS), base.embed_queries(TEXTS)
    )


@pytest.mark.parametrize("eps", [0.001, 0.01, 0.05])
def test_noise_has_the_asked_size_and_keeps_unit_length(eps: float) -> None:
    base = HashingEmbedder()
    jittered = JitteredEmbedder(base, eps, 3).embed_passages(TEXTS)
    assert np.allclose(np.linalg.norm(jittered, axis=1), 1.0, atol=1e-5)
    moved = np.linalg.norm(jittered - base.embed_passages(TEXTS), axis=1)
    assert np.all(moved > eps / 4) and np.all(moved < eps * 2)


def test_one_seed_is_one_consistent_machine_and_seeds_differ() -> None:
    base = HashingEmbedder()
    first = JitteredEmbedder(base, 0.01, 7)
    again = JitteredEmbedder(base, 0.01, 7).embed_queries(list(reversed(TEXTS)))
    assert np.array_equal(first.embed_queries(TEXTS), again[::-1])
    other = JitteredEmbedder(base, 0.01, 8).embed_queries(TEXTS)
    assert not np.allclose(first.embed_queries(TEXTS), other)
    # queries and passages of the same text are perturbed independently, as the model's are
    assert not np.allclose(first.embed_queries(TEXTS), first.embed_passages(TEXTS))


def test_the_model_is_asked_once_per_text_over_all_seeds() -> None:
    counting = CountingEmbedder()
    memo = MemoisingEmbedder(counting)
    for seed in range(5):
        JitteredEmbedder(memo, 0.01, seed).embed_queries(TEXTS + TEXTS[:1])
    assert sorted(counting.embedded) == sorted(TEXTS)
    assert memo.embed_queries([]).shape == (0, memo.dim)


def test_spread_summarises_every_method_metric_and_top_level_figure() -> None:
    def evaluate(embedder: Embedder) -> dict[str, object]:
        vectors = embedder.embed_queries(TEXTS)
        score = float(vectors[0] @ vectors[1])
        return {"n": 3, "methods": {"dense": {"hit@3": score}}, "accuracy": score / 2}

    spread = jitter_spread(evaluate, HashingEmbedder(), 0.05, 6)
    figure = spread["methods"]["dense"]["hit@3"]
    assert figure["min"] < figure["mean"] < figure["max"]
    assert set(spread) == {"eps", "seeds", "methods", "accuracy"}
    assert spread["seeds"] == 6 and spread["accuracy"]["max"] == pytest.approx(
        figure["max"] / 2, abs=1e-4
    )


def test_the_plain_run_and_every_seed_share_one_embedding_per_text() -> None:
    counting = CountingEmbedder()
    embedder = spread_embedder(counting, 0.01)

    def evaluate(model: Embedder) -> dict[str, object]:
        model.embed_queries(TEXTS)
        return {"methods": {}}

    evaluate(embedder)  # the unperturbed figures, as the eval commands compute them first
    jitter_spread(evaluate, embedder, 0.01, 4)
    assert sorted(counting.embedded) == sorted(TEXTS)
    assert spread_embedder(counting, 0.0) is counting  # no jitter, no memo
