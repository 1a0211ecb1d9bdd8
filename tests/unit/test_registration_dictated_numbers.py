"""A case number said digit by digit, as a voice message or a message typed the way it is
said, is one number; a phone number said that way is still client data.

Messages written for these tests, not taken from any evaluation set.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, Refusal, RefusalCode, RegistrationParser
from casework.registration.numbers import digits
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)  # Tuesday


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("casus vier vier een twee", "casus 4412"),  # "een" inside a run is a digit
        ("dossier negen nul nul drie zes", "dossier 90036"),
        ("zeven drie een een start", "7311 start"),
        ("geld drie wonen vier", "geld 3 wonen 4"),  # scores between words stay scores
        ("een twee drie", "een 2 3"),  # three words: no case number, "een" an article
        ("klant gaf een acht", "klant gaf een 8"),
    ],
)
def test_four_or_more_digit_words_in_a_row_are_one_number(text: str, written: str) -> None:
    assert digits(text) == written


@pytest.mark.parametrize(
    ("message", "kind", "case_ref"),
    [
        ("casus vier vier een twee kennismaking gisteren", "kennismaking", "4412"),
        ("wachtlijst in voor casus zes zes nul drie", "wachtlijst_in", "6603"),
        ("twee acht vijf vijf een, start ondersteuning", "start_ondersteuning", "28551"),
    ],
)
def test_a_dictated_case_number_is_read(
    parser: RegistrationParser, message: str, kind: str, case_ref: str
) -> None:
    result = parser.parse(message, SENT, "Zuilen")
    assert isinstance(result, Parsed), result
    assert (result.kind, result.case_ref) == (kind, case_ref)


def test_a_dictated_phone_number_is_refused_as_client_data(parser: RegistrationParser) -> None:
    message = "aanmelding 4412, klant belt terug op nul zes een twee drie vier vijf zes zeven acht"
    result = parser.parse(message, SENT, "Zuilen")
    assert isinstance(result, Refusal)
    assert result.code == RefusalCode.PERSONAL_DATA
