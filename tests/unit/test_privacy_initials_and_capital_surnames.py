"""Initials under their label (knowledge/privacy/initials.py) and a surname after a form of
address and a particle that no list knows (knowledge/privacy/lexicon_names.py)."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.initials import find_labelled_initials

_D = Deidentifier(use_deduce=False, use_learned=False)


def _persons(text: str) -> list[str]:
    return [s.original for s in _D.deidentify(text).removed if s.kind == "persoon"]


@pytest.mark.parametrize(
    ("text", "initials"),
    [
        ("voorletters K.L., geboren in Zeist", "K.L."),
        ("initialen: P. J. graag invullen", "P. J."),
        ("voorl. TR en verder niets", "TR"),
    ],
)
def test_initials_after_their_label_are_a_name(text: str, initials: str) -> None:
    assert [text[h.start : h.end] for h in find_labelled_initials(text)] == [initials]


def test_a_letter_with_a_dot_without_the_label_is_no_name() -> None:
    assert list(find_labelled_initials("zie blz. 4 en o.a. de brief")) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("mevr VAN OS belde vanochtend", "VAN OS"),
        ("dhr van Rooijackers komt morgen", "van Rooijackers"),
    ],
)
def test_a_capitalised_surname_after_address_and_particle(text: str, name: str) -> None:
    assert name in _persons(text)


@pytest.mark.parametrize(
    "text",
    ["mevrouw van de GGD belde terug", "meneer van de overkant klaagt"],
)
def test_an_acronym_or_a_word_after_address_and_particle_stays(text: str) -> None:
    assert _persons(text) == []
