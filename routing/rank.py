"""Expert ranking: which colleagues to invite first for a question.

Relevance comes from the generic HybridIndex (knowledge.index); this module adds what is
specific to people: who may be asked at all (present, under their daily cap, not the asker)
and a small nudge away from colleagues who already carry open invitations, rarely accept or
answer slowly. The nudges are deliberately small: the best-matching expert should still be
asked when busy, but between two equally good matches the less loaded one goes first.

An expert's document is what they declared (free text, tags, role) plus what they showed: the
questions they answered well (routing/learning.py). One mechanism carries time: a decayed
weight per evidence item and per set of declared tags. Evidence below `learned_min_weight`
leaves the document; what stays scales the BM25F weight of its field (Document.boosts), so a
fading answer or a profile nobody confirmed in a year counts less, never zero for the tags.
A question that names the client's language ("spreekt alleen Arabisch") adds a small bonus for
colleagues who speak it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from knowledge.embedders import Embedder
from knowledge.index import SCORE_DECIMALS, Document, HybridIndex, IndexSchema, Method
from knowledge.languages import languages_needed
from knowledge.taxonomy import classify_leefgebieden, leefgebied_classifier, slug_for
from knowledge.urgency import routing_text, urgent_signals
from routing.candidates import (
    ExpertCandidate,
    LearnedItem,
    RankedExpert,
    counted_evidence,
    expert_document,
)
from routing.scoring import (
    CandidateFacts,
    Scored,
    load_components,
    relevance,
    top,
    total_of,
)
from routing.weights import DEFAULT_WEIGHTS, RankingWeights

# The ranker's vocabulary lives in routing/candidates.py and routing/weights.py; it is
# importable from here as it always was.
__all__ = [
    "DEFAULT_WEIGHTS",
    "ExpertCandidate",
    "ExpertRanker",
    "LearnedItem",
    "Progress",
    "RankedExpert",
    "RankingWeights",
    "counted_evidence",
    "expert_document",
    "is_eligible",
    "load_adjustments",
]

Progress = Callable[[int, int], None]  # (passages embedded, passages to embed)


def is_eligible(candidate: ExpertCandidate) -> bool:
    """May be invited now: present and below the daily cap."""
    return candidate.available and candidate.invitations_today < candidate.daily_cap


def load_adjustments(candidate: ExpertCandidate, weights: RankingWeights) -> dict[str, float]:
    """Negative score adjustments for load and responsiveness (0.0 when there is no history)."""
    open_penalty = min(
        candidate.open_invitations * weights.open_invitation_penalty,
        weights.open_invitation_penalty_cap,
    )
    decline = 0.0
    if candidate.accept_rate is not None:
        decline = weights.decline_penalty * (1.0 - min(max(candidate.accept_rate, 0.0), 1.0))
    slow = 0.0
    if candidate.median_response_minutes is not None:
        share = min(max(candidate.median_response_minutes, 0.0) / weights.slow_response_minutes, 1)
        slow = weights.slow_response_penalty * share
    return {"open_invitations": -open_penalty, "accept_rate": -decline, "response_time": -slow}


class ExpertRanker:
    """Ranks candidates for a question; profiles are embedded once, load is read per call."""

    def __init__(
        self,
        embedder: Embedder,
        weights: RankingWeights = DEFAULT_WEIGHTS,
        candidates: Iterable[ExpertCandidate] = (),
    ) -> None:
        self.embedder = embedder
        self.weights = weights
        schema = IndexSchema(
            lexical_fields={
                "expertise": weights.expertise_field,
                "tags": weights.tags_field,
                "role": weights.role_field,
                "team": weights.team_field,
                "gloss": weights.gloss_field,
                "learned": weights.learned_field,
            },
            passage_fields=("expertise", "tags", "role", "learned"),
            expansion_fields=("gloss",),
        )
        self.index = HybridIndex(embedder, schema, weights.search)
        self._candidates: dict[str, ExpertCandidate] = {}
        self._derived: CandidateFacts | None = None  # from the candidates' own fields
        self._given: CandidateFacts | None = None  # from the directory, per question
        self._position_cache: tuple[tuple[str, ...], dict[str, int]] | None = None
        self.build(candidates)

    def build(self, candidates: Iterable[ExpertCandidate], progress: Progress | None = None) -> int:
        """Make `candidates` the full set; returns the number of passages embedded."""
        fresh = {c.member_id: c for c in candidates}
        self.remove(set(self._candidates) - set(fresh))
        self._given = None
        return self.update(fresh.values(), progress)

    def prepare(self) -> None:
        """Build the index's search structures and the leefgebied classifier now (warm-up),
        not on the first question."""
        self.index.prepare()
        leefgebied_classifier(self.embedder)

    def update(
        self, candidates: Iterable[ExpertCandidate], progress: Progress | None = None
    ) -> int:
        """Insert or replace candidates; only changed profile texts are re-embedded.

        The dispatcher refreshes the whole directory on every question to read current load;
        a candidate whose profile is unchanged only has its load replaced, so the index (its
        passages and BM25 statistics) is left alone.
        """
        changed = []
        for candidate in candidates:
            document = self.document(candidate)
            if self.index.get(candidate.member_id) != document:
                changed.append(document)
            self._candidates[candidate.member_id] = candidate
            self._derived = None
        return self.index.add(changed, progress=progress)

    def document(self, candidate: ExpertCandidate) -> Document:
        return expert_document(candidate, self.weights)

    def remove(self, member_ids: Iterable[str]) -> None:
        ids = list(member_ids)
        for member_id in ids:
            if self._candidates.pop(member_id, None) is not None:
                self._derived = None
        self.index.remove(ids)

    def use_facts(self, facts: CandidateFacts | None) -> None:
        """Eligibility and load as the directory knows them now (None: the candidates' own);
        `facts.ids` must be the candidates' ids, sorted."""
        self._given = facts

    def facts(self) -> CandidateFacts:
        """The facts `rank` uses: the directory's, or built once from the candidates."""
        if self._given is not None:
            return self._given
        if self._derived is None:
            ids = tuple(sorted(self._candidates))
            candidates = [self._candidates[i] for i in ids]
            self._derived = CandidateFacts(
                ids=ids,
                eligible=np.array([is_eligible(c) for c in candidates], dtype=bool),
                open_invitations=np.array([c.open_invitations for c in candidates], np.float64),
                accept_rate=_or_nan([c.accept_rate for c in candidates]),
                median_response_minutes=_or_nan([c.median_response_minutes for c in candidates]),
                external=np.array([c.is_external for c in candidates], dtype=bool),
            )
        return self._derived

    def suggest_leefgebieden(self, question: str) -> list[tuple[str, float]]:
        """Leefgebieden for a question, best first: the classifier mixed with the votes of the
        nearest expert profiles (the directory is labelled data)."""
        signals = urgent_signals(question)
        question = routing_text(question, signals)
        share = self.weights.neighbour_vote_share
        votes = self.index.leefgebied_votes(question)
        mixed = {
            slug: (1.0 - share) * score + share * votes.get(slug, 0.0)
            for slug, score in classify_leefgebieden(question, self.embedder)
        }
        # Acute danger decides what the question is about (knowledge/urgency.py).
        for signal in signals:
            mixed[signal.leefgebied] = 1.0 + mixed.get(signal.leefgebied, 0.0)
        return sorted(mixed.items(), key=lambda item: (-round(item[1], SCORE_DECIMALS), item[0]))

    def rank(
        self,
        question_text: str,
        leefgebieden: Sequence[str] | Mapping[str, float] | None,
        *,
        exclude: set[str] | frozenset[str] = frozenset(),
        limit: int | None = 10,
        method: Method = "hybrid",
    ) -> list[RankedExpert]:
        """Experts to invite, best first.

        `leefgebieden`: slugs or Dutch names in order of importance (or slug -> weight); None
        uses the best suggestion of `suggest_leefgebieden`. Unavailable experts, experts at
        their daily cap and `exclude` (e.g. the asker) never appear, for every method; the
        load adjustments and the terms of urgent signals (knowledge/urgency.py) apply to
        "hybrid" only, so the baselines stay pure relevance.
        """
        scored = self.score(question_text, leefgebieden, exclude=exclude, method=method)
        return self.ranked(scored, top(scored, limit))

    def score(
        self,
        question_text: str,
        leefgebieden: Sequence[str] | Mapping[str, float] | None,
        *,
        exclude: set[str] | frozenset[str] = frozenset(),
        method: Method = "hybrid",
    ) -> Scored:
        """Every candidate's score components as arrays (routing/scoring.py); `rank` without
        the objects. The order of the components is the order their sum was always taken in."""
        prior = self._prior(question_text, leefgebieden)
        needed = languages_needed(question_text)
        if method == "hybrid":  # the baselines read the plain question
            question_text = routing_text(question_text, urgent_signals(question_text))
        facts = self.facts()
        if len(facts.ids) != len(self.index):
            raise ValueError("the facts do not describe the ranker's candidates")
        if not facts.ids:
            return Scored((), {}, np.zeros(0), np.zeros(0, dtype=bool))
        components = relevance(self.index, question_text, prior, method)
        if method == "hybrid":
            components.update(load_components(facts, self.weights))
            if needed:
                speaks = [bool(needed & set(self._candidates[i].languages)) for i in facts.ids]
                components["language"] = np.where(speaks, self.weights.language_match, 0.0)
        keep = facts.eligible.copy()
        position = self._positions(facts.ids)
        for member_id in exclude:
            if member_id in position:
                keep[position[member_id]] = False
        return Scored(facts.ids, components, total_of(components, len(facts.ids)), keep)

    def ranked(self, scored: Scored, positions: Sequence[int]) -> list[RankedExpert]:
        """The objects for `positions` only; the score is the components' sum, as ever."""
        ranked = []
        for p in positions:
            components = {name: float(values[p]) for name, values in scored.components.items()}
            ranked.append(RankedExpert(scored.ids[p], sum(components.values()), components))
        return ranked

    def _positions(self, ids: tuple[str, ...]) -> dict[str, int]:
        cached = self._position_cache
        if cached is None or cached[0] is not ids:
            cached = (ids, {member_id: p for p, member_id in enumerate(ids)})
            self._position_cache = cached
        return cached[1]

    def _prior(
        self, question: str, leefgebieden: Sequence[str] | Mapping[str, float] | None
    ) -> dict[str, float]:
        if leefgebieden is None:
            suggestions = self.suggest_leefgebieden(question)
            return {suggestions[0][0]: 1.0} if suggestions else {}
        if isinstance(leefgebieden, Mapping):
            return {slug_for(s): float(w) for s, w in leefgebieden.items()}
        return {slug_for(s): 1.0 / (rank + 1) for rank, s in enumerate(leefgebieden)}


def _or_nan(values: Sequence[float | None]) -> npt.NDArray[np.float64]:
    return np.array([np.nan if v is None else v for v in values], np.float64)
