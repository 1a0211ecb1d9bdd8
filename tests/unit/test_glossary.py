from __future__ import annotations

import csv
from importlib import resources

from knowledge.embedders import HashingEmbedder
from knowledge.glossary import glossary, glosses
from routing.rank import ExpertCandidate, ExpertRanker


def test_every_glossary_row_has_a_term_and_an_explanation() -> None:
    text = resources.files("knowledge").joinpath("data/glossary.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == len(glossary()) >= 100  # no duplicate terms
    assert all(r["term"].strip() and len(r["plain"].split()) >= 3 for r in rows)


def test_glosses_are_found_case_insensitively_in_order_without_repeats() -> None:
    found = glosses(["WSNP", "onbekend woord", "Cruks", "wsnp"])
    assert len(found) == 2
    assert "rechter" in found[0] and "gokken" in found[1]


def test_a_plain_language_question_reaches_the_expert_through_the_gloss() -> None:
    jargon = ExpertCandidate("m1", "Zuilen", "Ik ken de regels rond Cruks.", ("cruks",), ())
    other = ExpertCandidate("m2", "Zuilen", "Ik help bij de aanvraag.", ("formulieren",), ())
    ranker = ExpertRanker(HashingEmbedder(), candidates=[jargon, other])
    ranked = ranker.rank("Hij wil zich laten uitsluiten van het casino", [])
    assert ranked[0].member_id == "m1"
    assert ranked[0].components["lexical"] > ranked[1].components["lexical"]
