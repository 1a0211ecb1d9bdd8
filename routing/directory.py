"""The expert directory kept in memory between questions, updated only where something changed.

Before every question one statement reads the change counters (`DirectoryVersion`, bumped by
database triggers in the transaction of every write to members, profiles, evidence and
invitations, by any process). Only when "directory" moved are the member and profile rows read
again, and only members whose rows differ get a new candidate (so a new document, glosses and
passages); only when "loads" moved are the invitation figures aggregated again
(routing/expert_stats.py::LoadCache).

Time changes a document without any write: the declared tags fade and evidence weighs less
(routing/learning.py). Every entry therefore carries `valid_until`: the time-dependent part of
its document (its `_signature`) is equal at the moment it was built and at `valid_until`, and
each part of it only moves one way with time, so it is equal at every moment in between. A
question rebuilds only the entries whose `valid_until` has passed (one vectorised comparison).

Invariants: `ids` is sorted and is exactly the set of candidates handed to the ranker; every
array in `facts` is aligned with it; a candidate is what `load_candidates` would build at
`now` apart from its load fields and availability, which live in the arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from sqlmodel import Session, col

from models.clock import as_utc
from models.tables import DirectoryVersion, ExpertiseEvidence, ExpertiseProfile, Member
from routing.expert_stats import ExpertLoad, LoadCache
from routing.learning import decayed, declared_weight, horizon
from routing.rank import ExpertCandidate, LearnedItem, RankingWeights, counted_evidence
from routing.scoring import CandidateFacts

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NEVER = np.iinfo(np.int64).min
# How far ahead an entry's document is checked to stay the same; beyond the last step it is
# simply checked again (a fresh profile's declared weight moves by 0.01 every few days).
_STEPS = tuple(timedelta(hours=h) for h in (1, 6, 24, 96, 384, 1536, 6144))


def micros(moment: datetime) -> int:
    """Microseconds since the epoch: exact, so comparisons match the datetime ones."""
    return (as_utc(moment) - _EPOCH) // timedelta(microseconds=1)


def read_versions(session: Session) -> dict[str, int]:
    rows = session.execute(sa.select(col(DirectoryVersion.name), col(DirectoryVersion.version)))
    return {str(name): int(version) for name, version in rows}


@dataclass(frozen=True)
class _Row:
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
class _Entry:
    row: _Row
    signature: tuple[object, ...]
    built_at: datetime
    valid_until: datetime


def _learned(row: _Row, now: datetime, weights: RankingWeights) -> list[LearnedItem]:
    """As routing/learning.py::learned_items for one member."""
    oldest = now - horizon(weights)
    items = [
        LearnedItem(text, areas, decayed(at, now, weights.evidence_half_life_days))
        for text, areas, at in row.evidence
        if as_utc(at) >= oldest
    ]
    return counted_evidence(items, weights)


def _signature(row: _Row, now: datetime, weights: RankingWeights) -> tuple[object, ...]:
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


def _entry(row: _Row, now: datetime, weights: RankingWeights) -> _Entry:
    signature = _signature(row, now, weights)
    valid_until = now
    for step in _STEPS:
        if _signature(row, now + step, weights) != signature:
            break
        valid_until = now + step
    return _Entry(row, signature, now, valid_until)


def candidate_of(row: _Row, now: datetime, weights: RankingWeights) -> ExpertCandidate:
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


def read_rows(session: Session) -> dict[str, _Row]:
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
    rows = session.execute(
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
    result = {}
    for member_id, team, role, cap, away, external, languages, text, tags, areas, upd, conf in rows:
        moments = [as_utc(m) for m in (upd, conf) if m is not None]
        result[member_id] = _Row(
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


@dataclass(frozen=True)
class Changes:
    """What the ranker must be told: new or changed candidates, and who left."""

    changed: list[ExpertCandidate]
    removed: set[str]


class ExpertDirectory:
    """Rows, entries and per-member arrays; not thread-safe (the finder holds its lock)."""

    def __init__(
        self, weights: RankingWeights, on_rebuild: Callable[[int], None] | None = None
    ) -> None:
        self.weights = weights
        self.on_rebuild = on_rebuild  # told how many entries were rebuilt (tests count)
        self._version: int | None = None
        self._entries: dict[str, _Entry] = {}
        self.ids: tuple[str, ...] = ()
        self._positions: dict[str, int] = {}
        self._valid_until = np.zeros(0, dtype=np.int64)
        self._built = np.zeros(0, dtype=np.int64)
        self._away = np.zeros(0, dtype=np.int64)
        self._cap = np.zeros(0, dtype=np.int64)
        self._external = np.zeros(0, dtype=bool)
        self.loads = LoadCache()
        self._load_arrays: tuple[npt.NDArray[np.float64], ...] | None = None

    @property
    def externals(self) -> set[str]:
        return {i for i, external in zip(self.ids, self._external, strict=True) if external}

    def sync(self, session: Session, now: datetime, force: bool = False) -> Changes:
        """Bring the directory to `now`: one statement when nothing changed."""
        versions = read_versions(session)
        directory = versions.get("directory", 0)
        changed: list[ExpertCandidate] = []
        removed: set[str] = set()
        if force or directory != self._version:
            rows = read_rows(session)  # read after the counter: never older than it says
            removed = set(self._entries) - set(rows)
            known = self._entries
            fresh = [
                r
                for r in rows.values()
                if force or r.member_id not in known or known[r.member_id].row != r
            ]
            self._rebuild(fresh, removed, now, changed)
            self._version = directory
        at = micros(now)
        stale = np.flatnonzero((self._valid_until < at) | (self._built > at))
        if len(stale):
            self._rebuild([self._entries[self.ids[i]].row for i in stale], set(), now, changed)
        if self.loads.current(session, now, versions.get("loads", 0)) or changed or removed:
            self._load_arrays = None
        return Changes(changed, removed)

    def _rebuild(
        self, rows: Iterable[_Row], removed: set[str], now: datetime, out: list[ExpertCandidate]
    ) -> None:
        """New entries and candidates for `rows`; arrays rebuilt when members came or went,
        else patched in place (a member whose document aged is the common case)."""
        count, joined = 0, False
        for row in rows:
            joined = joined or row.member_id not in self._entries
            self._entries[row.member_id] = _entry(row, now, self.weights)
            out.append(candidate_of(row, now, self.weights))
            count += 1
        for member_id in removed:
            del self._entries[member_id]
        if joined or removed:
            self.ids = tuple(sorted(self._entries))
            self._positions = {member_id: p for p, member_id in enumerate(self.ids)}
            size = len(self.ids)
            self._valid_until = np.zeros(size, np.int64)
            self._built = np.zeros(size, np.int64)
            self._away = np.zeros(size, np.int64)
            self._cap = np.zeros(size, np.int64)
            self._external = np.zeros(size, bool)
            changed = self.ids
        else:
            changed = tuple(c.member_id for c in out[len(out) - count :])
        for member_id in changed:
            p, entry = self._positions[member_id], self._entries[member_id]
            self._valid_until[p] = micros(entry.valid_until)
            self._built[p] = micros(entry.built_at)
            self._away[p] = _NEVER if entry.row.away_until is None else micros(entry.row.away_until)
            self._cap[p] = entry.row.daily_cap
            self._external[p] = entry.row.is_external
        if self.on_rebuild is not None and (count or removed):
            self.on_rebuild(count + len(removed))

    def facts(self, now: datetime) -> CandidateFacts:
        """Eligibility and load per member at `now`, aligned with `ids`, as arrays."""
        if self._load_arrays is None:
            loads = [self.loads.loads.get(i, ExpertLoad()) for i in self.ids]
            self._load_arrays = (
                np.array([x.invitations_today for x in loads], np.float64),
                np.array([x.open_invitations for x in loads], np.float64),
                np.array([np.nan if x.accept_rate is None else x.accept_rate for x in loads]),
                np.array(
                    [
                        np.nan if x.median_response_minutes is None else x.median_response_minutes
                        for x in loads
                    ]
                ),
            )
        today, open_, rate, median = self._load_arrays
        available = self._away <= micros(now)
        return CandidateFacts(
            ids=self.ids,
            eligible=available & (today < self._cap),
            open_invitations=open_,
            accept_rate=rate,
            median_response_minutes=median,
            external=self._external,
        )
