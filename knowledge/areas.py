"""Utrecht's neighbourhoods as the social map names them, and which ones lie next to each other.

Offers on the sociale kaart belong to a wijk ("Zuilen", "Kanaleneiland") or to the whole city
("Stad"); teams have their own names ("Overvecht De Gagel", "Kanaleneiland Zuid"). A generalist
wants what is in or near the client's neighbourhood, so an offer one wijk away is a good answer
and one across the city a poor one. Names, aliases, neighbours and the teams serving each area
are data (knowledge/data/areas.csv), so a new buurt or a redrawn team changes no code.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.textnorm import fold

CITY_WIDE = "Stad"


@dataclass(frozen=True)
class Area:
    name: str
    aliases: tuple[str, ...]
    neighbours: tuple[str, ...]
    teams: tuple[str, ...]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@cache
def all_areas() -> tuple[Area, ...]:
    text = resources.files("knowledge").joinpath("data/areas.csv").read_text(encoding="utf-8")
    return tuple(
        Area(row["area"], _split(row["aliases"]), _split(row["neighbours"]), _split(row["teams"]))
        for row in csv.DictReader(text.splitlines())
    )


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(name)).strip()


@cache
def _by_key() -> dict[str, str]:
    keys: dict[str, str] = {_key(CITY_WIDE): CITY_WIDE, "stedelijk": CITY_WIDE}
    for area in all_areas():
        for name in (area.name, *area.aliases):
            keys[_key(name)] = area.name
    return keys


def resolve_area(name: str | None) -> str | None:
    """The canonical area for a name, alias or team name; None when it is not a known area."""
    if not name or not name.strip():
        return None
    key = _key(name)
    found = _by_key().get(key)
    if found is not None:
        return found
    return next((a.name for a in all_areas() if any(_key(t) == key for t in a.teams)), None)


def area_of_team(team: str | None) -> str | None:
    """The area a team works in (the four Overvecht teams all work in "Overvecht")."""
    return resolve_area(team)


def mentioned_area(text: str) -> str | None:
    """The area a question names ("taalles in kanaleneiland"), longest name first.

    Only whole words count, so "west" matches "in West" but not "westelijk".
    """
    folded = f" {_key(text)} "
    for key in sorted(_by_key(), key=len, reverse=True):
        if len(key) > 2 and f" {key} " in folded:
            return _by_key()[key]
    return None


def area_for(text: str, team: str | None) -> str | None:
    """The area a question is about: the one it names, else the asker's team's."""
    return mentioned_area(text) or area_of_team(team)


def proximity(offer_area: str, wanted: str | None) -> float:
    """How well an offer's area suits the asker's: 1 for the same area or the whole city,
    0.5 next door, 0 across town; 1 for every offer when no area is wanted."""
    if wanted is None or offer_area in (CITY_WIDE, wanted):
        return 1.0
    area = next((a for a in all_areas() if a.name == wanted), None)
    if area is not None and offer_area in area.neighbours:
        return 0.5
    return 0.0
