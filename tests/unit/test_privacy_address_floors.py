"""Addresses with a floor or door after the number, and streets typed in lower case or as a
hyphenated compound (knowledge/privacy/addresses.py). Made-up examples, not from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentified, Deidentifier
from knowledge.privacy.addresses import find_addresses, is_quantity


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


def removed(result: Deidentified, kind: str) -> list[str]:
    return [span.original for span in result.removed if span.kind == kind]


def addresses(text: str) -> list[str]:
    return sorted({text[h.start : h.end] for h in find_addresses(text)})


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("zij woont Bloemstraat 8 4 hoog, lift kapot", "Bloemstraat 8 4 hoog"),
        ("Bloemstraat 8 4hoog", "Bloemstraat 8 4hoog"),
        ("Bloemstraat 8 vierhoog", "Bloemstraat 8 vierhoog"),
        ("Bloemstraat 8-vierhoog", "Bloemstraat 8-vierhoog"),
        ("Bloemstraat 8 3e etage", "Bloemstraat 8 3e etage"),
        ("Bloemstraat 8 derde verdieping", "Bloemstraat 8 derde verdieping"),
        ("Bloemstraat 8 2e verd.", "Bloemstraat 8 2e verd."),
        ("Bloemstraat 8-2e verd", "Bloemstraat 8-2e verd"),
        ("Bloemstraat 8, begane grond", "Bloemstraat 8, begane grond"),
        ("Bloemstraat 8 bg", "Bloemstraat 8 bg"),
        ("Bloemstraat 8 souterrain", "Bloemstraat 8 souterrain"),
        ("Bloemstraat 8 beneden", "Bloemstraat 8 beneden"),
        ("Bloemstraat 8 achter", "Bloemstraat 8 achter"),
        ("Bloemstraat 8 rd", "Bloemstraat 8 rd"),
        ("Bloemstraat 8 bis", "Bloemstraat 8 bis"),
        ("Bloemstraat 8 hs", "Bloemstraat 8 hs"),
        ("Bloemstraat 8a 1 hoog", "Bloemstraat 8a 1 hoog"),
    ],
)
def test_floor_and_door_belong_to_the_address(text: str, address: str) -> None:
    assert addresses(text) == [address]


def test_position_word_before_a_noun_phrase_is_no_addition() -> None:
    assert addresses("Bloemstraat 8 boven de bakker") == ["Bloemstraat 8"]
    assert addresses("Bloemstraat 8 achter het station") == ["Bloemstraat 8"]


def test_floor_survives_nothing_in_the_whole_pipeline(deid: Deidentifier) -> None:
    result = deid.deidentify("nieuw adres Bloemstraat 8 4 hoog, kan iemand langs")
    assert removed(result, "adres") == ["Bloemstraat 8 4 hoog"]
    assert "hoog" not in result.text


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("ze woont sinds mei oost-westzijde 14b", "oost-westzijde 14b"),
        ("ze woont nu noordzijde 3", "noordzijde 3"),
        ("adres: willem à brakelsingel 9", "willem à brakelsingel 9"),
        ("hij woont gerrit van der veenstraat 22", "gerrit van der veenstraat 22"),
        ("woont op de pruimen-zuidhof 5", "pruimen-zuidhof 5"),
        ("zit op tolsteegsingel 40 bis", "tolsteegsingel 40 bis"),
    ],
)
def test_lower_case_and_hyphenated_streets(text: str, address: str) -> None:
    assert addresses(text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "we lopen bij de gracht 2 keer per dag",
        "het park 2 uur open",
        "de achterzijde 2 ramen zijn kapot",
        "zijn antwoord 3 was anders",
        "zijn loopbaan 12 jaar bij de gemeente",
        "hij is 3 weken onderweg 2 dagen terug",
    ],
)
def test_no_street_in_ordinary_words_or_counts(text: str) -> None:
    assert addresses(text) == []


def test_a_count_after_a_number_is_a_quantity() -> None:
    text = "de dijk 4 keer"
    assert is_quantity(text, text.index("4") + 1)
    assert not is_quantity("Dijkstraat 4, Utrecht", len("Dijkstraat 4"))
