"""A hashing embedder that counts what it embeds: proves caches and indexes skip work."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.embedders import HashingEmbedder, Vectors


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.passages = 0

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        self.passages += len(texts)
        return super().embed_passages(texts)
