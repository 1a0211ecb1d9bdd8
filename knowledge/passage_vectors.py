"""Passage vectors held once per distinct text, and the pooling layout over them.

Why: a catalogue repeats itself. Every offer of a provider carries the organisation's name as a
short field, audiences ("volwassenen") and costs ("gratis") recur, providers reuse sentences
across their offers. `HybridIndex` used to hold one vector per passage per document (20,000
offers: 118,380 rows, 174 MB); identical texts have identical vectors, so each distinct text
is embedded once and held once, and documents refer to rows.

Invariants:
- a text's vector is the embedder's output for that text, as first embedded; it never changes
  while the text is held (an edited document gets new texts, not new vectors for old ones);
- `compacted` returns a matrix with exactly the texts the given documents use, in order of
  first use, so the same documents give the same matrix whatever was added or removed before;
  texts no document uses any more are dropped then (a long-running process does not grow
  with every edit).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from knowledge.embedders import Vectors

Ints = npt.NDArray[np.int64]


class PassageVectors:
    """Distinct passage texts and their vectors; not thread-safe (the index holds its lock)."""

    def __init__(self, dim: int) -> None:
        self.dim = dim
        self._rows: dict[str, int] = {}
        self._matrix: Vectors = np.zeros((0, dim), dtype=np.float32)
        self._added: list[Vectors] = []  # rows after the matrix, not yet concatenated

    def __len__(self) -> int:
        return len(self._rows)

    def missing(self, texts: Iterable[str]) -> list[str]:
        """The distinct texts that have no vector yet, in first-seen order."""
        return list(dict.fromkeys(t for t in texts if t not in self._rows))

    def add(self, texts: Sequence[str], vectors: Vectors) -> None:
        """Vectors for texts from `missing` (distinct, not held yet), row for row."""
        if len(texts) != len(vectors):
            raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
        if len(set(texts)) != len(texts) or any(text in self._rows for text in texts):
            raise ValueError("a passage text already has its vector")  # checked before any row
        for text in texts:
            self._rows[text] = len(self._rows)
        if len(texts):
            self._added.append(np.asarray(vectors, dtype=np.float32))

    def _all(self) -> Vectors:
        if self._added:
            self._matrix = np.concatenate([self._matrix, *self._added])
            self._added = []
        return self._matrix

    def vectors_of(self, texts: Sequence[str]) -> Vectors:
        """A copy of the vectors of `texts` (all held), row for row."""
        rows = np.fromiter((self._rows[t] for t in texts), np.int64, len(texts))
        return self._all()[rows]

    def compacted(self, documents: Sequence[Sequence[str]]) -> tuple[Vectors, list[list[int]]]:
        """The matrix of exactly the texts `documents` use, and each document's rows in it."""
        order: dict[str, int] = {}
        rows = [[order.setdefault(text, len(order)) for text in texts] for texts in documents]
        held = self._all()
        source = np.fromiter((self._rows[t] for t in order), np.int64, len(order))
        if len(order) != len(self._rows) or not np.array_equal(source, np.arange(len(order))):
            self._matrix = held[source]
            self._rows = order
        return self._matrix, rows


@dataclass(frozen=True)
class DenseMatrix:
    """The distinct passage vectors with the index arithmetic for pooling: per document its
    whole-text row and its run of single-passage rows (rows may be shared between documents)."""

    vectors: Vectors
    docs: Ints  # documents that have passages, in index order
    whole_rows: Ints
    part_rows: Ints
    part_starts: Ints  # offset of each document's run within part_rows
    part_counts: Ints

    @classmethod
    def build(cls, vectors: Vectors, rows_per_document: Sequence[Sequence[int]]) -> DenseMatrix:
        """`rows_per_document[i]`: document i's passages as rows of `vectors`, the whole text
        first (a document with one passage pools that passage with itself)."""
        docs: list[int] = []
        whole: list[int] = []
        parts: list[int] = []
        starts: list[int] = []
        counts: list[int] = []
        for index, rows in enumerate(rows_per_document):
            if rows:
                run = rows[1:] if len(rows) > 1 else rows[:1]
                docs.append(index)
                whole.append(rows[0])
                starts.append(len(parts))
                counts.append(len(run))
                parts.extend(run)
        return cls(vectors, _ints(docs), _ints(whole), _ints(parts), _ints(starts), _ints(counts))


def _ints(values: list[int]) -> Ints:
    return np.asarray(values, dtype=np.int64)
