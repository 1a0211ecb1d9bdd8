from __future__ import annotations

import numpy as np
from sqlalchemy.engine import Engine

from knowledge.embedding_cache import CachedEmbedder
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
