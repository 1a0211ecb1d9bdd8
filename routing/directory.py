"""The expert directory kept in memory between questions, updated only where something changed.

Before every question one statement reads the change counters (`DirectoryVersion`, bumped by
database triggers in the transaction of every write to members, profiles, evidence and
invitations, by any process). Only when "directory" moved are the member and profile rows read
again, and only members whose rows differ get a new candidate (so a new document, glosses and
passages); only when "loads" moved are the invitation figures aggregated again
(routing/expert_stats.py::LoadCache).

Time changes a document without any write (declared tags fade, evidence weighs less): every
entry carries the span in which its document provably stays the same
(routing/directory_entries.py), and a question rebuilds only the entries whose span it left
(one vectorised comparison).

Invariants: `ids` is sorted and is exactly the set of candidates handed to the ranker; every
array in `facts` is aligned with it; a candidate is what `load_candidates` would build at
`now` apart from its load fields and availability, which live in the arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt
from sqlmodel import Session

from routing.directory_entries import (
    NEVER,
    Entry,
    ExpertRow,
    candidate_of,
    entry_for,
    micros,
    read_rows,
    read_versions,
)
from routing.expert_stats import LoadCache
from routing.rank import ExpertCandidate, RankingWeights
from routing.scoring import CandidateFacts


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
        self._entries: dict[str, Entry] = {}
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
        self,
        rows: Iterable[ExpertRow],
        removed: set[str],
        now: datetime,
        out: list[ExpertCandidate],
    ) -> None:
        """New entries and candidates for `rows`; arrays rebuilt when members came or went,
        else patched in place (a member whose document aged is the common case)."""
        count, joined = 0, False
        for row in rows:
            joined = joined or row.member_id not in self._entries
            self._entries[row.member_id] = entry_for(row, now, self.weights)
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
            self._away[p] = NEVER if entry.row.away_until is None else micros(entry.row.away_until)
            self._cap[p] = entry.row.daily_cap
            self._external[p] = entry.row.is_external
        if self.on_rebuild is not None and (count or removed):
            self.on_rebuild(count + len(removed))

    def facts(self, now: datetime) -> CandidateFacts:
        """Eligibility and load per member at `now`, aligned with `ids`, as arrays."""
        if self._load_arrays is None:  # only members with invitations in the window differ
            size = len(self.ids)
            today, open_ = np.zeros(size), np.zeros(size)
            rate, median = np.full(size, np.nan), np.full(size, np.nan)
            for member_id, load in self.loads.loads.items():
                p = self._positions.get(member_id)
                if p is None:
                    continue
                today[p], open_[p] = load.invitations_today, load.open_invitations
                if load.accept_rate is not None:
                    rate[p] = load.accept_rate
                if load.median_response_minutes is not None:
                    median[p] = load.median_response_minutes
            self._load_arrays = (today, open_, rate, median)
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
