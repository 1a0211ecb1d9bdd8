"""The confirmation card text and the message written back from an event."""

from __future__ import annotations

from datetime import date, datetime

from casework.registration import (
    Parsed,
    RegistrationParser,
    summary_lines_nl,
    summary_nl,
    to_message,
)
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

SENT = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


def test_one_line_summary_of_an_aanmelding() -> None:
    event = Parsed(
        kind="aanmelding",
        team="Zuilen",
        occurred_on=date(2026, 11, 24),
        case_ref="23-4411",
        melder="huisarts",
    )
    assert (
        summary_nl(event) == "Aanmelding · casus 23-4411 · Zuilen · melder: huisarts · 24-11-2026"
    )


def test_one_line_summary_of_an_afsluiting_and_a_meting() -> None:
    closed = Parsed(
        kind="afsluiting",
        team="Oost",
        occurred_on=date(2026, 10, 30),
        case_ref="5120",
        reden="verhuisd",
        zelfstandig_verder=True,
        ervaringwijzer=False,
        rapportcijfer=9,
    )
    assert summary_nl(closed) == (
        "Afsluiting · casus 5120 · Oost · reden: verhuisd · kan zelfstandig verder · "
        "Ervaringwijzer: nee · rapportcijfer: 9 · 30-10-2026"
    )
    meting = Parsed(
        kind="wat_telt_meting",
        team="West",
        occurred_on=date(2026, 9, 10),
        case_ref="3302",
        scores=(("geld", 5), ("verslaving", 4)),
    )
    assert summary_nl(meting) == (
        "Wat Telt-meting · casus 3302 · West · Wat Telt: geld 5, "
        "alcohol, drugs, gamen en gokken 4 · 10-09-2026"
    )


def test_card_lines_say_which_values_are_defaults() -> None:
    result = RegistrationParser(embedder=HashingEmbedder()).parse("aanmelding 4411", SENT, "Zuilen")
    assert isinstance(result, Parsed)
    assert summary_lines_nl(result) == [
        "*Aanmelding*",
        "Casus: 4411",
        "Team: Zuilen (jouw team)",
        "Datum: 24-11-2026 (dag van versturen)",
        "Melder: nog niet ingevuld",
    ]
    stated = RegistrationParser(embedder=HashingEmbedder()).parse(
        "aanmelding 4411 lunetten via poh gisteren", SENT, "Zuilen"
    )
    assert isinstance(stated, Parsed)
    assert summary_lines_nl(stated)[2:] == [
        "Team: Lunetten",
        "Datum: 23-11-2026",
        "Melder: POH",
    ]


def test_written_back_message_is_short_dutch() -> None:
    event = Parsed(
        kind="wachtlijst_uit",
        team="Dichters- en Rivierenwijk",
        occurred_on=date(2026, 11, 3),
        case_ref="6231",
    )
    assert to_message(event) == (
        "van de wachtlijst af, casus 6231, team Dichters- en Rivierenwijk, op 03-11-2026"
    )


def test_the_card_marks_guesses_and_lists_what_was_not_saved() -> None:
    event = Parsed(
        kind="aanmelding",
        team="Zuilen",
        occurred_on=date(2026, 11, 24),
        melder="familie",
        stated=frozenset({"kind", "melder"}),
        guessed=frozenset({"melder"}),
        notes=("niet gebruikt: 'spreekuur'",),
    )
    assert summary_lines_nl(event)[3:] == [
        "Melder: familie (afgeleid, klopt dat?)",
        "Let op: niet gebruikt: 'spreekuur'.",
    ]
