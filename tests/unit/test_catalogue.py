"""Catalogue items: validation with Dutch reasons, glossary expansion, and search behaviour
that does not depend on the language model (hashing embedder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.catalogue import (
    FileFormatError,
    InvalidRow,
    Module,
    Offer,
    load_modules_csv,
    load_offers_csv,
    module_from_row,
    offer_from_row,
)
from knowledge.catalogue_search import CatalogueSearch, CatalogueWeights
from knowledge.embedders import HashingEmbedder
from knowledge.glossary import glosses_in
from knowledge.index import Document, HybridIndex, IndexSchema, SearchWeights

ROW = {
    "offer_id": "o900",
    "organisation": "Buurtcentrum De Schakel",
    "name": "Taalcafé",
    "description": "Elke dinsdagavond oefenen met Nederlands praten.",
    "wijk": "Zuilen",
    "email": "taal@voorbeeld.nl",
    "url": "https://www.voorbeeld.nl/taal",
    "audience": "volwassenen;nieuwkomers",
    "leefgebieden": "Taal en leren",
}


def test_a_valid_row_becomes_an_offer_with_canonical_area_and_slugs() -> None:
    offer = offer_from_row({**ROW, "wijk": "zuilen"})
    assert offer.wijk == "Zuilen"
    assert offer.audience == ("volwassenen", "nieuwkomers")
    assert offer.leefgebieden == ("taal_en_leren",)


def test_an_empty_wijk_means_city_wide() -> None:
    assert offer_from_row({**ROW, "wijk": ""}).wijk == "Stad"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"wijk": "Amersfoort"}, "onbekende wijk"),
        ({"email": "geen-adres"}, "ongeldig e-mailadres"),
        ({"url": "javascript:alert(1)"}, "https://"),
        ({"name": " "}, "naam ontbreekt"),
        ({"leefgebieden": "Sterrenkunde"}, "onbekend leefgebied"),
        ({"offer_id": "o 1/2"}, "ongeldige offer_id"),
    ],
)
def test_a_bad_row_is_refused_with_a_dutch_reason(change: dict[str, str], reason: str) -> None:
    with pytest.raises(InvalidRow, match=reason):
        offer_from_row({**ROW, **change})


def test_a_module_needs_a_known_format() -> None:
    row = {"module_id": "b99", "title": "T", "format": "webinar", "description": "D"}
    with pytest.raises(InvalidRow, match="onbekende vorm"):
        module_from_row(row)
    assert module_from_row({**row, "format": "Training"}).format == "training"


def test_loading_reports_bad_and_repeated_rows_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "kaart.csv"
    header = ",".join(ROW)
    good = ",".join(f'"{v}"' for v in ROW.values())
    bad = good.replace('"Zuilen"', '"Atlantis"')
    path.write_text(f"{header}\n{good}\n{good}\n{bad.replace('o900', 'o901')}\n", "utf-8")
    offers, rejected = load_offers_csv(path)
    assert [o.offer_id for o in offers] == ["o900"]
    assert [(r.line, r.item_id) for r in rejected] == [(3, "o900"), (4, "o901")]
    assert "twee keer" in rejected[0].reason and "Atlantis" in rejected[1].reason


def test_a_file_without_the_required_columns_is_refused_as_a_whole(tmp_path: Path) -> None:
    path = tmp_path / "modules.csv"
    path.write_text("module_id,title\nb1,Titel\n", "utf-8")
    with pytest.raises(FileFormatError, match="format, description"):
        load_modules_csv(path)


def test_glosses_are_found_in_running_text() -> None:
    found = glosses_in("Training over Psychose en trauma voor generalisten.")
    assert any("horen of zien" in g for g in found)
    assert glosses_in("Een gewone zin zonder vaktaal.") == []


def _offer(offer_id: str, name: str, description: str, wijk: str) -> Offer:
    return Offer(offer_id, "Organisatie", name, description, wijk)


def test_offers_near_the_asker_come_first_but_city_wide_offers_stay() -> None:
    search = CatalogueSearch(HashingEmbedder())
    search.load(
        offers=[
            _offer("o1", "Taalcafé Lunetten", "Nederlands oefenen in een taalcafé.", "Lunetten"),
            _offer("o2", "Taalcafé Zuilen", "Nederlands oefenen in een taalcafé.", "Zuilen"),
            _offer("o3", "Taalcafé Stad", "Nederlands oefenen in een taalcafé.", "Stad"),
        ]
    )
    near_zuilen = search.find_offers("taalcafé nederlands oefenen", area="Zuilen")
    assert [m.offer.offer_id for m in near_zuilen][:2] in (["o2", "o3"], ["o3", "o2"])
    assert near_zuilen[-1].offer.offer_id == "o1"
    assert near_zuilen[0].components["area"] > 0


def test_nothing_is_shown_when_nothing_clears_the_floor() -> None:
    strict = CatalogueWeights(offer_min_cosine=1.1, offer_min_bm25=1000.0)
    search = CatalogueSearch(HashingEmbedder(), strict)
    search.load(offers=[_offer("o1", "Taalcafé", "Nederlands oefenen.", "Stad")])
    assert search.find_offers("taalcafé") == []
    assert len(search.find_offers("taalcafé", relevant_only=False)) == 1


def test_loading_again_replaces_withdrawn_items_and_embeds_only_changes() -> None:
    from tests.fakes.embedders import CountingEmbedder

    embedder = CountingEmbedder()
    search = CatalogueSearch(embedder)
    modules = [
        Module("b1", "Budgetvaardig", "training", "Leer budgetteren met klanten."),
        Module("b2", "Dementie herkennen", "e-learning", "Signalen van dementie."),
    ]
    assert search.load(modules=modules) > 0
    before = embedder.passages
    assert search.load(modules=modules) == 0
    changed = [modules[0], Module("b2", "Dementie herkennen", "training", "Nieuwe tekst.")]
    search.load(modules=changed[1:])
    assert search.module_index.ids() == ["b2"]
    assert 0 < embedder.passages - before <= 3


def test_the_hub_penalty_pulls_down_a_document_close_to_every_background_text() -> None:
    schema = IndexSchema({"text": 1.0}, ("text",))
    background = ["hulp bij geld", "hulp bij wonen", "hulp bij werk", "hulp bij taal"]
    documents = [
        Document("hub", {"text": "hulp bij geld wonen werk taal en nog veel meer"}),
        Document("taal", {"text": "taal oefenen met nederlands praten"}),
    ]
    plain = HybridIndex(HashingEmbedder(), schema, SearchWeights(), background=background)
    corrected = HybridIndex(
        HashingEmbedder(), schema, SearchWeights(hub_penalty=2.0), background=background
    )
    for index in (plain, corrected):
        index.add(documents)
    query = "hulp bij taal"
    hub_plain = plain.search(query, method="hybrid")[0].doc_id
    hub_corrected = corrected.search(query, method="hybrid")[0].doc_id
    assert corrected.hubness()[0] > corrected.hubness()[1]
    assert (hub_plain, hub_corrected) == ("hub", "taal")
    # the dense baseline stays plain: the correction belongs to the hybrid method
    assert (
        corrected.search(query, method="dense")[0].doc_id
        == plain.search(query, method="dense")[0].doc_id
    )
