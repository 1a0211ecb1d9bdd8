"""Dictated numbers in groups and spelled codes (knowledge/privacy/spoken.py): a phone number
said in comma- or stop-separated groups, postcode letters typed or said one by one, and an
IBAN whose country is said as two letter names."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.spoken import in_digits

_D = Deidentifier(use_deduce=False, use_learned=False)


def _kinds(text: str) -> dict[str, str]:
    return {span.original: span.kind for span in _D.deidentify(text).removed}


@pytest.mark.parametrize(
    ("said", "digits"),
    [
        ("bel haar op nul zeven, nul drie, een vier, vijf zes, acht nul graag", "0703145680"),
        ("nummer nul zes. vier vier. drie een. nul twee. negen negen.", "0644310299"),
        ("tel nul tien, vierentachtig, zevenenvijftig, twee drie een", "0108457231"),
        ("het is nul zes eenendertig, negenentachtig, nul vijf, zeventig", "0631890570"),
    ],
)
def test_phone_groups_join_when_the_digits_have_a_dutch_phone_shape(said: str, digits: str) -> None:
    assert digits in in_digits(said).text
    assert "telefoon" in _kinds(said).values()


@pytest.mark.parametrize(
    "said",
    [
        "ze kreeg twee, drie keer een brief, vier brieven in totaal",
        "groep een, twee en drie",
        "nul, twee, vier",  # three groups, no phone number's length
        "nul zes, een twee, vier vier",  # too short
    ],
)
def test_groups_without_a_phone_shape_stay_apart(said: str) -> None:
    assert "telefoon" not in _kinds(said).values()


@pytest.mark.parametrize(
    ("said", "postcode"),
    [
        ("postcode vier twee vijf nul m f en", "4250 mf"),
        ("pc 1 0 1 7 D K, daar", "1017 DK"),
        ("adres ligt bij 2513 a c, bij het station", "2513 ac"),
        ("postcode een nul negen twee ef kaa graag", "1092 fk"),
    ],
)
def test_postcode_letters_said_or_typed_one_by_one(said: str, postcode: str) -> None:
    rewritten = in_digits(said).text
    assert postcode in rewritten
    assert "postcode" in _kinds(said).values()


@pytest.mark.parametrize(
    "said",
    [
        "rekening en el negenentachtig ing nul nul nul vier vier vier drie twee eenentwintig",
        "iban bee ee zeventig nul nul nul nul nul nul nul nul nul nul",
    ],
)
def test_iban_country_said_as_letter_names(said: str) -> None:
    rewritten = in_digits(said).text
    assert "NL89" in rewritten or "BE70" in rewritten


def test_spoken_dutch_iban_is_removed() -> None:
    # NL02 ABNA 0123456789 is a valid IBAN (ISO 13616 mod 97).
    said = "rek: en el nul twee abna nul een twee drie vier vijf zes zeven acht negen dank"
    assert _kinds(said).get(said[5:-5]) == "iban"


def test_letter_names_before_a_number_that_are_no_country_stay() -> None:
    assert in_digits("ik kaa ee twee keer").text == "ik kaa ee 2 keer"


# 111222333 passes the BSN eleven-test (9+8+7+12+10+8+9+6-3 = 66); 111222334 does not.
@pytest.mark.parametrize(
    "said",
    [
        "haar bsn: een een een, twee twee twee, drie drie drie. graag checken",
        "nummer een een een. twee twee twee. drie drie drie, dan nog haar naam",
        "burgerservicenummer een een een … twee twee twee … drie drie drie ok",
    ],
)
def test_a_bsn_dictated_in_groups_is_joined_and_removed(said: str) -> None:
    assert "111222333" in in_digits(said).text
    assert "bsn" in _kinds(said).values()


def test_groups_that_fail_the_eleven_test_stay_apart() -> None:
    said = "rij een een een, twee twee twee, drie drie vier klaar"
    assert "111222334" not in in_digits(said).text


def test_a_bsn_said_as_whole_numbers_in_groups_is_no_dictation() -> None:
    # "elf" is not said digit by digit: no BSN is read from these groups.
    assert "bsn" not in _kinds("zij had elf, een twee twee, twee drie drie drie").values()


def test_phone_groups_separated_by_an_ellipsis_are_joined() -> None:
    said = "tel nul zes … een twee … drie vier … vijf zes … zeven acht graag"
    assert "0612345678" in in_digits(said).text
    assert "telefoon" in _kinds(said).values()


@pytest.mark.parametrize(
    ("said", "postcode"),
    [
        ("postcode zes twee een een, pe ha, dank", "6211 ph"),  # open-syllable spelling
        ("pc twee vijf een drie, ka be en dan", "2513 kb"),  # a comma before the letters
        ("het is 9712, ge ce bij de Grote Markt", "9712 gc"),
    ],
)
def test_postcode_letters_after_a_pause_or_spelled_short(said: str, postcode: str) -> None:
    assert postcode in in_digits(said).text
    assert "postcode" in _kinds(said).values()


def test_a_short_letter_spelling_that_is_a_dutch_word_is_no_letter() -> None:
    # "de" and "we" are words first: no postcode is read from them.
    assert "postcode" not in _kinds("in 2019 de we gingen verhuizen").values()
