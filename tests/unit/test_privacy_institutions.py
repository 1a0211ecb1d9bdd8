"""Institutions named after a saint or a person, and countries after "uit"/"naar"/"van", are
places, not persons (knowledge/privacy/institutions.py). Made-up examples."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentified, Deidentifier
from knowledge.privacy.institutions import place_and_institution_spans
from knowledge.privacy.vocabulary import place_names


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, max_birth_year=2012)


def removed(result: Deidentified, kind: str) -> list[str]:
    return [span.original for span in result.removed if span.kind == kind]


def kept(text: str) -> list[str]:
    return sorted(text[s:e] for s, e in place_and_institution_spans(text))


def test_place_names_hold_iso_countries_in_several_words_and_their_parts() -> None:
    names = place_names()
    assert {"sint maarten", "verenigde staten", "curacao", "aruba", "eritrea"} <= names
    assert {"saba", "sint eustatius", "bonaire"} <= names  # the parts of a joint ISO entry


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("de vader is gevlucht uit Eritrea", "Eritrea"),
        ("ze gaat naar verenigde staten", "verenigde staten"),
        ("haar zus woont in Sint Maarten", "Sint Maarten"),
        ("hij komt van aruba", "aruba"),
        ("de broer komt vanuit Suriname", "Suriname"),
    ],
)
def test_countries_after_a_preposition(text: str, place: str) -> None:
    assert place in kept(text)


def test_van_after_a_first_name_or_title_is_a_particle() -> None:
    assert kept("ik sprak Ruud van Aruba") == []
    assert kept("mevrouw van Aruba belde") == []


@pytest.mark.parametrize(
    ("text", "institution"),
    [
        ("ze ligt in het wilhelmina", "wilhelmina"),
        ("hij is naar het Lucas gebracht", "Lucas"),
        ("de st jozef school", "st jozef"),
        ("opgenomen in het St. Elisabeth", "St. Elisabeth"),
        ("de sint Bavo kerk", "sint Bavo"),
    ],
)
def test_saints_and_institutions_after_het(text: str, institution: str) -> None:
    assert institution in kept(text)


def test_an_institution_survives_de_identification(deid: Deidentifier) -> None:
    text = "mevrouw ligt sinds maandag in het wilhelmina, kan iemand haar bezoeken"
    assert removed(deid.deidentify(text), "persoon") == []


def test_het_as_object_pronoun_still_lets_a_name_go(deid: Deidentifier) -> None:
    assert removed(deid.deidentify("ik heb het Yasmina gevraagd"), "persoon") == ["Yasmina"]
