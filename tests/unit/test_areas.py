from __future__ import annotations

import pytest

from knowledge.areas import CITY_WIDE, area_of_team, mentioned_area, proximity, resolve_area


@pytest.mark.parametrize(
    ("name", "area"),
    [
        ("Zuilen", "Zuilen"),
        ("ridi", "Dichters- en Rivierenwijk"),
        ("Overvecht De Gagel", "Overvecht"),
        ("Kanaleneiland Zuid", "Kanaleneiland"),
        ("hoograven", "Hoograven/Tolsteeg"),
        ("Stad", CITY_WIDE),
        ("Lombok", "West"),
    ],
)
def test_names_aliases_and_teams_resolve_to_one_area(name: str, area: str) -> None:
    assert resolve_area(name) == area


def test_unknown_and_empty_names_resolve_to_nothing() -> None:
    assert resolve_area("Amersfoort") is None
    assert resolve_area("  ") is None
    assert resolve_area(None) is None


def test_a_team_works_in_its_area() -> None:
    assert area_of_team("Overvecht Spoorzoom") == "Overvecht"
    assert area_of_team("extern") is None


def test_an_area_named_in_a_question_is_found_as_whole_words_only() -> None:
    assert mentioned_area("taalles waar moeder haar kleintjes mee kan nemen? kanaleneiland") == (
        "Kanaleneiland"
    )
    assert mentioned_area("koffieochtend voor ouderen in Lunetten") == "Lunetten"
    assert mentioned_area("iets in de westelijke wijken") is None
    assert mentioned_area("iets voor ouderen in de buurt") is None


def test_proximity_prefers_the_area_then_neighbours_and_never_hides_city_wide_offers() -> None:
    assert proximity("Zuilen", "Zuilen") == 1.0
    assert proximity(CITY_WIDE, "Zuilen") == 1.0
    assert proximity("Overvecht", "Zuilen") == 0.5
    assert proximity("Lunetten", "Zuilen") == 0.0
    assert proximity("Lunetten", None) == 1.0
