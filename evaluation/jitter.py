"""How much a quality figure moves when the embeddings move a little.

Why: the same model gives slightly different vectors on another build, CPU or library version,
and a figure measured on a 40-question dev set moves a whole question at a time. A regression
floor in a test must sit below what such a difference can cost, so the eval commands measure
that cost: they rerun an evaluation with every vector perturbed by seeded Gaussian noise of
relative size `eps` (`‖noise‖ ≈ eps`, then re-normalised) and report the spread.

Invariants: a text gets the same noise every time it is embedded with the same seed and kind
(query or passage), so one run is internally consistent, exactly like one machine; `eps = 0`
returns the model's own vectors; the model is asked once per distinct text over all seeds.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from knowledge.embedders import Embedder, Vectors, normalise


class MemoisingEmbedder:
    """Remembers every vector it was given, so several perturbed runs embed each text once."""

    def __init__(self, base: Embedder) -> None:
        self.base = base
        self.model_id = base.model_id
        self.dim = base.dim
        self._memo: dict[tuple[str, str], Vectors] = {}

    def _embed(self, kind: str, texts: Sequence[str]) -> Vectors:
        missing = list(dict.fromkeys(t for t in texts if (kind, t) not in self._memo))
        if missing:
            embed = self.base.embed_queries if kind == "query" else self.base.embed_passages
            for text, vector in zip(missing, embed(missing), strict=True):
                self._memo[(kind, text)] = vector
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[(kind, t)] for t in texts])

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._embed("query", texts)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._embed("passage", texts)


class JitteredEmbedder:
    """`base`'s vectors plus seeded noise of norm about `eps`, re-normalised."""

    def __init__(self, base: Embedder, eps: float, seed: int) -> None:
        self.base = base
        self.eps = eps
        self.seed = seed
        self.model_id = f"{base.model_id}+jitter({eps:g},{seed})"
        self.dim = base.dim

    def _jitter(self, kind: str, texts: Sequence[str], vectors: Vectors) -> Vectors:
        if not self.eps or not len(texts):
            return vectors
        noise = np.stack([self._noise(kind, text) for text in texts])
        return normalise(vectors.astype(np.float64) + self.eps * noise)

    def _noise(self, kind: str, text: str) -> npt.NDArray[np.float64]:
        digest = hashlib.blake2b(f"{self.seed}\x00{kind}\x00{text}".encode(), digest_size=8)
        rng = np.random.default_rng(int.from_bytes(digest.digest(), "little"))
        noise: npt.NDArray[np.float64] = rng.standard_normal(self.dim) / np.sqrt(self.dim)
        return noise

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        return self._jitter("query", texts, self.base.embed_queries(texts))

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._jitter("passage", texts, self.base.embed_passages(texts))


def spread_embedder(base: Embedder, jitter: float) -> Embedder:
    """The embedder for an evaluation whose spread will be measured: memoising when `jitter`
    is on, so the plain run and every seed share one embedding per text."""
    return MemoisingEmbedder(base) if jitter > 0 else base


def jitter_spread(
    evaluate: Callable[[Embedder], Mapping[str, Any]],
    embedder: Embedder,
    eps: float,
    seeds: int,
) -> dict[str, Any]:
    """Run `evaluate` once per seed on jittered vectors; min, mean and max of every figure.

    Pass the MemoisingEmbedder the unperturbed run used (see `spread_embedder`), so no text is
    embedded twice.

    `evaluate` returns a report whose "methods" maps a method to {metric: value}; other
    numeric top-level figures (e.g. leefgebied_accuracy) are summarised too.
    """
    memo = embedder if isinstance(embedder, MemoisingEmbedder) else MemoisingEmbedder(embedder)
    reports = [evaluate(JitteredEmbedder(memo, eps, seed)) for seed in range(seeds)]

    def summary(values: Sequence[float]) -> dict[str, float]:
        return {
            "min": round(min(values), 4),
            "mean": round(sum(values) / len(values), 4),
            "max": round(max(values), 4),
        }

    methods = reports[0].get("methods", {})
    result: dict[str, Any] = {
        "eps": eps,
        "seeds": seeds,
        "methods": {
            method: {
                metric: summary([r["methods"][method][metric] for r in reports])
                for metric in metrics
            }
            for method, metrics in methods.items()
        },
    }
    for key, value in reports[0].items():
        if key not in ("methods", "n") and isinstance(value, int | float):
            result[key] = summary([r[key] for r in reports])
    return result
