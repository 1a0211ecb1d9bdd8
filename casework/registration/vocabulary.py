"""The words of quick registrations, loaded from data files, and the phrase scanner.

Kinds, melders, closure fields and leefgebied aliases live in `casework/data/*.csv`; teams in
`knowledge/data/teams.csv`; leefgebieden in `knowledge/data/leefgebieden.csv`. Staff extend
cues ("via bo-ex" -> woningcorporatie) by editing a CSV, never code. Every phrase becomes a
tuple of folded words with one or more readings ("politie" is a melder and, in a Wat Telt
message, the leefgebied justitie); the scanner takes the longest phrase at each position.

Invariants checked on load: each slug is known (leefgebieden via `slug_for`, kinds and reasons
against `model`), and no phrase means two different things of the same category.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from casework.registration.model import CLOSURE_FLAGS, KINDS, REDENEN
from casework.registration.text import TOKEN, normalise
from knowledge.taxonomy import load_leefgebieden, slug_for
from knowledge.teams import all_teams, normalise_team_key

DATA = Path(__file__).resolve().parent.parent / "data"
TEAM_MARKERS = ("team", "buurtteam", "bt")


@dataclass(frozen=True)
class Reading:
    category: str  # kind, melder, reden, a closure flag, leefgebied, team, region, place, marker
    value: str


@dataclass(frozen=True)
class Match:
    start: int  # token indices, end exclusive
    end: int
    words: str
    readings: tuple[Reading, ...]

    def value(self, category: str) -> str | None:
        return next((r.value for r in self.readings if r.category == category), None)


@dataclass(frozen=True)
class Entry:
    """A slug with its Dutch label and the phrase used to write it back into a message."""

    slug: str
    label: str
    phrase: str


@dataclass
class Vocabulary:
    phrases: dict[tuple[str, ...], list[Reading]] = field(default_factory=dict)
    kinds: dict[str, Entry] = field(default_factory=dict)
    needs_case_ref: set[str] = field(default_factory=set)
    melders: dict[str, Entry] = field(default_factory=dict)
    closure: dict[tuple[str, str], Entry] = field(default_factory=dict)
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    team_keys: dict[str, str] = field(default_factory=dict)

    def add(self, phrase: str, category: str, value: str) -> None:
        words = tuple(TOKEN.findall(normalise(phrase)))
        if not words:
            return
        readings = self.phrases.setdefault(words, [])
        clash = [r for r in readings if r.category == category and r.value != value]
        if clash:
            raise ValueError(f"{phrase!r} is both {clash[0].value} and {value} ({category})")
        if Reading(category, value) not in readings:
            readings.append(Reading(category, value))

    @property
    def words(self) -> frozenset[str]:
        return frozenset(word for phrase in self.phrases for word in phrase)

    def phrases_with(self, word: str) -> list[list[Reading]]:
        """The readings of every phrase that holds `word`."""
        return [readings for phrase, readings in self.phrases.items() if word in phrase]

    def scan(self, tokens: Sequence[str]) -> list[Match]:
        """Greedy longest match, left to right; team names also match with their words run
        together or split ("noord oost", "ovcentrum")."""
        longest = max(map(len, self.phrases), default=1)
        found: list[Match] = []
        i = 0
        while i < len(tokens):
            for size in range(min(longest, len(tokens) - i), 0, -1):
                readings = self._readings(tuple(tokens[i : i + size]))
                if readings:
                    found.append(Match(i, i + size, " ".join(tokens[i : i + size]), readings))
                    i += size
                    break
            else:
                i += 1
        return found

    def _readings(self, words: tuple[str, ...]) -> tuple[Reading, ...]:
        readings = list(self.phrases.get(words, ()))
        team = self.team_keys.get("".join(words))
        if team and Reading("team", team) not in readings:
            readings.append(Reading("team", team))
        return tuple(readings)


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _cues(cell: str) -> list[str]:
    return [cue.strip() for cue in cell.split(";") if cue.strip()]


@cache
def load_vocabulary() -> Vocabulary:
    """All registration words, from the data files (cached: the files do not change)."""
    vocab = Vocabulary()
    _load_kinds(vocab)
    _load_melders(vocab)
    _load_closure(vocab)
    _load_leefgebieden(vocab)
    _load_teams(vocab)
    for row in _rows("places_outside.csv"):
        vocab.add(row["name"], "place", row["name"])
    for marker in TEAM_MARKERS:
        vocab.add(marker, "marker", "team")
    return vocab


def _load_kinds(vocab: Vocabulary) -> None:
    for row in _rows("registration_kinds.csv"):
        kind, cues = row["kind"], _cues(row["cues"])
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r} in registration_kinds.csv")
        vocab.kinds[kind] = Entry(kind, row["label"], cues[0])
        if row["needs_case_ref"] == "yes":
            vocab.needs_case_ref.add(kind)
        for cue in cues:
            vocab.add(cue, "kind", kind)


def _load_melders(vocab: Vocabulary) -> None:
    for row in _rows("melders.csv"):
        slug, cues = row["slug"], _cues(row["cues"])
        vocab.melders[slug] = Entry(slug, row["label"], cues[0])
        for cue in (*cues, slug.replace("_", " ")):
            vocab.add(cue, "melder", slug)


def _load_closure(vocab: Vocabulary) -> None:
    allowed = {"reden": set(REDENEN), **{flag: {"true", "false"} for flag in CLOSURE_FLAGS}}
    for row in _rows("closure_fields.csv"):
        name, value, cues = row["field"], row["value"], _cues(row["cues"])
        if value not in allowed.get(name, set()):
            raise ValueError(f"unknown closure field {name}={value} in closure_fields.csv")
        vocab.closure[(name, value)] = Entry(value, cues[0], cues[0])
        for cue in cues:
            vocab.add(cue, name, value)


def _load_leefgebieden(vocab: Vocabulary) -> None:
    for leefgebied in load_leefgebieden():
        vocab.add(leefgebied.name, "leefgebied", leefgebied.slug)
        vocab.add(leefgebied.slug.replace("_", " "), "leefgebied", leefgebied.slug)
    for row in _rows("leefgebied_aliases.csv"):
        slug = slug_for(row["slug"])
        for alias in _cues(row["aliases"]):
            vocab.add(alias, "leefgebied", slug)


def _load_teams(vocab: Vocabulary) -> None:
    """Teams by every written variant; a wijk or a first word shared by several teams
    ("Overvecht", "Kanaleneiland", "Zuid") is a region: it narrows the choice, no more."""
    members: dict[str, set[str]] = defaultdict(set)
    for team in all_teams():
        for variant in (team.name, *team.aliases):
            vocab.add(variant, "team", team.name)
            vocab.team_keys[normalise_team_key(variant)] = team.name
        members[normalise(team.wijk)].add(team.name)
        members[TOKEN.findall(normalise(team.name))[0]].add(team.name)
    for region, teams in members.items():
        words = tuple(TOKEN.findall(normalise(region)))
        if len(teams) > 1 and not any(r.category == "team" for r in vocab.phrases.get(words, [])):
            vocab.regions[region] = tuple(sorted(teams))
            vocab.add(region, "region", region)
