"""HybridIndex behaviour with the hashing embedder: signals, baselines and incremental updates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from knowledge.embedders import HashingEmbedder
from knowledge.index import Document, HybridIndex, IndexSchema, SearchWeights
from knowledge.passage_vectors import PassageVectors
from tests.fakes.embedders import CountingEmbedder

SCHEMA = IndexSchema(lexical_fields={"text": 1.0, "tags": 1.5}, passage_fields=("text", "tags"))

DOCS = [
    Document(
        "hbh", {"text": "Ik coördineer de aanvragen voor HbH.", "tags": "HbH;Wmo"}, ("huishouden",)
    ),
    Document(
        "shv",
        {"text": "Intakes voor schuldhulpverlening en saneringskrediet.", "tags": "schulden"},
        ("geld",),
    ),
    Document(
        "bw",
        {"text": "Uitstroom uit beschermd wonen naar een eigen woning.", "tags": "BW"},
        ("wonen",),
    ),
    Document(
        "gok", {"text": "Gokken, online casino en Cruks.", "tags": "gokken"}, ("verslaving", "geld")
    ),
]


def build(embedder: HashingEmbedder | None = None) -> HybridIndex:
    index = HybridIndex(embedder or HashingEmbedder(), SCHEMA)
    index.add(DOCS)
    return index


def test_synonym_expansion_finds_hbh_doc_for_full_phrase() -> None:
    hits = build().search("hulp bij het huishouden", method="lexical")
    assert hits[0].doc_id == "hbh"
    assert hits[0].components["lexical"] > 0


def test_typo_is_caught_by_the_fuzzy_signal() -> None:
    hits = build().search("schuldhulpverlenign")
    assert hits[0].doc_id == "shv"
    assert hits[0].components["fuzzy"] > 0


def test_leefgebied_prior_breaks_a_tie() -> None:
    index = build()
    plain = {h.doc_id: h.score for h in index.search("vraag", limit=None)}
    hinted = {h.doc_id: h.score for h in index.search("vraag", leefgebieden=["wonen"], limit=None)}
    assert hinted["bw"] - plain["bw"] > hinted["shv"] - plain["shv"]


def test_components_add_up_to_the_score() -> None:
    for hit in build().search("gokschulden en casino", leefgebieden={"geld": 1.0}):
        assert abs(sum(hit.components.values()) - hit.score) < 1e-9
        assert set(hit.components) == {"dense", "lexical", "fuzzy", "leefgebied"}


def test_baselines_use_one_signal_each() -> None:
    index = build()
    assert set(index.search("Cruks", method="lexical")[0].components) == {"lexical"}
    assert set(index.search("Cruks", method="dense")[0].components) == {"dense"}


def test_ranking_is_deterministic() -> None:
    first = [(h.doc_id, h.score) for h in build().search("woning en schulden", limit=None)]
    second = [(h.doc_id, h.score) for h in build().search("woning en schulden", limit=None)]
    assert first == second


def test_only_changed_documents_are_re_embedded() -> None:
    embedder = CountingEmbedder()
    index = build(embedder)
    before = embedder.passages
    assert index.add([DOCS[0]]) == 0
    changed = Document("hbh", {"text": "Nu ook schoonmaakondersteuning.", "tags": "HbH"}, ())
    assert index.add([changed]) > 0
    assert embedder.passages > before
    assert index.get("hbh") == changed


def test_remove_and_filters() -> None:
    index = build()
    index.remove(["gok"])
    assert "gok" not in index and len(index) == 3
    hits = index.search("schulden", exclude={"shv"}, allowed=lambda d: d.doc_id != "bw", limit=None)
    assert [h.doc_id for h in hits] == ["hbh"]


def test_leefgebied_votes_form_a_distribution() -> None:
    votes = build().leefgebied_votes("online casino gokken")
    assert abs(sum(votes.values()) - 1.0) < 1e-9
    assert max(votes, key=votes.__getitem__) in {"verslaving", "geld"}


def test_empty_index_returns_nothing() -> None:
    assert HybridIndex(HashingEmbedder(), SCHEMA, SearchWeights()).search("iets") == []


def _pooled_reference(
    index: HybridIndex, query: str, docs: Sequence[Document] = DOCS
) -> list[float]:
    """The per-document pooling written out plainly, to pin the vectorised version to it."""
    vector = index.embedder.embed_queries([index._analyzer.expand_text(query)])[0]
    w = index.weights
    scores = []
    for doc_id in sorted(d.doc_id for d in docs if d.doc_id in index):
        sims = (index.passage_vectors(doc_id) @ vector).astype(np.float64)
        parts = sims[1:] if len(sims) > 1 else sims
        soft = np.exp((parts - parts.max()) / w.passage_temperature)
        pooled = float((soft * parts).sum() / soft.sum())
        scores.append(w.whole_document_share * sims[0] + (1 - w.whole_document_share) * pooled)
    return scores


def test_vectorised_dense_pooling_matches_the_per_document_formula() -> None:
    index = build()
    for query in ("gokschulden en casino", "hulp bij het huishouden", "woning"):
        np.testing.assert_allclose(index.dense_scores(query), _pooled_reference(index, query))
    index.remove(["bw"])
    index.add([Document("bw", {"text": "Kort.", "tags": ""}, ("wonen",))])  # one passage
    np.testing.assert_allclose(index.dense_scores("woning"), _pooled_reference(index, "woning"))


def test_a_passage_text_is_embedded_and_held_once_however_many_documents_share_it() -> None:
    """Shared passages (an organisation's name, "gratis") are one row; the scores stay equal to
    the per-document formula; texts no document uses any more leave the matrix."""
    index = build()
    counting = CountingEmbedder()
    shared = HybridIndex(counting, SCHEMA)
    docs = [
        Document("o1", {"text": "Inloopspreekuur voor formulieren.", "tags": "gratis"}, ()),
        Document("o2", {"text": "Hulp bij schulden en post.", "tags": "gratis"}, ()),
        Document("o3", {"text": "Inloopspreekuur voor formulieren.", "tags": "geld"}, ()),
    ]
    embedded = shared.add(docs)
    distinct = {t for d in docs for t in shared.passages_for(d)}
    assert embedded == len(distinct) == counting.passages
    assert len(shared._dense_matrix().vectors) == len(distinct)
    np.testing.assert_allclose(
        shared.dense_scores("formulieren"), _pooled_reference(shared, "formulieren", docs)
    )
    assert shared.add(docs) == 0  # nothing new: nothing embedded
    shared.remove(["o2"])
    kept = {t for d in docs if d.doc_id != "o2" for t in shared.passages_for(d)}
    assert len(shared._dense_matrix().vectors) == len(kept)
    np.testing.assert_allclose(
        shared.dense_scores("schulden"), _pooled_reference(shared, "schulden", docs)
    )
    # And on the plain index: an update keeps every score on the per-document formula.
    index.add([Document("bw", {"text": "Budgetcoaching bij schulden.", "tags": "geld"}, ())])
    np.testing.assert_allclose(index.dense_scores("schulden"), _pooled_reference(index, "schulden"))


def test_document_without_text_scores_zero_instead_of_failing() -> None:
    index = build()
    index.add([Document("leeg", {"text": "", "tags": ""}, ())])
    hits = {h.doc_id: h for h in index.search("schulden", limit=None)}
    assert hits["leeg"].components["dense"] == 0.0


def test_leefgebied_scores_are_the_covered_share_of_the_weight() -> None:
    index = build()
    scores = dict(
        zip(
            sorted(d.doc_id for d in DOCS),
            index.leefgebied_scores({"geld": 3.0, "wonen": 1.0, "onbekend": 1.0}),
            strict=True,
        )
    )
    assert scores == {"bw": 0.2, "gok": 0.6, "hbh": 0.0, "shv": 0.6}


def test_placeholders_do_not_match_documents() -> None:
    index = build()
    index.add(
        [Document("adres", {"text": "Adreswijziging en naamswijziging.", "tags": "adres"}, ())]
    )
    hits = index.search("[naam] op [adres]", method="lexical", limit=None)
    assert all(h.components["lexical"] == 0.0 for h in hits)


def test_a_rejected_batch_of_passage_vectors_leaves_the_store_as_it_was() -> None:
    store = PassageVectors(dim=2)
    store.add(["a"], np.ones((1, 2), dtype=np.float32))
    for texts in (["b", "a"], ["c", "c"]):  # one already held; one twice in the batch
        with pytest.raises(ValueError):
            store.add(texts, np.ones((2, 2), dtype=np.float32))
    assert len(store) == 1
    assert store.missing(["a", "b", "c"]) == ["b", "c"]
