"""What the kept directory knows of one expert (routing/directory.py): the row as read, and
an entry that says until when the document built from it stays the same.

Time changes a document without any write: the declared tags fade and evidence weighs less
(routing/learning.py). An entry's `_signature` is everything of the document that depends on
the moment (rank.py::expert_document); each part of it only moves one way as time passes (a
weight falls, an item leaves, a rounded boost steps down), so a signature that is equal at
`built_at` and at `valid_until` is equal at every moment in between. `entry_for` looks ahead in
growing steps and stops at the first that differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlmodel import Session, col

from models.clock import as_utc
from models.tables import DirectoryVersion, ExpertiseEvidence, ExpertiseProfile, Member
from routing.learning import decayed, declared_weight, horizon
from routing.rank import ExpertCandidate, LearnedItem, RankingWeights, counted_evidence

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NEVER = np.iinfo(np.int64).min
# How far ahead an entry's document is checked to stay the same; beyond the last step it is
# simply checked again (a fresh profile's declared weight moves by 0.01 every few days).
STEPS = tuple(timedelta(hours=h) for h in (1, 6, 24, 96, 384, 1536, 6144))


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: exact, so comparisons match the datetime ones."""
    return (as_utc(moment) - _EPOCH) // timedelta(microseconds=1)


def read_versions(session: Session) -> dict[str, int]:
    rows = session.execute(sa.select(col(DirectoryVersion.name), col(DirectoryVersion.version)))
    return {str(name): int(version) for name, version in rows}


@dataclass(frozen=True)
class ExpertRow:
    """The columns of one active member with a profile, as read."""

    member_id: str
    team: str
    role: str
    daily_cap: int
    away_until: datetime | None
    is_external: bool
    languages: tuple[str, ...]
    expertise: str
    tags: tuple[str, ...]
    leefgebieden: tuple[str, ...]
    last_confirmed: datetime | None
    evidence: tuple[tuple[str, tuple[str, ...], datetime], ...]  # text, leefgebieden, weight_at


@dataclass(frozen=True)
class Entry:
    row: ExpertRow
    signature: tuple[object, ...]
    built_at: datetime
    valid_until: datetime


def _learned(row: ExpertRow, now: datetime, weights: RankingWeights) -> list[LearnedItem]:
    """As routing/learning.py::learned_items for one member."""
    oldest = now - horizon(weights)
    items = [
        LearnedItem(text, areas, decayed(at, now, weights.evidence_half_life_days))
        for text, areas, at in row.evidence
        if as_utc(at) >= oldest
    ]
    return counted_evidence(items, weights)


def _signature(row: ExpertRow, now: datetime, weights: RankingWeights) -> tuple[object, ...]:
    """Everything of the document that depends on `now` (rank.py::expert_document)."""
    learned = _learned(row, now, weights)
    support: dict[str, float] = {}
    for item in learned:
        for slug in item.leefgebieden:
            support[slug] = support.get(slug, 0.0) + item.weight
    total = sum(item.weight for item in learned)
    return (
        round(min(max(declared_weight(row.last_confirmed, now, weights), 0.0), 1.0), 2),
        tuple((item.text, item.leefgebieden) for item in learned),
        round(min(total / weights.learned_full_weight, 1.0), 2),
        tuple(sorted(s for s, t in support.items() if t >= weights.learned_leefgebied_weight)),
    )


def entry_for(row: ExpertRow, now: datetime, weights: RankingWeights) -> Entry:
    signature = _signature(row, now, weights)
    valid_until = now
    for step in STEPS:
        if _signature(row, now + step, weights) != signature:
            break
        valid_until = now + step
    return Entry(row, signature, now, valid_until)


def candidate_of(row: ExpertRow, now: datetime, weights: RankingWeights) -> ExpertCandidate:
    """The ranker's candidate; load and availability stay at their defaults (see `facts`)."""
    return ExpertCandidate(
        member_id=row.member_id,
        team=row.team,
        expertise=row.expertise,
        tags=row.tags,
        leefgebieden=row.leefgebieden,
        is_external=row.is_external,
        role=row.role,
        languages=row.languages,
        learned=tuple(_learned(row, now, weights)),
        declared_weight=declared_weight(row.last_confirmed, now, weights),
    )


def profile_rows(session: Session) -> Sequence[Sequence[Any]]:
    """Every active member with a profile: id, team, role, daily_cap, away_until, is_external,
    languages, expertise, tags, leefgebieden, updated_at, confirmed_at (plain columns, no ORM
    objects: this reads the whole directory)."""
    return session.execute(
        sa.select(
            col(Member.id),
            col(Member.team),
            col(Member.role),
            col(Member.daily_cap),
            col(Member.away_until),
            col(Member.is_external),
            col(Member.languages),
            col(ExpertiseProfile.expertise),
            col(ExpertiseProfile.tags),
            col(ExpertiseProfile.leefgebieden),
            col(ExpertiseProfile.updated_at),
            col(ExpertiseProfile.confirmed_at),
        )
        .join(ExpertiseProfile, col(ExpertiseProfile.member_id) == col(Member.id))
        .where(col(Member.is_active).is_(True))
    ).all()


def read_rows(session: Session) -> dict[str, ExpertRow]:
    evidence: dict[str, list[tuple[str, tuple[str, ...], datetime]]] = {}
    for member_id, text, areas, at in session.execute(
        sa.select(
            col(ExpertiseEvidence.member_id),
            col(ExpertiseEvidence.text),
            col(ExpertiseEvidence.leefgebieden),
            col(ExpertiseEvidence.weight_at),
        ).where(col(ExpertiseEvidence.removed_at).is_(None))
    ):
        evidence.setdefault(member_id, []).append((text, tuple(areas), at))
    result = {}
    for row in profile_rows(session):
        member_id, team, role, cap, away, external, languages, text, tags, areas, upd, conf = row
        moments = [as_utc(m) for m in (upd, conf) if m is not None]
        result[member_id] = ExpertRow(
            member_id,
            team,
            role,
            cap,
            away,
            external,
            languages,
            text,
            tags,
            areas,
            max(moments, default=None),
            tuple(sorted(evidence.get(member_id, ()), key=lambda e: (as_utc(e[2]), e[0], e[1]))),
        )
    return result
