"""Signs of acute danger: caught in the words generalists use, silent on everyday questions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evaluation.routing import load_experts_csv
from knowledge.embedders import HashingEmbedder
from knowledge.index import SearchWeights
from knowledge.urgency import routing_text, signals_of, urgent_signals
from routing.rank import ExpertRanker, RankingWeights

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"
DEMO = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "demo" / "experts.csv"

SUICIDE = [
    "klant appt dat ze er een eind aan wil maken",
    "hij wil er een einde aan maken, wat nu?",
    "meneer zegt dat hij niet meer wil leven",
    "ze wil niet meer wakker worden",
    "mevrouw dreigt zichzelf iets aan te doen",
    "hij wil van de flat springen",
    "ze heeft net pillen ingenomen",
    "gedachten aan zelfdoding bij een jongere",
    "Suïcidale uitspraken van een cliënt",
    "hij wil zich van kant maken",
]
VIOLENCE = [
    "haar man slaat haar als hij gedronken heeft",
    "ex heeft haar met een mes bedreigd",
    "kind komt met blauwe plekken op school",
    "ze durft niet meer naar huis",
    "hij mishandelt zijn vrouw al jaren",
]
EVERYDAY = [
    "het huurcontract loopt ten einde, wat nu?",
    "aan het eind van de maand is er geen geld meer",
    "ze wil niet meer naar school",
    "ze wil niet meer verder met haar partner",
    "er komt geen eind aan de wachtlijst",
    "ze wil niet meer in dat huis leven",
    "de hond is dood en meneer is verdrietig",
    # Topic words without an acute event: ordinary questions for the Veilig Thuis expert.
    "wanneer meld ik een vermoeden van huiselijk geweld?",
    "hoe werkt de meldcode kindermishandeling?",
]


@pytest.mark.parametrize("text", SUICIDE)
def test_suicide_is_recognised_in_plain_words(text: str) -> None:
    assert [s.kind for s in urgent_signals(text)] == ["suicide"]


@pytest.mark.parametrize("text", VIOLENCE)
def test_domestic_violence_is_recognised(text: str) -> None:
    assert [s.kind for s in urgent_signals(text)] == ["geweld"]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_phrasings_raise_no_alarm(text: str) -> None:
    assert urgent_signals(text) == ()


def test_no_false_alarms_on_the_public_question_sets() -> None:
    """Every public question set (380 texts). Two speak of suicide: r008 ("er een eind aan
    wil maken") and a22 ("zegt dat ze 'niet meer wil leven' als grapje": a remark to ask
    about, which is what the advice says)."""
    alarms = []
    for name, field in (
        ("routing_dev.jsonl", "question"),
        ("socialmap_dev.jsonl", "query"),
        ("academy_dev.jsonl", "question"),
        ("registrations_dev.jsonl", "message"),
        ("privacy_dev.jsonl", "text"),
    ):
        for line in (EVAL / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if urgent_signals(case[field]):
                alarms.append(case["id"])
    assert alarms == ["r008", "a22"]


def test_the_advice_names_the_crisis_numbers() -> None:
    (suicide,) = urgent_signals("ze wil er een eind aan maken")
    (violence,) = urgent_signals("haar man slaat haar")
    assert "113" in suicide.advice and "112" in suicide.advice
    assert "0800-2000" in violence.advice and "Veilig Thuis" in violence.advice


def test_routing_text_adds_professional_terms_and_keeps_the_question() -> None:
    text = "klant wil er een eind aan maken"
    expanded = routing_text(text, urgent_signals(text))
    assert expanded.startswith(text) and "suïcidaliteit" in expanded
    assert routing_text("schulden", ()) == "schulden"


def test_a_euphemism_reaches_the_crisis_expert() -> None:
    """In the demo directory the crisis colleague's profile says "suïcidaliteit", never
    "eind aan maken"; the signal's terms and leefgebied put them first."""
    ranker = ExpertRanker(HashingEmbedder(), RankingWeights(), load_experts_csv(DEMO))
    crisis = {c.member_id for c in load_experts_csv(DEMO) if "suïcidaliteit" in c.tags}
    question = "klant appt dat ze er een eind aan wil maken, ze is alleen thuis"
    assert ranker.suggest_leefgebieden(question)[0][0] == "geestelijke_gezondheid"
    top = [r.member_id for r in ranker.rank(question, None, limit=3)]
    assert crisis & set(top)
    plain = [r.member_id for r in ranker.rank(question, None, limit=3, method="lexical")]
    assert not crisis & set(plain)  # the baselines read the plain question


def test_votes_follow_the_best_text_matches() -> None:
    """The leefgebied votes come from the fused ranking, so a rare exact term counts."""
    ranker = ExpertRanker(
        HashingEmbedder(), RankingWeights(search=SearchWeights()), load_experts_csv(DEMO)
    )
    votes = ranker.index.leefgebied_votes("wie kent de Wsnp en beschermingsbewind")
    assert max(votes, key=votes.__getitem__) == "geld"
    assert abs(sum(votes.values()) - 1.0) < 1e-9


def test_stored_signals_are_kept_and_old_questions_are_read_from_their_text() -> None:
    text = "Klant appt me net dat ze er een eind aan wil maken, ze is alleen thuis."
    assert [s.kind for s in signals_of(None, text)] == ["suicide"]  # stored before 0011
    assert signals_of((), text) == ()  # decided at intake: none (the data changed since)
    assert [s.kind for s in signals_of(("suicide",), "hoe werkt bewind?")] == ["suicide"]
