"""Organisation words, house names, titles of activities, hyphenated postcodes, grouped
BSNs and cellar/attic additions: the mechanisms of this round, on texts written for them."""

from __future__ import annotations

import pytest

from knowledge.privacy.deidentifier import Deidentifier
from knowledge.privacy.patterns import find_bsn
from knowledge.privacy.postcodes import find_postcodes


@pytest.fixture(scope="module")
def rules() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("mevr Jansen Voedselbank pakket", "Voedselbank", "Jansen"),
        ("dhr Visser Stadsbank beheer loopt", "Stadsbank", "Visser"),
        ("mw Bakker WMO-loket traplift", "WMO-loket", "Bakker"),
    ],
)
def test_organisation_word_is_cut_from_a_name(
    rules: Deidentifier, text: str, kept: str, gone: str
) -> None:
    result = rules.deidentify(text).text
    assert kept in result
    assert gone not in result


def test_a_surname_ending_like_an_organisation_word_stays_a_name(rules: Deidentifier) -> None:
    assert "jagroep" not in rules.deidentify("mw anita jagroep belde").text


@pytest.mark.parametrize(
    "text",
    [
        "kan zij naar Samen Sterk op woensdag?",
        "is Villa Zonneschijn nog open voor nieuwe bewoners?",
        "het Huis van Hoop in de wijk heeft inloop",
    ],
)
def test_titles_and_house_names_are_kept(rules: Deidentifier, text: str) -> None:
    assert rules.deidentify(text).text == text


def test_two_capitalised_words_with_a_known_name_are_still_a_person(rules: Deidentifier) -> None:
    assert "Visser" not in rules.deidentify("gisteren belde Karin Visser weer").text


def test_hyphenated_postcode_after_an_address() -> None:
    text = "woont Kerkstraat 12 a 3511-ab sinds mei"
    assert [text[h.start : h.end] for h in find_postcodes(text)] == ["3511-ab"]


def test_hyphenated_letters_without_an_address_are_no_postcode() -> None:
    assert list(find_postcodes("tussen 2000-ab en later")) == []


def test_bsn_in_dotted_groups_after_a_date() -> None:
    text = "geboren 01-01-1980 1112.22.333 klopt"  # 111222333 passes the eleven test
    assert [text[h.start : h.end] for h in find_bsn(text)] == ["1112.22.333"]


def test_dotted_groups_failing_the_eleven_test_are_no_bsn() -> None:
    assert list(find_bsn("code 1112.22.334 in het systeem")) == []


@pytest.mark.parametrize("floor", ["kelder", "zolder"])
def test_cellar_and_attic_belong_to_the_address(rules: Deidentifier, floor: str) -> None:
    result = rules.deidentify(f"ze woont Lange Nieuwstraat 8 {floor} sinds kort")
    assert any(s.kind == "adres" and s.original.endswith(floor) for s in result.removed)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("schrijf naar kees_bos71 @ hotmail . com graag", "kees_bos71 @ hotmail . com"),
        ("mail: j.de.wit @ ziggo . nl", "j.de.wit @ ziggo . nl"),
    ],
)
def test_email_with_spaced_signs(text: str, address: str) -> None:
    from knowledge.privacy.emails import find_emails

    assert [text[h.start : h.end] for h in find_emails(text)] == [address]


@pytest.mark.parametrize("date", ["4okt1961", "23jan1950", "7 mei1977"])
def test_date_with_a_month_name_and_no_separators(rules: Deidentifier, date: str) -> None:
    result = rules.deidentify(f"geboortedatum {date} volgens de brief")
    assert [s.original for s in result.removed if s.kind == "geboortedatum"] == [date]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Yilmaz, K. wacht op antwoord", "Yilmaz, K."),
        ("dossier van der Berg, A.M. dicht", "van der Berg, A.M."),
    ],
)
def test_surname_comma_initials_is_a_name(text: str, name: str) -> None:
    from knowledge.privacy.initials import find_register_names

    assert [text[h.start : h.end] for h in find_register_names(text)] == [name]


@pytest.mark.parametrize("text", ["in Utrecht, J. belde", "Zorg, A. en B. samen"])
def test_a_place_or_word_before_initials_is_no_register_name(text: str) -> None:
    from knowledge.privacy.initials import find_register_names

    assert list(find_register_names(text)) == []


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("bel 06 4 4 1 2 7 7 3 0 9 morgen", "06 4 4 1 2 7 7 3 0 9"),
        ("mob 06 123 45 67", "06 123 45 67"),
    ],
)
def test_mistyped_mobile_number(text: str, number: str) -> None:
    from knowledge.privacy.cued_phones import find_cued_phones

    assert [text[h.start : h.end] for h in find_cued_phones(text)] == [number]


@pytest.mark.parametrize("text", ["op 06-12-2020 kwam ze", "sinds 06 12 2020"])
def test_a_date_starting_with_06_is_no_mobile(text: str) -> None:
    from knowledge.privacy.cued_phones import find_cued_phones

    assert list(find_cued_phones(text)) == []
