"""Fourth round: a state ended, digit groups after a case cue, an earlier value in an aside.

Messages written for these tests, not taken from any evaluation set. The embedder is the
deterministic `HashingEmbedder`, so the rows test the mechanisms, not a model.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, Refusal, RegistrationParser
from casework.registration.numbers import without_earlier_values
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)  # Tuesday


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def parsed(parser: RegistrationParser, message: str) -> Parsed:
    result = parser.parse(message, SENT, "Zuilen")
    assert isinstance(result, Parsed), result
    return result


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("einde wachtlijst 7712", "wachtlijst_uit"),  # an end word before the state
        ("7712 wachtlijst afgelopen", "wachtlijst_uit"),  # an end word after it
        ("wachtlijst gestopt voor 7712", "wachtlijst_uit"),
        ("7712 staat niet meer op de wl", "wachtlijst_uit"),  # negation with "meer"
        ("7712 niet langer op wachtlijst", "wachtlijst_uit"),  # ... or "langer"
        ("7712 op de wachtlijst gezet", "wachtlijst_in"),  # no end word: still on
    ],
)
def test_a_state_said_with_its_end_is_the_ending_kind(
    parser: RegistrationParser, message: str, kind: str
) -> None:
    assert parsed(parser, message).kind == kind


@pytest.mark.parametrize(
    ("message", "ref"),
    [
        ("kennismaking nr. 61 402 gisteren", "61402"),
        ("casus 7 120 331 op de wachtlijst", "7120331"),
        ("dossier 48 905 afgesloten", "48905"),
    ],
)
def test_digit_groups_after_a_case_cue_are_one_number(
    parser: RegistrationParser, message: str, ref: str
) -> None:
    assert parsed(parser, message).case_ref == ref


def test_an_earlier_value_in_brackets_is_no_score(parser: RegistrationParser) -> None:
    result = parsed(parser, "wat telt 3301 wonen 11 (was 5 in maart), werk 6")
    assert dict(result.scores) == {"wonen": 11, "werk": 6}
    result = parsed(parser, "wat telt 3301 psyche 8 (eerst 3)")
    assert dict(result.scores) == {"geestelijke_gezondheid": 8}


def test_an_aside_without_an_earlier_value_is_kept() -> None:
    text = "geld 9 (na de schuldhulp)"
    assert without_earlier_values(text) == text
    assert without_earlier_values("geld 9 (was 6)").strip() == "geld 9"


def test_a_negation_without_continuation_is_not_an_ending(parser: RegistrationParser) -> None:
    # "niet" alone before the list says nothing about leaving it; no ending is invented.
    result = parser.parse("7712 wachtlijst niet", SENT, "Zuilen")
    assert not (isinstance(result, Parsed) and result.kind == "wachtlijst_uit")
    assert isinstance(result, (Parsed, Refusal))


@pytest.mark.parametrize(
    "message",
    [
        "afgesloten 5120, doel bereikt, ew onbekend",
        "afgesloten 5120, zelfstandig verder niet bekend",
        "afgesloten 5120, volgens plan nog onbekend",
    ],
)
def test_a_flag_answered_unknown_is_left_open(parser: RegistrationParser, message: str) -> None:
    result = parsed(parser, message)
    assert (result.zelfstandig_verder, result.volgens_plan, result.ervaringwijzer) == (
        None,
        None,
        None,
    )


def test_a_flag_restated_the_other_way_is_asked_back(parser: RegistrationParser) -> None:
    result = parser.parse(
        "afgesloten 5121: redt zich prima, kan niet zonder hulp verder", SENT, "Zuilen"
    )
    assert isinstance(result, Refusal)
    assert result.code.value == "contradiction"


def test_a_flag_restated_the_same_way_is_kept(parser: RegistrationParser) -> None:
    result = parsed(parser, "afgesloten 5122, zelfstandig verder, redt zich ja")
    assert result.zelfstandig_verder is True


@pytest.mark.parametrize(
    "message",
    ["wat telt 4410 werk acht en een half", "wat telt 4410 wonen 6½", "wat telt 4410 geld 7,5"],
)
def test_a_half_score_is_asked_again(parser: RegistrationParser, message: str) -> None:
    result = parser.parse(message, SENT, "Zuilen")
    assert isinstance(result, Refusal)
    assert result.code.value == "score_out_of_range"


@pytest.mark.parametrize(
    ("message", "team"),
    [
        ("kennismaking 4420 kan zuid", "Kanaleneiland Zuid"),
        ("start 4421 (kan. noord)", "Kanaleneiland Noord"),
    ],
)
def test_a_short_word_before_a_region_completes_a_team(
    parser: RegistrationParser, message: str, team: str
) -> None:
    assert parsed(parser, message).team == team


def test_a_modal_before_a_flag_is_no_team(parser: RegistrationParser) -> None:
    assert parsed(parser, "afgesloten 4422 kan zelfstandig verder").team == "Zuilen"


@pytest.mark.parametrize(
    "message",
    [
        "afgesloten 6601, client wil geen begeleiding meer",
        "afgesloten 6601: weigert verdere hulp",
        "6601 afgesloten, reageert niet meer op berichten",
    ],
)
def test_a_client_refusing_help_has_stopped(parser: RegistrationParser, message: str) -> None:
    assert parsed(parser, message).reden == "klant_gestopt"


def test_an_introduction_is_a_kennismaking(parser: RegistrationParser) -> None:
    assert parsed(parser, "introductiegesprek 6602 gisteren").kind == "kennismaking"
    assert parsed(parser, "intro gesprek 6602 gedaan").kind == "kennismaking"


@pytest.mark.parametrize(
    ("message", "melder"),
    [
        ("de wijkagent meldde de buurman aan", "wijkagent"),  # subject before the verb
        ("aanmelding: huisarts heeft de dochter aangemeld", "huisarts"),  # perfect
        ("de buurvrouw werd aangemeld door de huisarts", "huisarts"),  # passive, cued
    ],
)
def test_the_melder_is_the_subject_of_referring(
    parser: RegistrationParser, message: str, melder: str
) -> None:
    result = parsed(parser, message)
    assert result.melder == melder
    assert any("niet de melder" in note for note in result.notes)


def test_two_cued_melders_still_contradict(parser: RegistrationParser) -> None:
    result = parser.parse("aanmelding via huisarts en via school", SENT, "Zuilen")
    assert isinstance(result, Refusal)


@pytest.mark.parametrize(
    ("message", "team"),
    [
        ("kennismaking 4430 gisteren, ldschrijn", "Leidsche Rijn"),
        ("start 4431 dmeern", "De Meern"),  # a two-word name typed as one, shortened
        ("start 4432 lnttn", "Lunetten"),  # a skeleton of one word still reads
    ],
)
def test_a_phrase_typed_as_one_shortened_word(
    parser: RegistrationParser, message: str, team: str
) -> None:
    assert parsed(parser, message).team == team


def test_a_region_named_as_the_team_is_asked(parser: RegistrationParser) -> None:
    result = parser.parse("kennismaking 4440 buurtteam overvecht", SENT, "Overvecht Vechtzoom")
    assert isinstance(result, Refusal)
    assert result.code.value == "ambiguous_team"


def test_a_region_said_as_a_place_is_the_senders_team(parser: RegistrationParser) -> None:
    result = parser.parse("kennismaking 4441 in overvecht", SENT, "Overvecht Vechtzoom")
    assert isinstance(result, Parsed)
    assert result.team == "Overvecht Vechtzoom"


def test_lexicon_synonyms_of_reasons_and_leefgebieden(parser: RegistrationParser) -> None:
    assert parsed(parser, "afgesloten 4450, client weggetrokken").reden == "verhuisd"
    assert parsed(parser, "afgesloten 4451, gedetineerd").reden == "overig"
    assert dict(parsed(parser, "wat telt 4452 eenzaamheid 3").scores) == {"relaties": 3}


def test_a_score_for_a_word_of_several_leefgebieden_is_asked(parser: RegistrationParser) -> None:
    result = parser.parse("wat telt 4460 wonen 9, gezondheid 7", SENT, "Zuilen")
    assert isinstance(result, Refusal)
    assert result.code.value == "incomplete_scores"


def test_a_score_for_an_unknown_word_is_only_noted(parser: RegistrationParser) -> None:
    result = parsed(parser, "wat telt 4461 wonen 9, blabla 7")
    assert dict(result.scores) == {"wonen": 9}


def test_conform_plan_is_volgens_plan(parser: RegistrationParser) -> None:
    assert parsed(parser, "afgesloten 4462 conform het plan").volgens_plan is True


@pytest.mark.parametrize(
    "message", ["startdatum ondersteuning 4470: gisteren", "startmoment begeleiding 4470"]
)
def test_a_compound_headed_by_a_kind_word_modifies_its_phrase(
    parser: RegistrationParser, message: str
) -> None:
    assert parsed(parser, message).kind == "start_ondersteuning"


def test_a_flags_answer_words_name_no_reason(parser: RegistrationParser) -> None:
    result = parsed(parser, "afgesloten 4480, ervaringwijzer mag verstuurd worden")
    assert (result.ervaringwijzer, result.reden) == (True, None)
