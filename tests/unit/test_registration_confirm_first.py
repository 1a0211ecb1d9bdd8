"""Confirm-first (issue 16): a best guess with its doubtful parts marked beats a refusal.

Each row names the general mechanism it checks: abbreviations read by meaning (a prefix, a
consonant skeleton, initials, ambiguity settled by the kind's slot), number words, negation
scope, slots read by position, the embedder behind a floor and margin, and the card notes that
keep every stated field or say why not. The embedder is the deterministic `HashingEmbedder`
(word and trigram overlap), so these rows test the mechanism, not a model.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, Refusal, RefusalCode, RegistrationParser
from casework.registration.synonyms import SynonymPolicy
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
    ("message", "expected"),
    [
        ("aanm. via huisarts", {"kind": "aanmelding"}),  # a prefix of one kind's words
        ("kennism 4411 gisteren", {"kind": "kennismaking"}),  # not the speller's "kennis"
        ("4411 afgesl, doel bereikt", {"kind": "afsluiting", "reden": "doel_bereikt"}),
        ("start ondst 4411", {"kind": "start_ondersteuning"}),  # a consonant skeleton
        ("4411 op wachtl.", {"kind": "wachtlijst_in"}),
        ("4411 op wl", {"kind": "wachtlijst_in"}),  # initials of a compound (wacht+lijst)
        ("4411 van wl af", {"kind": "wachtlijst_uit"}),
        ("aanmelding LR zelfmelder", {"team": "Leidsche Rijn"}),  # a team's initials
        ("aanmelding via wijkagent, kan noord", {"team": "Kanaleneiland Noord"}),
        ("aanmelding via woningcorp", {"melder": "woningcorporatie"}),
        ("aanmelding zelfm. zuilen", {"melder": "zelfmelder"}),
        ("aanmelding via ha", {"melder": "huisarts"}),  # initials, clear among melders
        ("afsluiting 4411 zv ja", {"zelfstandig_verder": True}),  # clear among closure words
        ("afgesloten 4411 db", {"reden": "doel_bereikt"}),  # "db" is no dagbesteding here
        ("4411 afgesl, zelfst. verder nee", {"zelfstandig_verder": False}),
        ("4411 afgesloten niet vlg plan", {"volgens_plan": False}),
        ("hbh aangevr. 4411", {"kind": "hbh_aanvraag"}),
    ],
)
def test_abbreviations_are_read_by_meaning(
    parser: RegistrationParser, message: str, expected: dict[str, object]
) -> None:
    event = parsed(parser, message).as_dict()
    assert {k: event.get(k) for k in expected} == expected


@pytest.mark.parametrize(
    "word",
    [
        "week",  # a Dutch word, never an abbreviation ("volgende week" stays a future date)
        "gez",  # gezin or gezondheid: ambiguous outside a slot
        "psych",  # psychisch (a leefgebied) or psychiater (a melder)
    ],
)
def test_words_that_are_no_unambiguous_abbreviation_stay(
    parser: RegistrationParser, word: str
) -> None:
    assert parser._abbreviations.expand(word) is None


@pytest.mark.parametrize(
    ("message", "scores"),
    [
        ("wat telt 6120: geld zes, wonen negen", {"geld": 6, "wonen": 9}),  # number words
        ("wat telt 1204 geld: vijftien, wonen: elf", {"geld": 15, "wonen": 11}),
        ("WT 5530 psych 5 lich 8", {"geestelijke_gezondheid": 5, "lichamelijke_gezondheid": 8}),
        ("wat telt 2207 pers verz 12 huish 10", {"persoonlijke_verzorging": 12, "huishouden": 10}),
        ("wat telt 9104 just 2 zing 9", {"justitie": 2, "zingeving": 9}),  # not names here
        ("wat telt 4411 fin 4 wonen 7", {"geld": 4, "wonen": 7}),
        ("wat telt 4411 lichamelijke gez 9", {"lichamelijke_gezondheid": 9}),
    ],
)
def test_scores_with_abbreviated_leefgebieden_and_number_words(
    parser: RegistrationParser, message: str, scores: dict[str, int]
) -> None:
    assert parsed(parser, message).as_dict()["scores"] == scores


def test_number_words_reach_grades_and_dates(parser: RegistrationParser) -> None:
    closed = parsed(parser, "8830 afgesloten, niet volgens plan, klant gaf een zeven")
    assert closed.rapportcijfer == 7
    met = parsed(parser, "eerste gesprek met 3302 twee dagen geleden")
    assert met.occurred_on.isoformat() == "2026-11-22"


@pytest.mark.parametrize(
    ("message", "expected", "note"),
    [
        ("7781 afgesloten geen doel bereikt", {}, "'geen doel bereikt': ontkend"),
        ("5530 afgesloten, doel niet bereikt, klant gestopt", {"reden": "klant_gestopt"}, ""),
        ("afgesloten 4411, geen zelfstandig verder", {"zelfstandig_verder": False}, ""),
        ("afgesloten 4411 ew: nee", {"ervaringwijzer": False}, ""),  # no postcode "4411 EW"
    ],
)
def test_negation_is_scoped_to_the_phrase_after_it(
    parser: RegistrationParser, message: str, expected: dict[str, object], note: str
) -> None:
    event = parsed(parser, message)
    closure = {k: v for k, v in event.as_dict().items() if k not in ("kind", "case_ref")}
    closure.pop("team"), closure.pop("occurred_on")
    assert closure == expected
    assert not note or any(note in line for line in event.notes)


@pytest.mark.parametrize(
    ("message", "note"),
    [
        ("casus 4712 gestart, melder huisarts", "melder 'huisarts' niet opgeslagen"),
        ("kennismaking 4411 gisteren, cijfer 8", "cijfer 8 niet opgeslagen"),
        ("aanmelding 4411, spreekuur", "niet gebruikt: 'spreekuur'"),
        ("wat telt 4411 geld 6 xyzzy 4", "'xyzzy 4': welk leefgebied?"),  # was a refusal
    ],
)
def test_what_the_event_cannot_hold_is_said_on_the_card(
    parser: RegistrationParser, message: str, note: str
) -> None:
    assert any(note in line for line in parsed(parser, message).notes)


def test_the_kind_follows_from_closure_fields_and_loopt_sinds(
    parser: RegistrationParser,
) -> None:
    assert parsed(parser, "4411 klaar, doel bereikt, ew mag").kind == "afsluiting"
    started = parsed(parser, "begeleiding 4411 loopt sinds maandag")
    assert (started.kind, started.occurred_on.isoformat()) == ("start_ondersteuning", "2026-11-23")


def test_an_embedder_guess_is_marked_and_needs_floor_and_margin() -> None:
    loose = RegistrationParser(
        embedder=HashingEmbedder(), synonym_policy=SynonymPolicy(floor=0.3, margin=0.0)
    )
    event = loose.parse("aanmelding via politieagent", SENT, "Zuilen")
    assert isinstance(event, Parsed)
    assert (event.melder, event.guessed) == ("politie", frozenset({"melder"}))
    strict = loose.with_policy(SynonymPolicy(floor=0.99, margin=0.0))
    unsure = strict.parse("aanmelding via politieagent", SENT, "Zuilen")
    assert isinstance(unsure, Parsed)
    assert unsure.melder is None
    assert any("politieagent" in line for line in unsure.notes)
    without = RegistrationParser(embedder=None).parse("aanmelding via politieagent", SENT, None)
    assert isinstance(without, Refusal)  # no team either: asked for one, not guessed


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("kennismaking 4411 met anouk gisteren", RefusalCode.PERSONAL_DATA),
        ("wat telt 4411 anouk 5", RefusalCode.PERSONAL_DATA),  # a name no leefgebied starts
        ("aanmelding via huisarts, postcode 3531 AB", RefusalCode.PERSONAL_DATA),
        ("start ondersteuning 7781 volgende week maandag", RefusalCode.FUTURE_DATE),
        ("wat telt 2207 wonen zeventien", RefusalCode.SCORE_OUT_OF_RANGE),
        ("afgesloten 6231 doel bereikt en overleden", RefusalCode.CONTRADICTION),
        ("hbh aangevraagd", RefusalCode.MISSING_CASE_REF),
        ("heeft iemand een goede schuldhulp in zuilen", RefusalCode.QUESTION),
    ],
)
def test_what_is_really_wrong_is_still_refused(
    parser: RegistrationParser, message: str, code: RefusalCode
) -> None:
    result = parser.parse(message, SENT, "Zuilen")
    assert isinstance(result, Refusal), result
    assert result.code == code


def test_a_weekday_before_a_date_names_that_date(parser: RegistrationParser) -> None:
    event = parsed(parser, "kennismaking 4411 op dinsdag 17 november")
    assert event.occurred_on.isoformat() == "2026-11-17"  # not also "dinsdag" = today


@pytest.mark.parametrize(
    "message",
    [
        "4411 afgesloten, cijfer van de klant: 7",
        "4411 afgesloten, klant geeft een 7",
        "4411 afgesloten, klant beoordeelt de begeleiding met een 7",
        "4411 afgesloten, klanttevredenheid 7",
        "4411 afgesloten, een 7 gekregen",
        "4411 afgesloten, klant gaf ons een zeven",
    ],
)
def test_the_clients_grade_phrased_differently(parser: RegistrationParser, message: str) -> None:
    assert parsed(parser, message).rapportcijfer == 7


def test_a_run_with_another_fields_word_is_no_reason(parser: RegistrationParser) -> None:
    loose = parser.with_policy(SynonymPolicy(floor=0.0, margin=0.0))  # would take anything
    event = loose.parse("4411 afgesloten, geen toestemming voor ervaringwijzer", SENT, "Zuilen")
    assert isinstance(event, Parsed)
    assert event.reden is None
    assert any("toestemming" in line for line in event.notes)


def test_only_a_cued_run_is_a_melder_guess_and_never_a_catch_all() -> None:
    anything = RegistrationParser(
        embedder=HashingEmbedder(), synonym_policy=SynonymPolicy(floor=-1.0, margin=0.0)
    )
    channel = anything.parse("aanmelding 5501 telefonisch binnengekomen", SENT, "Zuilen")
    assert isinstance(channel, Parsed)
    assert channel.melder is None  # no cue: a channel, not a melder
    cued = anything.parse("aanmelding via politieagent", SENT, "Zuilen")
    assert isinstance(cued, Parsed)
    assert cued.melder not in (None, "overig", "onbekend")


def test_durations_are_no_scores_and_names_keep_their_score(parser: RegistrationParser) -> None:
    event = parsed(parser, "wat telt 7704 geld 5 wonen 6, volgende meting over 3 maanden")
    assert event.as_dict()["scores"] == {"geld": 5, "wonen": 6}
    event = parsed(parser, "wat telt 7703 psychisch gezondheid 7")
    assert event.as_dict()["scores"] == {"geestelijke_gezondheid": 7}


def test_a_number_after_a_case_cue_is_the_case_number(parser: RegistrationParser) -> None:
    event = parsed(parser, "kennismaking, casus 2000, team Binnenstad, op 01-01-2026")
    assert event.case_ref == "2000"  # not a birth year, whatever a detector thinks
    refused = parser.parse("aanmelding via huisarts, bsn 124647728", SENT, "Zuilen")
    assert isinstance(refused, Refusal)
