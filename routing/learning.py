"""Learned expertise: well-rated answers become evidence of what an expert knows now.

When an asker grades an answer 4 or 5, the question (already de-identified) and its
leefgebieden become an ExpertiseEvidence row for the expert who answered. Its weight is 1.0 at
the rating and halves every `RankingWeights.evidence_half_life_days`, so routing follows what
people handle today rather than what they once wrote in a profile. The expert sees what
Vraagbaak believes (`learned_profile`) and can remove what is wrong (`remove_evidence`,
`remove_topic`).

Invariants:
- evidence is unique per (member, question) and a removed row is kept with `removed_at`: the
  same rating replayed, or `learn_from_ratings` run again, never brings it back;
- nothing here commits: evidence lands in the transaction of the rating that caused it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from knowledge.taxonomy import name_for
from knowledge.textnorm import content_tokens, fold, stem
from models.clock import as_utc
from models.errors import DomainError, Why
from models.tables import ExpertiseEvidence, ExpertiseProfile, Question, Rating
from routing.rank import DEFAULT_WEIGHTS, LearnedItem, RankingWeights, counted_evidence

# The lowest grade (of 5) that says "this colleague knew": 3 is "it helped somewhat".
MIN_SCORE = 4
# Topic words shorter than this are mostly fragments ("wmo" survives: it is a content word).
_MIN_TOPIC_LENGTH = 3


class LearningError(DomainError):
    """A change the expert may not make."""


def decayed(weight_at: datetime, now: datetime, half_life_days: float) -> float:
    """1.0 at `weight_at`, halving every `half_life_days` (never above 1.0)."""
    days = max((as_utc(now) - as_utc(weight_at)).total_seconds(), 0.0) / 86400.0
    return float(0.5 ** (days / half_life_days))


def declared_weight(
    last_confirmed: datetime | None, now: datetime, weights: RankingWeights = DEFAULT_WEIGHTS
) -> float:
    """How much declared tags count: 1.0 just after a confirmation or edit, fading to the
    floor; a profile never confirmed or edited counts at the floor."""
    floor = weights.declared_floor
    if last_confirmed is None:
        return floor
    fresh = decayed(last_confirmed, now, weights.declared_half_life_days)
    return floor + (1.0 - floor) * fresh


def last_confirmed(profile: ExpertiseProfile) -> datetime | None:
    moments = [as_utc(m) for m in (profile.confirmed_at, profile.updated_at) if m is not None]
    return max(moments) if moments else None


def horizon(weights: RankingWeights) -> timedelta:
    """Age beyond which evidence weighs less than `learned_min_weight` (so is not loaded)."""
    halvings = math.log2(1.0 / weights.learned_min_weight)
    return timedelta(days=weights.evidence_half_life_days * halvings)


def record_rating(
    session: Session, question_id: int, now: datetime, *, min_score: int = MIN_SCORE
) -> ExpertiseEvidence | None:
    """Turn the rating of one question into evidence if it was good; the hook after a rating.

    Returns the new row, or None when the grade is too low, there is no rating or answerer, or
    evidence for this question exists already (also when the expert removed it).
    """
    rating = session.exec(select(Rating).where(Rating.question_id == question_id)).first()
    question = session.get(Question, question_id)
    if rating is None or question is None or rating.score < min_score or not rating.member_id:
        return None
    existing = session.exec(
        select(ExpertiseEvidence.id).where(
            ExpertiseEvidence.member_id == rating.member_id,
            ExpertiseEvidence.question_id == question_id,
        )
    ).first()
    if existing is not None:
        return None
    evidence = ExpertiseEvidence(
        member_id=rating.member_id,
        question_id=question_id,
        text=question.text,
        leefgebieden=question.leefgebieden,
        score=rating.score,
        weight_at=rating.created_at,
        created_at=now,
    )
    session.add(evidence)
    session.flush()
    return evidence


def learn_from_ratings(session: Session, now: datetime, *, min_score: int = MIN_SCORE) -> int:
    """Evidence for every good rating that has none yet (a backfill, or a periodic job instead
    of the hook); returns how many rows were added. Idempotent."""
    known = select(ExpertiseEvidence.question_id)  # a question has one rating, so one answerer
    pending = session.exec(
        select(Rating.question_id).where(
            col(Rating.score) >= min_score, ~col(Rating.question_id).in_(known)
        )
    ).all()
    return sum(record_rating(session, qid, now, min_score=min_score) is not None for qid in pending)


def learned_items(
    session: Session, now: datetime, weights: RankingWeights = DEFAULT_WEIGHTS
) -> dict[str, tuple[LearnedItem, ...]]:
    """Per member, the evidence young enough to count, with its weight at `now`."""
    rows = session.exec(
        select(
            ExpertiseEvidence.member_id,
            ExpertiseEvidence.text,
            ExpertiseEvidence.leefgebieden,
            ExpertiseEvidence.weight_at,
        ).where(
            col(ExpertiseEvidence.removed_at).is_(None),
            col(ExpertiseEvidence.weight_at) >= now - horizon(weights),
        )
    ).all()
    per_member: dict[str, list[LearnedItem]] = defaultdict(list)
    for member_id, text, areas, weight_at in rows:
        weight = decayed(weight_at, now, weights.evidence_half_life_days)
        per_member[member_id].append(LearnedItem(text, tuple(areas), weight))
    return {m: tuple(counted_evidence(items, weights)) for m, items in per_member.items()}


@dataclass(frozen=True)
class EvidenceView:
    evidence_id: int
    question_id: int
    text: str
    leefgebieden: tuple[str, ...]
    weight: float  # at `now`, 0..1
    counts: bool  # still shapes routing (at or above RankingWeights.learned_min_weight)
    weight_at: datetime


@dataclass(frozen=True)
class Topic:
    """A word (or leefgebied) Vraagbaak associates with the expert, with the evidence for it."""

    label: str  # the word as colleagues wrote it, or the leefgebied's Dutch name
    key: str  # what `remove_topic` takes: a stem, or "leefgebied:<slug>"
    weight: float  # summed weight of the evidence that mentions it
    evidence_ids: tuple[int, ...]


@dataclass(frozen=True)
class LearnedProfile:
    member_id: str
    evidence: tuple[EvidenceView, ...]  # heaviest first
    terms: tuple[Topic, ...]  # top words, heaviest first
    leefgebieden: tuple[Topic, ...]
    declared_weight: float  # how much the declared tags count now


def learned_profile(
    session: Session,
    member_id: str,
    now: datetime,
    *,
    weights: RankingWeights = DEFAULT_WEIGHTS,
    top_terms: int = 10,
) -> LearnedProfile:
    """What Vraagbaak believes `member_id` knows, for the expert to check (App Home)."""
    views = [_view(row, now, weights) for row in _live(session, member_id)]
    views.sort(key=lambda v: (-v.weight, -v.evidence_id))
    profile = session.get(ExpertiseProfile, member_id)
    confirmed = last_confirmed(profile) if profile else None
    return LearnedProfile(
        member_id=member_id,
        evidence=tuple(views),
        terms=tuple(_terms(views)[:top_terms]),
        leefgebieden=tuple(_leefgebied_topics(views)),
        declared_weight=round(declared_weight(confirmed, now, weights), 3),
    )


def _live(session: Session, member_id: str) -> list[ExpertiseEvidence]:
    return list(
        session.exec(
            select(ExpertiseEvidence).where(
                ExpertiseEvidence.member_id == member_id,
                col(ExpertiseEvidence.removed_at).is_(None),
            )
        ).all()
    )


def _view(row: ExpertiseEvidence, now: datetime, weights: RankingWeights) -> EvidenceView:
    weight = decayed(row.weight_at, now, weights.evidence_half_life_days)
    return EvidenceView(
        evidence_id=row.id or 0,
        question_id=row.question_id,
        text=row.text,
        leefgebieden=row.leefgebieden,
        weight=round(weight, 3),
        counts=weight >= weights.learned_min_weight,
        weight_at=row.weight_at,
    )


def _terms(views: list[EvidenceView]) -> list[Topic]:
    """Content words by summed evidence weight, shown in their most frequent spelling."""
    weight: dict[str, float] = defaultdict(float)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    sources: dict[str, list[int]] = defaultdict(list)
    for view in views:
        stems_here: set[str] = set()
        for token in content_tokens(view.text):
            if len(token) >= _MIN_TOPIC_LENGTH and not token.isdigit():
                spelled[stem(token)][token] += 1
                stems_here.add(stem(token))
        for key in stems_here:
            weight[key] += view.weight
            sources[key].append(view.evidence_id)
    ranked = sorted(weight, key=lambda k: (-weight[k], k))
    return [
        Topic(spelled[k].most_common(1)[0][0], k, round(weight[k], 3), tuple(sources[k]))
        for k in ranked
    ]


def _leefgebied_topics(views: list[EvidenceView]) -> list[Topic]:
    weight: dict[str, float] = defaultdict(float)
    sources: dict[str, list[int]] = defaultdict(list)
    for view in views:
        for slug in view.leefgebieden:
            weight[slug] += view.weight
            sources[slug].append(view.evidence_id)
    ranked = sorted(weight, key=lambda s: (-weight[s], s))
    return [
        Topic(name_for(s), f"leefgebied:{s}", round(weight[s], 3), tuple(sources[s]))
        for s in ranked
    ]


def remove_evidence(
    session: Session, member_id: str, evidence_id: int, now: datetime
) -> ExpertiseEvidence:
    """ "Dit klopt niet": the item stops counting and is never learned again."""
    row = session.get(ExpertiseEvidence, evidence_id)
    if row is None or row.member_id != member_id:
        raise LearningError(Why.LEARNED_TOPIC_UNKNOWN)
    if row.removed_at is None:
        row.removed_at = now
        session.add(row)
        session.flush()
    return row


def remove_topic(session: Session, member_id: str, key: str, now: datetime) -> int:
    """Remove every live item behind a topic (a `Topic.key`); returns how many.

    Later answers on the topic may teach it again: that is new evidence, not the removed one.
    """
    rows = _live(session, member_id)
    if key.startswith("leefgebied:"):
        slug = key.removeprefix("leefgebied:")
        hits = [r for r in rows if slug in r.leefgebieden]
    else:
        wanted = {key.strip(), stem(fold(key.strip()))}
        hits = [r for r in rows if wanted & {stem(t) for t in content_tokens(r.text)}]
    for row in hits:
        row.removed_at = now
        session.add(row)
    session.flush()
    return len(hits)
