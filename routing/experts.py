"""The expert directory as the dispatcher sees it: candidates from the database, ranked.

The ranker (and its index of embedded profiles) and the directory (routing/directory.py) live
as long as the process. Per question one statement tells whether members, profiles, evidence
or invitations changed anywhere; only changed members get a new candidate (and only changed
passages reach the model at all, thanks to the embedding cache), and eligibility, load and the
top of the ranking are arrays until the few people about to be invited. Availability from the
chat platform (Slack's do-not-disturb) is asked last and only for those few. What each expert
showed they know (routing/learning.py) is read with the profile and weighed at the moment of
the question.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt
from sqlmodel import Session

from knowledge.embedders import Embedder
from models.clock import Clock, as_utc
from models.db import SessionFactory
from models.tables import Member
from routing.directory import ExpertDirectory
from routing.directory_entries import profile_rows
from routing.expert_stats import ExpertLoad, expert_loads
from routing.learning import declared_weight, learned_items
from routing.rank import (
    DEFAULT_WEIGHTS,
    ExpertCandidate,
    ExpertRanker,
    Progress,
    RankedExpert,
    RankingWeights,
)
from routing.scoring import Scored, top
from routing.waves import Pick

# How many ranked people to consider per place in a wave before giving up on availability:
# DND checks are per person, so look a little further than the wave itself.
LOOKAHEAD = 4


class AvailabilityProbe(Protocol):
    def is_available(self, chat_user_id: str) -> bool: ...


def load_candidates(
    session: Session, now: datetime, weights: RankingWeights = DEFAULT_WEIGHTS
) -> list[ExpertCandidate]:
    """Every active member with a profile, with their current load and evidence, read whole
    (the uncached path and the reference the kept directory is tested against)."""
    loads = expert_loads(session, now)
    learned = learned_items(session, now, weights)
    candidates = []
    for row in profile_rows(session):
        member_id, team, role, cap, away_until, external, languages = row[:7]
        expertise, tags, areas, updated_at, confirmed_at = row[7:]
        load = loads.get(member_id, ExpertLoad())
        moments = [as_utc(m) for m in (updated_at, confirmed_at) if m is not None]
        candidates.append(
            ExpertCandidate(
                member_id=member_id,
                team=team,
                expertise=expertise,
                tags=tags,
                leefgebieden=areas,
                available=away_until is None or as_utc(away_until) <= now,
                invitations_today=load.invitations_today,
                daily_cap=cap,
                open_invitations=load.open_invitations,
                accept_rate=load.accept_rate,
                median_response_minutes=load.median_response_minutes,
                is_external=external,
                role=role,
                languages=languages,
                learned=learned.get(member_id, ()),
                declared_weight=declared_weight(max(moments, default=None), now, weights),
            )
        )
    return candidates


def apply_external_rule(
    ranked: Sequence[RankedExpert],
    externals: set[str],
    *,
    threshold: float,
    asked: bool,
    limit: int,
) -> list[RankedExpert]:
    """Externals (partner organisations) only when no internal colleague fits well enough.

    Without the asker's "extern:", externals are dropped while the best internal candidate
    scores at least `threshold`; below it (or with no internal candidate) everyone competes
    on score. With "extern:", the best external gets a place in the first `limit` if their
    score alone did not earn one. Applied here, in the dispatch path, and not in
    ExpertRanker.rank: the routing evaluation ranks everyone on relevance alone.
    """
    internals = [e for e in ranked if e.member_id not in externals]
    if asked:
        result = list(ranked)
        outside = [e for e in ranked if e.member_id in externals]
        if outside and not any(e.member_id in externals for e in result[:limit]):
            result.remove(outside[0])
            result.insert(max(limit - 1, 0), outside[0])
        return result
    if internals and internals[0].score >= threshold:
        return internals
    return list(ranked)


class RankingExpertFinder:
    """The dispatcher's expert finder: the directory kept in memory (routing/directory.py),
    checked with one statement per question, ranked with array arithmetic (routing/scoring.py).

    `cached=False` is the reference path kept for comparison (bench/routing.py's baseline and
    the tests that check the two agree): every question re-reads the whole directory and 90
    days of invitations and builds a candidate per expert, as before the directory was kept.
    """

    def __init__(
        self,
        embedder: Embedder,
        sessions: SessionFactory,
        clock: Clock,
        *,
        probe: AvailabilityProbe | None = None,
        weights: RankingWeights = DEFAULT_WEIGHTS,
        cached: bool = True,
        on_rebuild: Callable[[int], None] | None = None,
    ) -> None:
        self.ranker = ExpertRanker(embedder, weights)
        self.directory = ExpertDirectory(weights, on_rebuild)
        self.cached = cached
        self._sessions = sessions
        self._clock = clock
        self._probe = probe
        self._built = False
        self._externals: set[str] = set()
        # One question at a time through the ranker: Slack's listeners run in a thread pool,
        # and a refresh between two steps of another question's ranking would mix directories.
        self._lock = threading.RLock()

    def refresh(self, session: Session, now: datetime, progress: Progress | None = None) -> int:
        """Bring the directory up to date; returns the number of profile passages embedded."""
        with self._lock:
            if not self.cached:
                candidates = load_candidates(session, now, self.ranker.weights)
                embedded = self.ranker.build(candidates, progress)
                self._externals = {c.member_id for c in candidates if c.is_external}
                self._built = False  # the next cached refresh re-reads everything
                return embedded
            changes = self.directory.sync(session, now, force=not self._built)
            self.ranker.remove(changes.removed)
            embedded = self.ranker.update(changes.changed, progress)
            if changes.changed or changes.removed or not self._built:
                self._externals = self.directory.externals
            self._built = True
            self.ranker.use_facts(self.directory.facts(now))
            return embedded

    def prepare(self) -> None:
        """Warm-up: the directory's search structures and the leefgebied classifier."""
        with self._lock:
            self.ranker.prepare()

    def suggest_leefgebieden(self, text: str) -> list[tuple[str, float]]:
        """Leefgebieden for a question; the directory's profiles vote along."""
        with self._lock:
            if not self._built:
                with self._sessions() as session:
                    self.refresh(session, self._clock.now())
            return self.ranker.suggest_leefgebieden(text)

    def find(
        self,
        session: Session,
        text: str,
        leefgebieden: Sequence[str],
        *,
        exclude: set[str],
        limit: int,
        now: datetime,
        include_external: bool = False,
    ) -> list[Pick]:
        reach = limit * LOOKAHEAD
        with self._lock:
            self.refresh(session, now)
            if self.cached:
                # The best `reach` of all and of the internals, and the best external: every
                # expert apply_external_rule can place in the first `reach` (module docstring of
                # routing/scoring.py for why the order is the full ranking's).
                scored = self.ranker.score(text, list(leefgebieden), exclude=exclude)
                external = self.ranker.facts().external
                positions = set(top(scored, reach))
                positions |= set(top(scored, reach, ~external)) | set(top(scored, 1, external))
                candidates = self.ranker.ranked(scored, top(scored, None, _only(positions, scored)))
            else:
                candidates = self.ranker.rank(text, list(leefgebieden), exclude=exclude, limit=None)
            ranked = apply_external_rule(
                candidates,
                self._externals,
                threshold=self.ranker.weights.external_threshold,
                asked=include_external,
                limit=limit,
            )
        picks: list[Pick] = []
        for expert in ranked[:reach]:
            if self._probe is not None:
                member = session.get(Member, expert.member_id)
                if (
                    member
                    and member.chat_user_id
                    and not self._probe.is_available(member.chat_user_id)
                ):
                    continue
            picks.append(Pick(expert.member_id, expert.score))
            if len(picks) == limit:
                break
        return picks


def _only(positions: set[int], scored: Scored) -> npt.NDArray[np.bool_]:
    mask = np.zeros(len(scored.ids), dtype=bool)
    mask[list(positions)] = True
    return mask
