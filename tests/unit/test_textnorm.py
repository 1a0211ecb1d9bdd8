"""Dutch normalisation: the same words must meet whether typed in chat or written in full."""

from __future__ import annotations

from knowledge.textnorm import (
    DutchAnalyzer,
    SynonymGroup,
    clean_for_embedding,
    content_tokens,
    fold,
    load_synonyms,
    split_compound,
    stem,
    tokenize,
)


def test_fold_strips_accents_and_case() -> None:
    assert fold("Cliënt Suïcidaal") == "client suicidaal"


def test_tokenize_splits_hyphens_and_slashes() -> None:
    assert tokenize("POH-GGZ en MO/BW") == ["poh", "ggz", "en", "mo", "bw"]


def test_stop_words_and_chat_filler_are_dropped() -> None:
    assert content_tokens("Wie kan de klant helpen met de huur?") == ["huur"]


def test_singular_and_plural_share_a_stem() -> None:
    assert stem("schulden") == stem("schuld")
    assert stem("toeslagen") == stem("toeslag")
    assert stem("uitkeringen") == stem("uitkering")


def test_compound_is_split_against_the_lexicon() -> None:
    lexicon = {stem("huur"), stem("schuld"), stem("toeslag"), stem("opvang")}
    assert split_compound("huurschuld", lexicon) == (stem("huur"), stem("schuld"))
    assert split_compound("opvangtoeslag", lexicon) == (stem("opvang"), stem("toeslag"))
    assert split_compound("huishouden", lexicon) is None


def test_synonyms_file_has_the_core_abbreviations() -> None:
    keys = {group.key for group in load_synonyms()}
    assert {"hbh", "shv", "bw", "mo", "ggz", "wsnp", "wmo", "uwv", "lvb", "nah"} <= keys


def test_abbreviation_and_full_form_share_a_concept_term() -> None:
    analyzer = DutchAnalyzer()
    short = {term for term, _ in analyzer.terms("Mevr heeft HbH")}
    full = {term for term, _ in analyzer.terms("hulp bij het huishouden aanvragen")}
    assert "~hbh" in short & full


def test_related_terms_weigh_less_than_synonyms() -> None:
    groups = [
        SynonymGroup("x", ("alpha", "beta"), "synoniem"),
        SynonymGroup("y", ("gamma",), "verwant"),
    ]
    weights = dict(DutchAnalyzer(groups).terms("beta gamma"))
    assert weights["~x"] == 1.0
    assert weights["~y"] == 0.5


def test_expand_text_spells_out_abbreviations_for_the_embedder() -> None:
    expanded = DutchAnalyzer().expand_text("klant komt uit het BW")
    assert "beschermd wonen" in expanded
    assert DutchAnalyzer().expand_text("geen afkortingen hier") == "geen afkortingen hier"


def test_deidentification_placeholders_yield_no_tokens() -> None:
    text = "Casus mevr. [naam], [adres], BSN [BSN], tel [telefoonnummer], [e-mailadres]: huur"
    assert content_tokens(text) == ["bsn", "tel", "huur"]


def test_placeholders_are_dropped_from_the_embedding_text() -> None:
    assert clean_for_embedding("Casus [naam] (54), [adres] . Huur?") == "Casus (54),. Huur?"
    assert DutchAnalyzer().expand_text("[naam] wil HbH").startswith("wil HbH")


def test_square_brackets_around_real_text_are_not_placeholders() -> None:
    assert tokenize("zie [bijlage 2]") == ["zie", "bijlage", "2"]
