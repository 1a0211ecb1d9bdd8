"""L2-regularised logistic regression on hashed sparse features, in NumPy, deterministic.

The learned privacy detector needs nothing more than a linear model over a few thousand
hashed feature buckets; training it here (full-batch Adam from zero weights, a fixed number
of steps, float64) keeps the dependency list as it is and gives the same weights for the same
data on every run. Rows are lists of bucket indices, each feature worth 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class SparseRows:
    """Rows of active buckets as one flat index array and each row's start."""

    indices: NDArray[np.int64]
    starts: NDArray[np.int64]
    lengths: NDArray[np.int64]

    @classmethod
    def of(cls, rows: Sequence[Sequence[int]]) -> SparseRows:
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        if (lengths == 0).any():
            raise ValueError("every row needs at least one feature (a bias feature)")
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        flat = np.fromiter((i for r in rows for i in r), dtype=np.int64, count=int(lengths.sum()))
        return cls(flat, starts, lengths)

    def dot(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        result: NDArray[np.float64] = np.add.reduceat(weights[self.indices], self.starts)
        return result


def train_logistic(
    rows: SparseRows,
    labels: NDArray[np.float64],
    dimension: int,
    *,
    l2: float = 1e-4,
    steps: int = 400,
    rate: float = 0.05,
) -> tuple[NDArray[np.float64], float]:
    """Weights per bucket and a bias minimising mean log-loss + l2/2 * |w|^2 (Adam)."""
    weights = np.zeros(dimension)
    bias = 0.0
    m_w, v_w = np.zeros(dimension), np.zeros(dimension)
    m_b = v_b = 0.0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    n = len(labels)
    for step in range(1, steps + 1):
        scores = np.clip(rows.dot(weights) + bias, -30, 30)
        residual = 1 / (1 + np.exp(-scores)) - labels
        counts = np.bincount(
            rows.indices, weights=np.repeat(residual, rows.lengths), minlength=dimension
        ).astype(np.float64)
        grad_w = counts / n + l2 * weights
        grad_b = float(residual.mean())
        m_w = beta1 * m_w + (1 - beta1) * grad_w
        v_w = beta2 * v_w + (1 - beta2) * grad_w**2
        m_b = beta1 * m_b + (1 - beta1) * grad_b
        v_b = beta2 * v_b + (1 - beta2) * grad_b**2
        correction1, correction2 = 1 - beta1**step, 1 - beta2**step
        weights -= rate * (m_w / correction1) / (np.sqrt(v_w / correction2) + eps)
        bias -= rate * (m_b / correction1) / (np.sqrt(v_b / correction2) + eps)
    return weights, bias


def predict(rows: SparseRows, weights: NDArray[np.float64], bias: float) -> NDArray[np.float64]:
    scores = np.clip(rows.dot(weights) + bias, -30, 30)
    result: NDArray[np.float64] = 1 / (1 + np.exp(-scores))
    return result
