"""Dutch IBANs with a Dutch bank's identifier count even with a mistyped check digit and no
label (knowledge/privacy/iban.py). Made-up numbers, not from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.iban import dutch_bank_codes, find_iban, is_valid_iban


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


def ibans(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_iban(text)]


def test_the_list_holds_four_letter_codes_of_dutch_banks() -> None:
    codes = dutch_bank_codes()
    assert {"ABNA", "INGB", "RABO", "SNSB", "ASNB", "TRIO", "KNAB", "BUNQ"} <= codes
    assert all(len(code) == 4 and code.isalpha() and code.isupper() for code in codes)


@pytest.mark.parametrize(
    "written",
    [
        "NL55 INGB 0009 8765 43",
        "nl55ingb0009876543",
        "NL 55 KNAB 0123 4567 00",
        "NL55 snsb 000 111 2223",
    ],
)
def test_dutch_shape_with_a_dutch_bank_is_an_iban_without_label(written: str) -> None:
    compact = written.replace(" ", "")
    assert not is_valid_iban(compact)  # the check digits are wrong on purpose
    assert ibans(f"graag overmaken op {written} deze week") == [written]


def test_unknown_bank_code_without_label_is_not_an_iban() -> None:
    assert ibans("code NL55 ABCD 0009 8765 43 in het systeem") == []


def test_mistyped_dutch_iban_is_not_read_as_a_phone_number(deid: Deidentifier) -> None:
    result = deid.deidentify("volgens de brief van de bank NL55 INGB 0009 8765 43 klopt het")
    assert [s.kind for s in result.removed] == ["iban"]
    assert "8765" not in result.text
