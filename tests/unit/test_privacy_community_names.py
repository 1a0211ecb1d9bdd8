"""First names of Utrecht's population groups (knowledge/data/privacy_first_names.txt, read
by knowledge/privacy/vocabulary.py): listed names count as first names; a listed name that is
a whole Dutch word or a place is left to the rules for ambiguous words."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.vocabulary import community_first_names, fold, is_first_name

_D = Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize("name", ["Luwam", "Yordanos", "Hibaaq", "Mirwais", "Shudiska"])
def test_listed_names_are_first_names(name: str) -> None:
    assert fold(name) in community_first_names()
    assert is_first_name(name)


def test_words_and_places_are_not_taken_from_the_list() -> None:
    names = community_first_names()
    assert "aster" not in names  # a Dutch word (the flower)
    assert all(" " not in name for name in names)


def test_a_listed_name_is_removed_in_lower_case() -> None:
    removed = [s.original for s in _D.deidentify("cliënt luwam heeft een brief").removed]
    assert "luwam" in removed
