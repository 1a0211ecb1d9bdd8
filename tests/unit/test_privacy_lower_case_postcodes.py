"""Postcodes in lower case with a space next to an address, a cue or a place, by PostNL's
rules (knowledge/privacy/postcodes.py). Made-up examples, not from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy.postcodes import find_postcodes


def postcodes(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_postcodes(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zonnelaan 4 2 hoog 3572 en", ["3572 en"]),
        ("Zonnelaan 4 bis, 3572 op", ["3572 op"]),
        ("postcode is 3572 eh", ["3572 eh"]),
        ("pc: 3572 en", ["3572 en"]),
        ("3572 en utrecht", ["3572 en"]),
        ("3572 ab", ["3572 ab"]),
        ("3572AB", ["3572AB"]),
        ("3572 EN", ["3572 EN"]),
    ],
)
def test_postcodes_where_an_address_line_puts_them(text: str, found: list[str]) -> None:
    assert postcodes(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "ze kreeg 1500 en meer",
        "in 2019 en zeist",
        "geboren 1980 te utrecht",
        "postcode 3572 SA",
        "postcode 0572 AB",
        "12 km lopen",
    ],
)
def test_no_postcode_in_words_years_or_unissued_letters(text: str) -> None:
    assert postcodes(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Zonnelaan 4, 3572  ab", ["3572  ab"]),  # a double space, as phones type them
        ("post naar 3572   KL graag", ["3572   KL"]),
        ("Zonnelaan 4, 3572 -  ab", ["3572 -  ab"]),
        ("in 1500  en meer", []),  # a function word after a number still needs a cue
    ],
)
def test_digits_and_letters_apart_by_any_spacing(text: str, found: list[str]) -> None:
    assert postcodes(text) == found
