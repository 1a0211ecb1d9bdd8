"""A BSN label followed by whose number it is ("bsn moeder:", "bsn mw", "bsn van de vader"), as
forms and family lists write it: the number after it is a BSN even when a digit is mistyped.

Texts written for these tests, not taken from any evaluation set.
"""

from __future__ import annotations

import pytest

from knowledge.privacy.patterns import find_bsn


def _found(text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_bsn(text)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("bsn moeder: 123.456.780 en de rest volgt", "123.456.780"),
        ("bsn mw 123-456-780", "123-456-780"),
        ("bsn van de vader 123 456 780", "123 456 780"),
        ("graag bsn kind: 1 2 3 4 5 6 7 8 0", "1 2 3 4 5 6 7 8 0"),
        ("burgerservicenummer dhr. 123456780", "123456780"),
    ],
)
def test_a_number_after_a_label_and_whose_it_is_is_a_bsn(text: str, number: str) -> None:
    assert _found(text) == [number]


def test_two_labelled_numbers_in_a_family_list_are_both_bsns() -> None:
    text = "bsn moeder: 123.456.780 bsn zoon: 987 654 320"
    assert _found(text) == ["123.456.780", "987 654 320"]


@pytest.mark.parametrize(
    "text",
    [
        "ordernummer klant 123456780",  # another label: a number failing the test stays
        "bsn aanvraag loopt, zaaknummer volgt: 123456780",  # more than one word between
    ],
)
def test_without_a_bsn_label_right_before_a_failing_number_stays(text: str) -> None:
    assert _found(text) == []
