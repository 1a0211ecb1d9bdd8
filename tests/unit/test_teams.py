from __future__ import annotations

import pytest

from knowledge.teams import all_teams, normalise_team_key, resolve_team, team_candidates


def test_eighteen_teams() -> None:
    assert len(all_teams()) == 18


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Ridi", "Dichters- en Rivierenwijk"),
        ("OV Centrum", "Overvecht Centrum"),
        ("Gagel", "Overvecht De Gagel"),
        ("Hoograven / tolsteeg", "Hoograven/Tolsteeg"),
        ("ondiep pijlsweerd", "Ondiep/Pijlsweerd"),
        ("De meern", "De Meern"),
        ("Leidse Rijn", "Leidsche Rijn"),
        ("Zuilne", "Zuilen"),  # a typo
    ],
)
def test_variants_resolve_to_the_canonical_name(typed: str, canonical: str) -> None:
    assert resolve_team(typed) == canonical


def test_an_ambiguous_name_is_not_guessed() -> None:
    assert resolve_team("Kanaleneiland") is None
    assert set(team_candidates("Kanaleneiland")) == {"Kanaleneiland Noord", "Kanaleneiland Zuid"}


def test_unknown_names() -> None:
    assert resolve_team("Amsterdam Noord") is None
    assert resolve_team("") is None


def test_comparison_key_ignores_case_spaces_slashes_hyphens() -> None:
    assert normalise_team_key("Hoograven / Tolsteeg") == normalise_team_key("hoograven-tolsteeg")
