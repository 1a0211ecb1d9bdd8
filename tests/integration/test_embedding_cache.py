from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy.engine import Engine

from knowledge.embedders import Vectors
from knowledge.embedding_cache import QUERY_MEMO, CachedEmbedder
from models.db import session_factory
from tests.fakes.embedders import CountingEmbedder


def test_a_restart_re_embeds_nothing(db: Engine) -> None:
    texts = ["Ik ken de WSNP.", "Beschermingsbewind en budgetbeheer.", "Ik ken de WSNP."]
    first_model = CountingEmbedder()
    first = CachedEmbedder(first_model, session_factory(db)).embed_passages(texts)
    assert first_model.passages == 2  # the duplicate is embedded once
    restarted_model = CountingEmbedder()
    again = CachedEmbedder(restarted_model, session_factory(db)).embed_passages(texts)
    assert restarted_model.passages == 0
    np.testing.assert_allclose(first, again)
    assert again.dtype == np.float32 and again.shape == (3, first_model.dim)


def test_only_changed_text_is_embedded(db: Engine) -> None:
    model = CountingEmbedder()
    cached = CachedEmbedder(model, session_factory(db))
    cached.embed_passages(["a b c", "d e f"])
    cached.embed_passages(["a b c", "d e f gewijzigd"])
    assert model.passages == 3


class _QueryCounting(CountingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str] = []

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        self.queries.extend(texts)
        return super().embed_queries(texts)


def test_a_query_text_runs_through_the_model_once_while_remembered(db: Engine) -> None:
    model = _QueryCounting()
    cached = CachedEmbedder(model, session_factory(db))
    first = cached.embed_queries(["schulden en bewind", "schulden en bewind"])
    again = cached.embed_queries(["schulden en bewind", "iets anders"])
    assert model.queries == ["schulden en bewind", "iets anders"]
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(again[0], model.embed_queries(["schulden en bewind"])[0])
    assert cached.embed_queries([]).shape == (0, model.dim)


def test_the_query_memo_forgets_the_oldest_text_first(db: Engine) -> None:
    model = _QueryCounting()
    cached = CachedEmbedder(model, session_factory(db))
    cached.embed_queries([f"vraag {n}" for n in range(QUERY_MEMO + 1)])
    model.queries.clear()
    cached.embed_queries(["vraag 1", "vraag 0"])  # 0 was pushed out, 1 was kept
    assert model.queries == ["vraag 0"]


def test_instances_warming_up_together_store_each_vector_once(db: Engine) -> None:
    """Two processes on one database embed the same texts before either writes (both warm up
    at once): the second write finds the rows there and leaves them. (The race itself, both
    inserting at the same moment, is what the load harness's two servers met: the store is an
    INSERT … ON CONFLICT DO NOTHING, so neither fails its warm-up on the primary key.)"""
    texts = [f"tekst {n}" for n in range(450)]  # more than one batch of rows
    first = CachedEmbedder(CountingEmbedder(), session_factory(db), write_behind=True)
    second = CachedEmbedder(CountingEmbedder(), session_factory(db), write_behind=True)
    vectors = first.embed_passages(texts)
    second.embed_passages(texts)  # nothing stored yet: it computes them too
    assert first.flush() == len(texts)
    assert second.flush() == len(texts)  # written "again": already there, nothing raised
    restarted = CountingEmbedder()
    again = CachedEmbedder(restarted, session_factory(db)).embed_passages(texts)
    assert restarted.passages == 0
    np.testing.assert_allclose(vectors, again)
