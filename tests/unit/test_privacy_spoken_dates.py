"""Numbers and dates said aloud (knowledge/privacy/spoken.py, spoken_dates.py): numerals
written apart ("drie honderd twaalf", "zes en dertig"), a date said with ordinals, and a
century typed before the rest of a year said."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.spoken import in_digits

_D = Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("huisnummer vier honderd achttien", "huisnummer 418"),
        ("woont op nummer honderd zeven en veertig", "woont op nummer 147"),
        ("ze is vijf en twintig", "ze is 25"),
        ("geboren de tweede van de elfde negentien tachtig", "geboren 2-11-1980"),
        ("geboren op de achtste van de derde 04", "geboren op 8-3-04"),
        ("geboren 20 drieëntwintig", "geboren 2023"),
    ],
)
def test_spoken_numbers_read_as_digits(said: str, digits: str) -> None:
    assert in_digits(said).text == digits


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("geboren twaalf twaalf negentien zeventig", "geboren 12 12 1970"),  # not 1212
        ("de derde van de maand", "de derde van de maand"),
        ("de vijfde van de dertiende 80", "de vijfde van de dertiende 80"),  # no 13th month
    ],
)
def test_what_is_not_one_numeral_or_date_stays_apart(said: str, digits: str) -> None:
    assert in_digits(said).text == digits


def test_an_address_with_a_house_number_said_apart_is_removed() -> None:
    text = "hij woont op de Kastanjelaan drie honderd twaalf sinds maart"
    removed = {s.original: s.kind for s in _D.deidentify(text).removed}
    assert removed.get("Kastanjelaan drie honderd twaalf") == "adres"


def test_an_ordinal_birth_date_is_removed_whole() -> None:
    text = "meneer is geboren op de tiende van de vierde negenenveertig, zegt hij"
    removed = {s.original: s.kind for s in _D.deidentify(text).removed}
    assert removed.get("de tiende van de vierde negenenveertig") == "geboortedatum"
