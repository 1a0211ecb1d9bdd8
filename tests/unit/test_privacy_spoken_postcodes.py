"""Postcodes spelled aloud: Dutch letter names after four digits (knowledge/privacy/spoken.py).
Made-up examples, not from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.spoken import in_digits
from knowledge.privacy.spoken_letters import LETTER_NAMES


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


def test_every_letter_has_one_dutch_name() -> None:
    assert sorted(set(LETTER_NAMES.values())) == list("abcdefghijklmnopqrstuvwxyz")


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("twee acht een vier kaa iks", "2814 kx"),
        ("postcode 2814 haa pee", "postcode 2814 hp"),
        ("vier nul nul twee wee zet graag", "4002 wz graag"),
    ],
)
def test_letter_names_after_four_digits_become_letters(said: str, digits: str) -> None:
    assert in_digits(said).text == digits


def test_letter_names_elsewhere_stay_words() -> None:
    assert in_digits("ze zei a en ee").text == "ze zei a en ee"
    assert in_digits("nul zes een twee drie vier vijf zes zeven acht el em").text.endswith("el em")


def test_a_spelled_postcode_is_removed_as_said(deid: Deidentifier) -> None:
    text = "haar postcode is twee acht een vier kaa iks, toch"
    result = deid.deidentify(text)
    assert [(s.kind, s.original) for s in result.removed] == [
        ("postcode", "twee acht een vier kaa iks")
    ]
    assert result.text == "haar postcode is [postcode], toch"
