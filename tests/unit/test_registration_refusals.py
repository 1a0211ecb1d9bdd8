"""Every refusal: its code, and a Dutch reason plus a suggestion the sender can act on.

Client data is refused before anything is parsed, and the refusal never repeats it.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from casework.registration import Parsed, Refusal, RefusalCode, RegistrationParser
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def refused(parser: RegistrationParser, message: str, team: str | None = "Zuilen") -> Refusal:
    result = parser.parse(message, SENT, team)
    assert isinstance(result, Refusal), result
    assert result.reason_nl and result.suggestion_nl
    return result


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ("", RefusalCode.EMPTY),
        ("kennismaking 4411 " + "gisteren " * 80, RefusalCode.TOO_LONG),
        ("weet iemand of de hbh aanvraag nog via de gemeente moet?", RefusalCode.QUESTION),
        ("hoe registreer ik een aanmelding", RefusalCode.QUESTION),
        ("moet ik een aanmelding doen voor 4411", RefusalCode.QUESTION),
        ("test 123", RefusalCode.NOT_UNDERSTOOD),
        ("ok top, dank je!", RefusalCode.NOT_UNDERSTOOD),
        ("asdfgh jkl 44", RefusalCode.NOT_UNDERSTOOD),
        ("6120 op wachtlijst, ondersteuning vandaag gestart", RefusalCode.TWO_KINDS),
        ("afsluiten 7781 doel bereikt en klant gestopt", RefusalCode.CONTRADICTION),
        ("afgesloten 4411, EW mag, geen EW", RefusalCode.CONTRADICTION),
        ("aanmelding zuilen via huisarts, team lunetten", RefusalCode.CONTRADICTION),
        ("aanmelding 4411 en 4412 via huisarts", RefusalCode.CONTRADICTION),
        ("aanmelding via huisarts en via de wijkagent", RefusalCode.CONTRADICTION),
        ("wat telt 9104 geld 6 geld 9", RefusalCode.CONTRADICTION),
        ("afgesloten 4411 cijfer 8, klant gaf een 6", RefusalCode.CONTRADICTION),
        ("kennismaking gehad gisteren", RefusalCode.MISSING_CASE_REF),
        ("afgesloten, doel bereikt, EW mag", RefusalCode.MISSING_CASE_REF),
        ("vandaag op wachtlijst gezet", RefusalCode.MISSING_CASE_REF),
        ("aanmelding team Houten zelfmelder", RefusalCode.UNKNOWN_TEAM),
        ("aanmelding nieuwegein via familie", RefusalCode.UNKNOWN_TEAM),
        ("aanmelding overvecht zelfmelder", RefusalCode.AMBIGUOUS_TEAM),
        ("wat telt 4411", RefusalCode.MISSING_SCORES),
        ("wat telt 3302 geld 6 wonen", RefusalCode.INCOMPLETE_SCORES),
        ("wat telt 3302 geld 6 7", RefusalCode.INCOMPLETE_SCORES),
        ("wat telt 4411 geld 17 wonen 9", RefusalCode.SCORE_OUT_OF_RANGE),
        ("wat telt 5120 ggz 0 geld 4", RefusalCode.SCORE_OUT_OF_RANGE),
        ("afgesloten 4411 rapportcijfer 11", RefusalCode.GRADE_OUT_OF_RANGE),
        ("afgesloten 4411, klant gaf een 0", RefusalCode.GRADE_OUT_OF_RANGE),
        ("afgesloten 4411, klant gaf een 7,5", RefusalCode.GRADE_OUT_OF_RANGE),
        ("kennismaking 6120 morgen", RefusalCode.FUTURE_DATE),
        ("kennismaking 8830 op 31-4", RefusalCode.INVALID_DATE),
        ("kennismaking 8830 vorige week", RefusalCode.VAGUE_DATE),
        ("kennismaking 8830 op 3-13", RefusalCode.INVALID_DATE),
    ],
)
def test_refusal_codes(parser: RegistrationParser, message: str, code: RefusalCode) -> None:
    assert refused(parser, message).code == code


def test_without_any_team_the_sender_is_asked_for_one(parser: RegistrationParser) -> None:
    assert refused(parser, "aanmelding zelfmelder", team=None).code == RefusalCode.MISSING_TEAM
    assert isinstance(parser.parse("aanmelding zuilen zelfmelder", SENT, None), Parsed)


@pytest.mark.parametrize(
    ("message", "seen"),
    [
        ("aanmelding mevrouw Sandra de Wit, zelfmelder", "naam"),  # name after a title
        ("kennismaking 4411 met Mohamed El Idrissi gisteren", "naam"),  # capitalised run
        ("kennismaking 4411 met sandra", "naam"),  # lower case, alone: first-name list
        ("kennismaking 4411 met Jan", "naam"),  # a month word, but no day before it
        ("aanmelding bsn 124647728 via huisarts", "BSN"),  # passes the eleven-test
        ("aanmelding BSN: 12345678 via huisarts", "BSN"),  # fails it, but says it is one
        ("aanmelding via huisarts, tel 06-12345678", "telefoonnummer"),
        ("aanmelding via huisarts, mail klant@example.nl", "e-mailadres"),
        ("aanmelding via huisarts, woont Kanaalweg 12", "adres"),
        ("aanmelding via huisarts, postcode 3531 AB", "postcode"),
        ("aanmelding via dochter Fatima, zuilen", "naam"),
        ("aanmelding via huisarts, geb. 12-03-1954", "geboortedatum"),
    ],
)
def test_client_data_is_refused_without_repeating_it(
    parser: RegistrationParser, message: str, seen: str
) -> None:
    result = refused(parser, message)
    assert result.code == RefusalCode.PERSONAL_DATA
    assert seen in result.reason_nl
    for word in ("Sandra", "Wit", "Mohamed", "124647728", "Kanaalweg", "Fatima", "example"):
        assert word not in result.text_nl()


def test_a_refusal_reads_as_friendly_dutch_with_an_example(parser: RegistrationParser) -> None:
    result = refused(parser, "kennismaking gehad gisteren")
    assert result.reason_nl == "Voor 'Kennismaking' heb ik een casusnummer nodig."
    assert (
        result.suggestion_nl
        == "Zet het casusnummer erbij, bijvoorbeeld: kennismaking 23-4411 gisteren"
    )
    ambiguous = refused(parser, "aanmelding overvecht zelfmelder", team="West")
    assert "Overvecht Centrum, Overvecht De Gagel, Overvecht Spoorzoom of" in ambiguous.reason_nl
    contradiction = refused(parser, "afsluiten 7781 doel bereikt en klant gestopt")
    assert "'doel bereikt' en 'klant gestopt'" in contradiction.reason_nl


def test_a_region_is_resolved_by_the_sender_team(parser: RegistrationParser) -> None:
    result = parser.parse("aanmelding overvecht zelfmelder", SENT, "Overvecht Vechtzoom")
    assert isinstance(result, Parsed)
    assert result.team == "Overvecht Vechtzoom"
