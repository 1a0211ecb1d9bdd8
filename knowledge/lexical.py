"""Lexical scoring for HybridIndex: BM25F over analysed terms, and typo-tolerant matching.

Kept apart from the dense side because it is rebuilt from scratch on every change (it takes
milliseconds for hundreds of documents), whereas passage embeddings are kept per document.
BM25 is written out in numpy instead of pulling in a package: it is forty lines, and owning
it lets fields carry weights (BM25F) and query terms carry synonym/compound weights.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils

from knowledge.textnorm import DutchAnalyzer, content_tokens, stem

Scores = npt.NDArray[np.float64]
FieldTexts = Mapping[str, str]


@dataclass(frozen=True)
class LexicalParams:
    """BM25 and fuzzy knobs; the values are chosen in HybridIndex's SearchWeights."""

    k1: float
    b: float
    fuzzy_cutoff: float
    fuzzy_min_length: int


class LexicalIndex:
    """BM25F and fuzzy term matching over a fixed list of documents (rebuilt on change)."""

    def __init__(
        self,
        documents: Sequence[FieldTexts],
        field_weights: Mapping[str, float],
        analyzer: DutchAnalyzer,
        params: LexicalParams,
        boosts: Sequence[Mapping[str, float]] = (),
    ) -> None:
        self.params = params
        lexicon = {stem(t) for d in documents for text in d.values() for t in content_tokens(text)}
        self.analyzer = analyzer.with_lexicon(t for t in lexicon if len(t) >= 3)
        self._n = len(documents)
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        surface: dict[str, set[int]] = defaultdict(set)
        lengths = np.zeros(self._n)
        for index, fields in enumerate(documents):
            boost = boosts[index] if index < len(boosts) else {}
            weights = {name: w * boost.get(name, 1.0) for name, w in field_weights.items()}
            lengths[index] = _add(index, fields, weights, self.analyzer, postings, surface)
        # Kept as arrays, not dicts of boxed numbers: a posting is 16 bytes instead of ~100
        # (20,000 offers: tens of MB), and a query reads a term's postings without converting.
        self._postings = {
            term: (np.fromiter(p, np.int64, len(p)), np.fromiter(p.values(), np.float64, len(p)))
            for term, p in postings.items()
        }
        self._surface = {
            word: np.fromiter(sorted(ids), np.int64, len(ids)) for word, ids in surface.items()
        }
        self._lengths = lengths
        self._avg_length = float(lengths.mean()) if self._n else 1.0
        self._surface_words = sorted(self._surface)

    def idf(self, term: str) -> float:
        """BM25+ style idf that stays positive for terms in most documents."""
        found = self._postings.get(term)
        df = 0 if found is None else len(found[0])
        return math.log(1.0 + (self._n - df + 0.5) / (df + 0.5))

    def bm25(self, query: str) -> Scores:
        """BM25F scores of all documents; query terms weighted by how they were derived."""
        scores = np.zeros(self._n)
        query_weights: dict[str, float] = defaultdict(float)
        for term, weight in self.analyzer.terms(query):
            query_weights[term] = max(query_weights[term], weight)
        k1, b = self.params.k1, self.params.b
        norm = k1 * (1.0 - b + b * self._lengths / max(self._avg_length, 1e-9))
        for term, weight in query_weights.items():
            postings = self._postings.get(term)
            if postings is None:
                continue
            ids, tf = postings
            scores[ids] += weight * self.idf(term) * tf * (k1 + 1.0) / (tf + norm[ids])
        return scores

    def fuzzy(self, query: str) -> Scores:
        """Credit for query words that match document words only approximately.

        Exact words are BM25's job; this catches typos ("schuldhlup") and stems of compounds
        ("huur" inside "huurcontract"), weighted by how close the match is and by the idf of
        the document word, taking each query word's best match per document.
        """
        scores = np.zeros(self._n)
        for token in set(content_tokens(query)):
            if len(token) < self.params.fuzzy_min_length or token in self._surface:
                continue
            best = np.zeros(self._n)
            for word, similarity, _ in process.extract(
                token,
                self._surface_words,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                score_cutoff=self.params.fuzzy_cutoff,
                limit=8,
            ):
                if stem(word) == stem(token):
                    continue  # same stem: already counted by BM25
                credit = (similarity - self.params.fuzzy_cutoff) / (
                    100.0 - self.params.fuzzy_cutoff
                )
                ids = self._surface[word]
                best[ids] = np.maximum(best[ids], (0.25 + 0.75 * credit) * self.idf(stem(word)))
            scores += best
        return scores


def _add(
    index: int,
    fields: FieldTexts,
    field_weights: Mapping[str, float],
    analyzer: DutchAnalyzer,
    postings: dict[str, dict[int, float]],
    surface: dict[str, set[int]],
) -> float:
    """One document's terms into the postings and its words into the surface map; returns its
    weighted length."""
    length = 0.0
    for name, text in fields.items():
        weight = field_weights.get(name, 0.0)
        if weight <= 0 or not text:
            continue
        for term, term_weight in analyzer.terms(text):
            posting = postings[term]
            posting[index] = posting.get(index, 0.0) + weight * term_weight
            length += weight * term_weight
        for token in content_tokens(text):
            surface[token].add(index)
    return length
