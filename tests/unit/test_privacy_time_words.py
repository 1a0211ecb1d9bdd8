"""Words that are never names: Dutch adverbs of time built from a day and a part of it, and
the chat particle "vd" (knowledge/privacy/lexicon.py). Made-up examples."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentified, Deidentifier
from knowledge.privacy.lexicon import PARTICLES, TEMPORAL_ADVERBS
from knowledge.privacy.vocabulary import is_dutch_word


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


def removed(result: Deidentified, kind: str) -> list[str]:
    return [span.original for span in result.removed if span.kind == kind]


@pytest.mark.parametrize(
    "word",
    ["eergisteravond", "overmorgenochtend", "vannacht", "donderdagmiddag", "vrijdagnachts"],
)
def test_adverbs_of_time_are_built_and_known_as_words(word: str) -> None:
    assert word in TEMPORAL_ADVERBS
    assert is_dutch_word(word)


@pytest.mark.parametrize(
    "text",
    [
        "haar broer eergisteravond nog gesproken",
        "de buurvrouw overmorgenochtend langs",
        "met klant donderdagmiddag een afspraak",
    ],
)
def test_an_adverb_of_time_after_a_relation_is_no_name(deid: Deidentifier, text: str) -> None:
    assert removed(deid.deidentify(text), "persoon") == []


def test_vd_is_a_particle(deid: Deidentifier) -> None:
    assert "vd" in PARTICLES
    assert removed(deid.deidentify("mw vd linden belde terug"), "persoon") == ["vd linden"]
    assert removed(deid.deidentify("de broer vd cliënt belde"), "persoon") == []
