"""The 18 Utrecht teams and every way people write their names.

The seeds and the staff write team names with other spacing, slashes, case and short forms
("Hoograven / tolsteeg", "Ridi", "OV Centrum"); everything that takes a team name from a person
resolves it here, exactly first and fuzzily second, and shows the canonical name back.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process

EXTERNAL = "extern"


@dataclass(frozen=True)
class TeamInfo:
    name: str
    wijk: str
    aliases: tuple[str, ...]


def normalise_team_key(name: str) -> str:
    """The comparison key the evaluations use: case, spaces, slashes and hyphens ignored."""
    return re.sub(r"[\s/\-]+", "", name.strip().lower())


@cache
def all_teams() -> tuple[TeamInfo, ...]:
    text = resources.files("knowledge").joinpath("data/teams.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        TeamInfo(r["name"], r["wijk"], tuple(a for a in r["aliases"].split(";") if a)) for r in rows
    )


@cache
def _keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for team in all_teams():
        for variant in (team.name, *team.aliases):
            keys[normalise_team_key(variant)] = team.name
    return keys


def team_candidates(name: str, *, score_cutoff: float = 80.0) -> list[str]:
    """Canonical teams that fit what someone typed, best first (one when it is clear)."""
    key = normalise_team_key(name)
    keys = _keys()
    if not key:
        return []
    if key in keys:
        return [keys[key]]
    matches = process.extract(
        key, list(keys), scorer=fuzz.ratio, score_cutoff=score_cutoff, limit=6
    )
    teams: list[str] = []
    best = matches[0][1] if matches else 0.0
    for variant, score, _ in matches:
        # a near-tie between two different teams ("Kanaleneiland") is ambiguous, not a guess
        if best - score <= 3.0 and keys[variant] not in teams:
            teams.append(keys[variant])
    return teams


def resolve_team(name: str, *, score_cutoff: float = 80.0) -> str | None:
    """The canonical team name when exactly one team fits well, else None."""
    candidates = team_candidates(name, score_cutoff=score_cutoff)
    return candidates[0] if len(candidates) == 1 else None
