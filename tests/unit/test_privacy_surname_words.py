"""A surname that is also a Dutch word recurs in lower case as the word, unless a particle or a
first name stands before it (knowledge/privacy/name_context.py). Made-up examples."""

from __future__ import annotations

from knowledge.privacy.model import Hit
from knowledge.privacy.name_context import spread_names


def spread(text: str, name: str) -> list[str]:
    start = text.index(name)
    return [
        text[h.start : h.end]
        for h in spread_names(text, [Hit(start, start + len(name), "persoon")])
    ]


def test_lower_case_repeat_of_a_surname_word_is_the_word() -> None:
    assert "kok" not in spread("dhr wouter de kok is kok geweest bij de inloop", "wouter de kok")


def test_repeat_as_written_with_a_capital_is_still_the_name() -> None:
    assert spread("Meneer Wouter de Kok belde. Kok wil hulp", "Wouter de Kok") == ["Kok"]


def test_a_first_name_in_first_place_still_recurs_in_lower_case() -> None:
    assert spread("dhr kok bakker belde, kok wil hulp", "kok bakker") == ["kok"]
