"""Living expertise without a database: decay, the expert document, languages, tag matching."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from knowledge.embedders import HashingEmbedder
from knowledge.languages import language_for, languages_needed
from models.clock import AMSTERDAM
from routing.learning import decayed, declared_weight, horizon
from routing.rank import (
    DEFAULT_WEIGHTS,
    ExpertCandidate,
    ExpertRanker,
    LearnedItem,
    counted_evidence,
    expert_document,
)
from routing.tags import TagVocabulary, leefgebied_of

W = DEFAULT_WEIGHTS
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)

HUUR = ExpertCandidate("m1", "Zuilen", "Huurachterstand en ontruiming.", ("huurachterstand",), ())
JONG = ExpertCandidate("m2", "Zuilen", "Jongeren zonder diploma naar school of werk.", (), ())
GOK = ExpertCandidate("m3", "Zuilen", "Gokverslaving en online casino.", ("Cruks",), ())
ARAB = ExpertCandidate("m4", "West", "Ook huurachterstand en ontruiming voorkomen.", (), ())
TRAPLIFT = (
    "Hoe vraag je een traplift aan via de Wmo?",
    "Moet de corporatie toestemming geven voor een traplift?",
    "Hoe lang duurt de aanvraag van een traplift?",
)


def learned(weight: float, texts: tuple[str, ...] = TRAPLIFT) -> tuple[LearnedItem, ...]:
    return tuple(LearnedItem(t, ("wonen",), weight) for t in texts)


def ids(ranker: ExpertRanker, question: str) -> list[str]:
    return [r.member_id for r in ranker.rank(question, [], limit=None)]


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (0, 1.0),  # the day of the rating
        (180, 0.5),  # one half-life
        (360, 0.25),  # two: the edge of `learned_min_weight`
        (-3, 1.0),  # a clock that stepped back never inflates a weight
    ],
)
def test_evidence_halves_every_half_life(days: int, expected: float) -> None:
    start = NOW.astimezone(UTC)  # elapsed time, not wall-clock days across a DST change
    assert decayed(start, start + timedelta(days=days), 180.0) == pytest.approx(expected)


def test_evidence_older_than_the_horizon_weighs_less_than_the_threshold() -> None:
    assert horizon(W) == timedelta(days=360)
    assert decayed(NOW, NOW + horizon(W) + timedelta(days=1), 180.0) < W.learned_min_weight


def test_declared_tags_fade_towards_a_floor_above_zero() -> None:
    fresh = declared_weight(NOW, NOW)
    year = declared_weight(NOW, NOW + timedelta(days=365))
    decade = declared_weight(NOW, NOW + timedelta(days=3650))
    assert fresh == 1.0
    assert year == pytest.approx(0.75)
    assert W.declared_floor < decade < year
    assert declared_weight(None, NOW) == W.declared_floor > 0


def test_only_heavy_enough_evidence_enters_the_document_heaviest_first() -> None:
    items = (LearnedItem("oud", (), 0.2), LearnedItem("nieuw", (), 0.9), LearnedItem("x", (), 0.5))
    assert [i.text for i in counted_evidence(items, W)] == ["nieuw", "x"]
    many = tuple(LearnedItem(f"vraag {n}", (), 1.0) for n in range(W.learned_max_items + 5))
    assert len(counted_evidence(many, W)) == W.learned_max_items


def test_the_document_carries_evidence_its_leefgebieden_and_boosts() -> None:
    plain = expert_document(JONG, W)
    assert plain.fields["learned"] == "" and plain.boosts == {"tags": 1.0}
    taught = expert_document(dataclasses.replace(JONG, learned=learned(1.0)), W)
    assert "traplift" in taught.fields["learned"]
    assert taught.boosts["learned"] == 1.0  # three fresh answers: more than the full weight
    assert "wonen" in taught.leefgebieden  # three answers in wonen make it a leefgebied
    one = expert_document(dataclasses.replace(JONG, learned=learned(0.8, TRAPLIFT[:1])), W)
    assert one.boosts["learned"] == pytest.approx(0.4)
    assert "wonen" not in one.leefgebieden  # one answer is no domain
    stale = expert_document(dataclasses.replace(JONG, declared_weight=0.6), W)
    assert stale.boosts["tags"] == 0.6


def test_evidence_puts_an_outsider_on_the_topic_and_fading_takes_it_off() -> None:
    question = "Meneer heeft een traplift nodig, hoe gaat de aanvraag?"
    experts = [HUUR, JONG, GOK, ARAB]
    ranker = ExpertRanker(HashingEmbedder(), candidates=experts)
    assert ids(ranker, question)[0] != "m2"
    ranker.update([dataclasses.replace(JONG, learned=learned(1.0))])
    assert ids(ranker, question)[0] == "m2"
    ranker.update([dataclasses.replace(JONG, learned=learned(W.learned_min_weight - 0.01))])
    assert ranker.index.get("m2").fields["learned"] == ""  # type: ignore[union-attr]
    assert ids(ranker, question)[0] != "m2"


def test_stale_declared_tags_count_less_for_bm25() -> None:
    fresh = ExpertRanker(HashingEmbedder(), candidates=[GOK, HUUR, JONG])
    stale = ExpertRanker(
        HashingEmbedder(), candidates=[dataclasses.replace(GOK, declared_weight=0.5), HUUR, JONG]
    )
    question = "Hoe zet je iemand in Cruks?"
    lexical_fresh = fresh.rank(question, [], limit=1, method="lexical")[0]
    lexical_stale = stale.rank(question, [], limit=1, method="lexical")[0]
    assert lexical_fresh.member_id == lexical_stale.member_id == "m3"  # still the one to ask
    assert lexical_stale.score < lexical_fresh.score


@pytest.mark.parametrize(
    ("text", "needed"),
    [
        ("Mevrouw spreekt alleen Arabisch en heeft een huurachterstand.", {"arabisch"}),
        ("Tigrinya-talige vader zoekt een woning", {"tigrinya"}),
        ("Hij praat alleen Pools met ons", {"pools"}),
        ("Spreekt geen Nederlands en geen Turks, wel Koerdisch.", {"koerdisch"}),
        ("Engelstalige student met schulden", {"engels"}),
        # A nationality or a name is not a language need.
        ("Turkse meneer van 70 krijgt minder AOW", set()),
        ("Frans heeft schulden bij de Belastingdienst", set()),
    ],
)
def test_the_language_a_client_needs(text: str, needed: set[str]) -> None:
    assert languages_needed(text) == needed


def test_language_names_are_normalised() -> None:
    assert language_for("Papiamento") == "papiaments"
    assert language_for("Oekraïens") == "oekraiens"
    assert language_for("Klingon") is None


def test_a_language_the_client_needs_prefers_a_relevant_speaker() -> None:
    speaker = dataclasses.replace(ARAB, languages=("arabisch",))
    ranker = ExpertRanker(HashingEmbedder(), candidates=[HUUR, speaker, JONG, GOK])
    plain = "Mevrouw heeft een huurachterstand en er dreigt ontruiming."
    assert ids(ranker, plain)[0] == "m1"  # the better match without the language
    needs = "Mevrouw spreekt alleen Arabisch, heeft een huurachterstand en er dreigt ontruiming."
    ranked = ranker.rank(needs, [], limit=None)
    assert [r.member_id for r in ranked][0] == "m4"
    assert ranked[0].components["language"] == W.language_match
    assert "language" not in ranker.rank(plain, [], limit=1)[0].components
    # The language alone does not send a gambling question to the speaker.
    assert ids(ranker, "Meneer spreekt alleen Arabisch en gokt online, Cruks?")[0] == "m3"


def test_a_declined_often_expert_is_invited_less() -> None:
    twin = dataclasses.replace(ARAB, expertise=HUUR.expertise, tags=HUUR.tags, member_id="m5")
    decliner = dataclasses.replace(HUUR, accept_rate=0.0)
    ranker = ExpertRanker(HashingEmbedder(), candidates=[decliner, twin, JONG])
    ranked = ranker.rank("huurachterstand en ontruiming", [], limit=None)
    assert [r.member_id for r in ranked][:2] == ["m5", "m1"]
    assert ranked[1].components["accept_rate"] == -W.decline_penalty
    sometimes = dataclasses.replace(HUUR, accept_rate=0.5)
    ranker.update([sometimes])
    half = {r.member_id: r for r in ranker.rank("huurachterstand en ontruiming", [], limit=None)}
    assert half["m1"].components["accept_rate"] == pytest.approx(-W.decline_penalty / 2)


VOCABULARY = TagVocabulary(
    {"schulden": 3, "schuldhulpverlening": 1, "Wmo": 2, "huurachterstand": 1, "gokverslaving": 1}
)


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Schulden", "schulden"),  # case
        ("schuld", "schulden"),  # stem
        ("SHV", "schuldhulpverlening"),  # abbreviation (synonyms.csv)
        ("huurschuld", "huurachterstand"),  # synonym
        ("gokverslavng", "gokverslaving"),  # typo
        ("Pools", None),  # a new skill
        ("wmo aanvraag", None),  # more than the existing tag: a skill of its own
    ],
)
def test_a_new_tag_meets_the_existing_one(typed: str, canonical: str | None) -> None:
    assert VOCABULARY.canonical(typed) == canonical


def test_schulden_and_schuldhulp_are_one_skill() -> None:
    assert TagVocabulary({"schulden": 1}).canonical("schuldhulp") == "schulden"
    assert TagVocabulary({"schuldhulp": 1}).canonical("schulden") == "schuldhulp"


def test_suggestions_complete_and_read_descriptions() -> None:
    assert VOCABULARY.suggest("schul")[:2] == ["schulden", "schuldhulpverlening"]
    described = VOCABULARY.suggest("Ik help bij schulden, de Wmo en een huurachterstand")
    assert set(described) == {"schulden", "Wmo", "huurachterstand"}


def test_a_leefgebied_name_is_not_a_tag() -> None:
    assert leefgebied_of("Wonen") == "wonen"
    assert leefgebied_of("taal en leren") == "taal_en_leren"
    assert leefgebied_of("woonfraude") is None
