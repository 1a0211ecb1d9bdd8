"""Passage embeddings cached in the database under (model id, text hash).

Embedding is the slow step (~55 passages/s on two cores); profiles, offers and modules change
rarely, so a restart or a re-import re-embeds only the texts that changed. Queries are not
cached: they are nearly all unique.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlmodel import col, select

from knowledge.embedders import Embedder, Vectors
from models.db import SessionFactory
from models.tables import EmbeddingCache


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """An Embedder that remembers passage vectors in the database."""

    def __init__(self, inner: Embedder, sessions: SessionFactory) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._sessions = sessions
        self.computed = 0  # passages embedded by the model (not served from the cache)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self.inner.embed_queries(texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        hashes = [text_hash(t) for t in texts]
        found = self._load(set(hashes))
        missing = sorted(
            {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}.items()
        )
        if missing:
            vectors = self.inner.embed_passages([t for _, t in missing])
            self.computed += len(missing)
            self._store([(h, v) for (h, _), v in zip(missing, vectors, strict=True)])
            found.update({h: v for (h, _), v in zip(missing, vectors, strict=True)})
        return np.stack([found[h] for h in hashes]).astype(np.float32)

    def _load(self, hashes: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._sessions() as session:
            ordered = sorted(hashes)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                rows = session.exec(
                    select(EmbeddingCache).where(
                        EmbeddingCache.model_id == self.model_id,
                        col(EmbeddingCache.text_hash).in_(chunk),
                    )
                ).all()
                for row in rows:
                    found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32)
        return found

    def _store(self, items: list[tuple[str, np.ndarray]]) -> None:
        with self._sessions() as session:
            for digest, vector in items:
                row = EmbeddingCache(
                    model_id=self.model_id,
                    text_hash=digest,
                    dim=int(vector.shape[0]),
                    vector=np.asarray(vector, dtype=np.float32).tobytes(),
                )
                session.merge(row)  # another process may have stored it meanwhile
            session.commit()
