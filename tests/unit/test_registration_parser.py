"""Quick registrations: kinds, case numbers, teams, melders, closure fields and scores.

Table-driven, one comment per row saying what the row is about. The sending moment is fixed:
Tuesday 24 November 2026, noon in Utrecht, sent by a member of team Zuilen.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, RegistrationParser
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def parsed(parser: RegistrationParser, message: str, team: str | None = "Zuilen") -> Parsed:
    result = parser.parse(message, SENT, team)
    assert isinstance(result, Parsed), result
    return result


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("aanmelding zuilen zelfmelder", "aanmelding"),
        ("nieuwe klant via huisarts", "aanmelding"),  # no kind word, but "nieuwe klant"
        ("aanmeldng zelfmeldr", "aanmelding"),  # typos in both words
        ("km gesprek 5530", "kennismaking"),  # abbreviation
        ("1e gesprek gehad met 8830", "kennismaking"),
        ("kennismakin 9104 gedaan", "kennismaking"),  # a letter missing
        ("3302 vanaf vandaag in begeleiding", "start_ondersteuning"),
        ("4411 gestart", "start_ondersteuning"),
        ("4478 op wachtlist", "wachtlijst_in"),  # typo
        ("8830 moet wachten, op de wachtlijst", "wachtlijst_in"),
        ("7781 niet meer op wachtlijst", "wachtlijst_uit"),  # the negation is the point
        ("2207 eraf van wachtlijst, plek vrij", "wachtlijst_uit"),
        ("WT 8830 werk 2", "wat_telt_meting"),  # abbreviation
        ("4411 geld 6 wonen 9", "wat_telt_meting"),  # scores alone say it is Wat Telt
        ("hbh-aanvraag voor 4411", "hbh_aanvraag"),
        ("aanvraag hulp bij het huishouden 8830 ingediend", "hbh_aanvraag"),
        ("2207 dicht, verhuisd", "afsluiting"),
        ("afgesloten 4411", "afsluiting"),
        ("einde begeleiding 4411", "afsluiting"),
        ("zelfmelder 4411 zuilen", "aanmelding"),  # a melder implies an aanmelding
        ("via huisarts binnengekomen, 4411", "aanmelding"),
    ],
)
def test_kinds(parser: RegistrationParser, message: str, kind: str) -> None:
    assert parsed(parser, message).kind == kind


@pytest.mark.parametrize(
    ("message", "case_ref"),
    [
        ("kennismaking #3302", "3302"),
        ("nieuwe casus 26-0193 via gemeente", "26-0193"),
        ("kennismaking casus 123", "123"),  # three digits only after a cue
        ("kennismaking dossier: 44120", "44120"),
        ("start 7002 gisteren", "7002"),
    ],
)
def test_case_numbers(parser: RegistrationParser, message: str, case_ref: str) -> None:
    assert parsed(parser, message).case_ref == case_ref


@pytest.mark.parametrize(
    ("message", "sender", "team"),
    [
        ("aanmelding via dochter, ridi", "Oost", "Dichters- en Rivierenwijk"),  # short form
        ("aanmelding OV Centrum zelfmelder", "West", "Overvecht Centrum"),
        ("aanmelding gagel via mitros", "West", "Overvecht De Gagel"),
        ("aanmelding hoograven / tolsteeg via poh", "West", "Hoograven/Tolsteeg"),
        ("aanmelding noord oost via zoon", "West", "Noordoost"),  # split words
        ("aanmelding lunneten zelfmelder", "West", "Lunetten"),  # typo
        ("aanmelding zuilne zelfmelder", "West", "Zuilen"),  # swapped letters
        ("aanmelding kanaleneiland via coa", "Kanaleneiland Zuid", "Kanaleneiland Zuid"),
        ("aanmelding zelfmelder", "ondiep pijlsweerd", "Ondiep/Pijlsweerd"),  # sender spelling
        ("aanmelding via huisarts, team oost", "Zuilen", "Oost"),
    ],
)
def test_teams(parser: RegistrationParser, message: str, sender: str, team: str) -> None:
    result = parsed(parser, message, sender)
    assert result.team == team


def test_the_sender_team_is_the_default_and_marked_as_such(parser: RegistrationParser) -> None:
    result = parsed(parser, "kennismaking 4411 gisteren", "Lunetten")
    assert result.team == "Lunetten"
    assert "team" not in result.stated
    assert "team" in parsed(parser, "kennismaking 4411 zuilen", "Lunetten").stated


@pytest.mark.parametrize(
    ("message", "melder"),
    [
        ("aanmelding via dochter", "familie"),
        ("aanmelding via mitros", "woningcorporatie"),
        ("aanmelding via bo-ex", "woningcorporatie"),
        ("aanmelding via Portaal", "woningcorporatie"),
        ("aanmelding vanuit buurvrouw", "sociaal_netwerk"),
        ("aanmelding via de poh van de huisarts", "poh"),  # the longer phrase wins
        ("aanmelding melder wijkagent", "wijkagent"),  # not politie
        ("aanmelding via wijkverpleging", "wijkverpleegkundige"),
        ("aanmelding via Veilig Thuis", "veilig_thuis"),
        ("aanmelding via U Centraal", "u_centraal"),
        ("aanmelding anders nl. via de kerk", "overig"),
        ("aanmelding anders: buurman", "sociaal_netwerk"),  # "overig" yields to a category
        ("aanmelding via hbh", "aanmelding_hbh_voor_buurtteam"),  # a melder, not an HbH request
        ("aanmelding zorgpartner (altrecht)", "zorgpartner"),
        ("aanmelding via mantelzorger (schoonzoon)", "mantelzorg"),  # the aside gives way
    ],
)
def test_melders(parser: RegistrationParser, message: str, melder: str) -> None:
    result = parsed(parser, message)
    assert (result.kind, result.melder) == ("aanmelding", melder)


def test_an_aanmelding_without_melder_parses_and_asks_for_it(parser: RegistrationParser) -> None:
    result = parsed(parser, "aanmelding 4411")
    assert result.melder is None
    assert result.missing == ("melder",)


def test_melder_words_do_not_leak_into_other_kinds(parser: RegistrationParser) -> None:
    result = parsed(parser, "7002 afgesloten, verwezen naar Altrecht")
    assert result.as_dict() == {
        "kind": "afsluiting",
        "case_ref": "7002",
        "team": "Zuilen",
        "occurred_on": "2026-11-24",
        "reden": "verwezen",
    }


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        (
            "4411 afgesloten, doel bereikt, kan zelf verder, EW mag",
            {"reden": "doel_bereikt", "zelfstandig_verder": True, "ervaringwijzer": True},
        ),
        (
            "afsluiting 3302: doel bereikt, niet zelfstandig verder, EW nee",
            {"reden": "doel_bereikt", "zelfstandig_verder": False, "ervaringwijzer": False},
        ),
        (
            "afsluiten 5530 klant gestopt, geen EW",
            {"reden": "klant_gestopt", "ervaringwijzer": False},
        ),
        (
            "afgesloten 9104, reden overig, niet volgens plan",
            {"reden": "overig", "volgens_plan": False},
        ),
        (
            "4478 afsluiten: klant wil niet meer, voortijdig beëindigd",
            {"reden": "klant_gestopt", "volgens_plan": False},
        ),
        ("2207 dicht, verhuisd, klant gaf een 8", {"reden": "verhuisd", "rapportcijfer": 8}),
        ("afsluiting 5120 overleden, rapportcijfer: 9", {"reden": "overleden", "rapportcijfer": 9}),
        ("afgesloten 4411, cijfer 7/10", {"rapportcijfer": 7}),  # a grade, not 7 October
        ("6120 afgesloten volgens plan", {"volgens_plan": True}),  # no reason invented
        (
            "4411 afgesloten, zelfstandig verder: nee, volgens plan: ja, ew: ja",
            {"zelfstandig_verder": False, "volgens_plan": True, "ervaringwijzer": True},
        ),
        ("einde traject 4411, mag geen ervaringwijzer", {"ervaringwijzer": False}),
    ],
)
def test_closure_fields(
    parser: RegistrationParser, message: str, expected: dict[str, object]
) -> None:
    event = parsed(parser, message).as_dict()
    closure = {
        k: v for k, v in event.items() if k not in ("kind", "case_ref", "team", "occurred_on")
    }
    assert closure == expected


@pytest.mark.parametrize(
    ("message", "scores"),
    [
        (
            "wat telt 4411: geld 6 wonen 9 ggz 4",
            {"geld": 6, "wonen": 9, "geestelijke_gezondheid": 4},
        ),
        (
            "wat telt 4411 financien 4, huisvesting 6, sociale contacten 3",
            {"geld": 4, "wonen": 6, "relaties": 3},
        ),
        ("wattelt 9104 opvoeding 10 relaties 6", {"gezin_en_opvoeden": 10, "relaties": 6}),
        (
            "wat telt 4411 taal en leren 11 huiselijke relaties 8",
            {"taal_en_leren": 11, "relaties": 8},
        ),
        ("wat telt 4411 alcohol, drugs, gamen en gokken 3", {"verslaving": 3}),  # full name
        ("wat telt 4411 geld: 6, wonen = 9", {"geld": 6, "wonen": 9}),
        ("wat telt 4411 geld 6/15 wonen 9/15", {"geld": 6, "wonen": 9}),  # out of 15
        ("wat telt 4411 politie en justitie 8", {"justitie": 8}),
        ("wat telt 4411 lichamelijk gezondheid 5", {"lichamelijke_gezondheid": 5}),  # typo
    ],
)
def test_scores(parser: RegistrationParser, message: str, scores: dict[str, int]) -> None:
    assert parsed(parser, message).as_dict()["scores"] == scores


def test_the_event_has_the_canonical_shape(parser: RegistrationParser) -> None:
    result = parsed(parser, "nieuwe klant via huisarts, casus 23-4411")
    assert list(result.as_dict()) == ["kind", "case_ref", "team", "occurred_on", "melder"]
    assert result.stated == {"kind", "case_ref", "melder"}


@pytest.mark.parametrize(
    "message",
    [
        "Aanmelding Zuilen via Huisarts",  # capitals are not a name
        "Aanmelding Kanaleneiland Zuid via Mitros, casus 24-1234",
        "aanmelding via Veilig Thuis, OV Centrum",
        "afsluiting 4411 doorverwezen naar Lister, ervaringwijzer nee",
        "2207 dicht, verhuisd naar Amersfoort, EW mag",  # a town after "naar" is no team
        "kennismaking 4411 12 jan",  # "jan" is January here
    ],
)
def test_organisations_places_and_months_are_not_client_data(
    parser: RegistrationParser, message: str
) -> None:
    parsed(parser, message)


@pytest.mark.parametrize(
    ("message", "kind", "case_ref"),
    [
        ("kennismaking 1931 gisteren", "kennismaking", "1931"),  # a year's shape, after the kind
        ("wl in 1958", "wachtlijst_in", "1958"),  # after the kind's abbreviated phrase
        ("afsl: 1962 doel bereikt", "afsluiting", "1962"),  # a colon between
    ],
)
def test_a_number_right_after_the_kind_is_the_case_number_not_a_birth_year(
    parser: RegistrationParser, message: str, kind: str, case_ref: str
) -> None:
    result = parsed(parser, message)
    assert (result.kind, result.case_ref) == (kind, case_ref)


@pytest.mark.parametrize(
    "message",
    [
        "kennismaking 4410, geboren in 1958",  # "in" is a word of "wachtlijst in", not a kind
        "geboren 1958, kennismaking 4410",
        "kennismaking mw geb 1958",
    ],
)
def test_a_birth_year_elsewhere_is_still_refused(parser: RegistrationParser, message: str) -> None:
    result = parser.parse(message, SENT, "Zuilen")
    assert not isinstance(result, Parsed)
    assert result.code.value == "personal_data"


def test_an_abbreviation_that_completes_the_kind_phrase_is_not_read_as_a_team(
    parser: RegistrationParser,
) -> None:
    """'ond' starts both "ondersteuning" and the team Ondiep; after "start" it completes the
    kind "start ondersteuning", so the sender's team stays."""
    result = parsed(parser, "start ond. 7702 gisteren")
    assert (result.kind, result.team, result.case_ref) == ("start_ondersteuning", "Zuilen", "7702")
    assert "team" not in result.stated
    named = parsed(parser, "start ond 7702 team ondiep")
    assert named.team == "Ondiep/Pijlsweerd"


@pytest.mark.parametrize(
    ("message", "scores"),
    [
        ("wt 4411 alcohol/drugs 3, geld 6", {"verslaving": 3, "geld": 6}),
        ("wat telt 4411 politie en justitie 9 werk 2", {"justitie": 9, "werk": 2}),
    ],
)
def test_two_names_of_one_leefgebied_side_by_side_share_the_score_after_them(
    parser: RegistrationParser, message: str, scores: dict[str, int]
) -> None:
    assert dict(parsed(parser, message).scores) == scores


def test_a_leefgebied_named_twice_apart_still_needs_its_own_score(
    parser: RegistrationParser,
) -> None:
    result = parser.parse("wt 4411 drugs 4, geld 5, alcohol", SENT, "Zuilen")
    assert not isinstance(result, Parsed)
    assert result.code.value == "incomplete_scores"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("huish. hulp aangevraagd 7702", "hbh_aanvraag"),  # "huishoudelijke hulp", shortened
        ("wachtl. af 7702", "wachtlijst_uit"),  # "wachtlijst af"
        ("start begel. 7702", "start_ondersteuning"),  # "start begeleiding"
    ],
)
def test_kind_phrases_shortened_word_by_word(
    parser: RegistrationParser, message: str, kind: str
) -> None:
    result = parsed(parser, message)
    assert (result.kind, result.case_ref) == (kind, "7702")


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("startondersteuning 7702 gisteren", "start_ondersteuning"),  # kind words run together
        ("wachtlijstplaatsing 7702", "wachtlijst_in"),  # a kind's word heads a compound
        ("hbhaanvraag 7702", "hbh_aanvraag"),
    ],
)
def test_a_compound_headed_by_a_kind_word_is_read_as_its_words(
    parser: RegistrationParser, message: str, kind: str
) -> None:
    result = parsed(parser, message)
    assert (result.kind, result.case_ref) == (kind, "7702")


def test_a_grade_and_a_half_is_no_whole_grade(parser: RegistrationParser) -> None:
    result = parser.parse("afsl 7702 doel bereikt, cijfer zeven en een half", SENT, "Zuilen")
    assert not isinstance(result, Parsed)
    assert result.code.value == "grade_out_of_range"


def test_a_case_number_and_a_shortened_weekday_are_no_postcode(parser: RegistrationParser) -> None:
    result = parsed(parser, "km 5903 di")  # "5903 DI" has a postcode's shape
    assert (result.kind, result.case_ref) == ("kennismaking", "5903")
