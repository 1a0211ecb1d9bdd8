"""Closure flags said in other words (casework/registration/flags.py), and the contradictions
a careful colleague would ask back: a weekday that is not the date's, a client who died going on
alone or being sent the survey. Sent on Tuesday 24 November 2026 by team Zuilen."""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, RegistrationParser
from casework.registration.model import Refusal, RefusalCode
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def parse(parser: RegistrationParser, message: str) -> Parsed | Refusal:
    return parser.parse(message, SENT, "Zuilen")


@pytest.mark.parametrize(
    ("message", "flag", "value"),
    [
        ("afgesloten 4418 doel bereikt, mag wel enquête", "ervaringwijzer", True),
        ("afsl 7705 doel bereikt, wil geen vragenlijst", "ervaringwijzer", False),
        ("afgesloten 6010 doel bereikt - evaluatie ja", "ervaringwijzer", True),
        ("dossier 9090 dicht, doorverwezen, kan verder zonder ons", "zelfstandig_verder", True),
        ("afgesloten 8830, klant gestopt, redt zich nog niet zelf", "zelfstandig_verder", False),
        ("afgesloten 8831 doel bereikt, alles zoals gepland", "volgens_plan", True),
    ],
)
def test_a_flag_named_in_other_words_takes_its_clauses_answer(parser, message, flag, value):
    result = parse(parser, message)
    assert isinstance(result, Parsed), result
    assert getattr(result, flag) is value


def test_a_bare_concept_is_a_guess_the_card_asks_to_check(parser):
    result = parse(parser, "afgesloten 4419 doel bereikt, enquête")
    assert isinstance(result, Parsed) and result.ervaringwijzer is True
    assert "ervaringwijzer" in result.guessed


def test_the_flag_of_one_clause_does_not_take_the_negation_of_another(parser):
    result = parse(parser, "afgesloten 4420 niet volgens plan, enquête mag")
    assert isinstance(result, Parsed)
    assert (result.volgens_plan, result.ervaringwijzer) == (False, True)


@pytest.mark.parametrize(
    "message",
    [
        "afsl 26-1300 overleden, kan zelf verder",
        "afgesloten 5590 klant overleden, mag enquête ontvangen",
    ],
)
def test_a_client_who_died_neither_goes_on_alone_nor_gets_the_survey(parser, message):
    result = parse(parser, message)
    assert isinstance(result, Refusal) and result.code == RefusalCode.CONTRADICTION
    assert "overleden" in result.reason_nl


def test_a_weekday_that_is_not_the_dates_is_asked_back(parser):
    result = parse(parser, "start ondersteuning 1490 maandag 17/11")  # the 17th is a Tuesday
    assert isinstance(result, Refusal) and result.code == RefusalCode.CONTRADICTION
    assert "dinsdag" in result.reason_nl
    agrees = parse(parser, "start ondersteuning 1490 dinsdag 17/11")
    assert isinstance(agrees, Parsed) and agrees.occurred_on.isoformat() == "2026-11-17"


def test_days_back_said_as_terug(parser):
    result = parse(parser, "hbh aanvraag 5055 drie dagen terug")
    assert isinstance(result, Parsed) and result.occurred_on.isoformat() == "2026-11-21"


def test_the_household_help_by_its_other_names(parser):
    result = parse(parser, "hulp in de huishouding aangevraagd 7210")
    assert isinstance(result, Parsed) and result.kind == "hbh_aanvraag"
