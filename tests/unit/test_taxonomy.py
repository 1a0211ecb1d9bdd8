"""Leefgebieden: the canonical 14, name/slug lookup and the classifier's contract."""

from __future__ import annotations

import pytest

from knowledge.embedders import HashingEmbedder
from knowledge.taxonomy import (
    ClassifierWeights,
    LeefgebiedClassifier,
    classify_leefgebieden,
    load_leefgebieden,
    name_for,
    slug_for,
    slugs,
)


def test_fourteen_leefgebieden() -> None:
    assert len(load_leefgebieden()) == 14
    assert "gezin_en_opvoeden" in slugs()


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("geld", "geld"),
        ("alcohol, drugs, gamen en gokken", "verslaving"),
        ("Huiselijke relaties en sociale contacten", "relaties"),
        ("politie en justitie", "justitie"),
        ("taal_en_leren", "taal_en_leren"),
        ("dagelijkse activiteiten", "dagelijkse_activiteiten"),
        ("lichaamelijke gezondheid", "lichamelijke_gezondheid"),
    ],
)
def test_slug_for_accepts_names_slugs_and_variants(text: str, slug: str) -> None:
    assert slug_for(text) == slug


def test_unknown_leefgebied_raises() -> None:
    with pytest.raises(KeyError):
        slug_for("ruimtevaart")


def test_name_for() -> None:
    assert name_for("verslaving") == "alcohol, drugs, gamen en gokken"


def test_classifier_returns_all_leefgebieden_sorted() -> None:
    result = classify_leefgebieden("schulden bij de deurwaarder", HashingEmbedder())
    assert {slug for slug, _ in result} == set(slugs())
    scores = [score for _, score in result]
    assert scores == sorted(scores, reverse=True)
    assert sum(scores) == pytest.approx(1.0, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("klant heeft schulden en de deurwaarder staat voor de deur", "geld"),
        ("hij drinkt elke dag en gebruikt cocaine", "verslaving"),
        ("ze komt net uit de gevangenis en heeft een enkelband", "justitie"),
    ],
)
def test_keyword_cues_decide_clear_cases(text: str, slug: str) -> None:
    cues_only = LeefgebiedClassifier(HashingEmbedder(), weights=ClassifierWeights(cue_share=1.0))
    assert cues_only.classify(text)[0][0] == slug


def test_without_cues_the_dense_side_decides() -> None:
    result = LeefgebiedClassifier(HashingEmbedder()).classify("xyz qqq")
    assert sum(score for _, score in result) == pytest.approx(1.0, abs=1e-4)
