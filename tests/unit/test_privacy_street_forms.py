"""Street and house-number forms (knowledge/privacy/addresses.py): PostNL's abbreviated floors,
Roman-numeral floors, side abbreviations, names with initials, titles, articles or particles,
the BAG's berths and pitches, a street without a head word after a living cue, a street
repeated with another number, and a street that shares its name with a protected
neighbourhood. Made-up examples, not from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.addresses import find_addresses


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


def addresses(text: str) -> set[str]:
    return {text[h.start : h.end] for h in find_addresses(text)}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("hij woont Populierlaan 7 bov, met trap", "Populierlaan 7 bov"),
        ("Populierlaan 7 bov. sinds mei", "Populierlaan 7 bov."),
        ("Populierlaan 7 ben en de buren", "Populierlaan 7 ben"),
        ("Mariaplaats 3-III, deur rechts", "Mariaplaats 3-III"),
        ("Mariaplaats 3 IV sinds kort", "Mariaplaats 3 IV"),
        ("Mariaplaats 3 bis", "Mariaplaats 3 bis"),
        ("Stadsbuitengracht W.Z. 19 is het", "Stadsbuitengracht W.Z. 19"),
        ("Kromme Rijnkade N.Z. 4a", "Kromme Rijnkade N.Z. 4a"),
        ("adres: havenkade z.z. 8", "havenkade z.z. 8"),
        ("post naar J.C. Sterkstraat 14", "J.C. Sterkstraat 14"),
        ("het is a.b. de graafflaan 6 geloof ik", "a.b. de graafflaan 6"),
        ("adres sint.-pieterstraat 3", "sint.-pieterstraat 3"),
        ("ze woont op de professor bronkhorstlaan 10", "professor bronkhorstlaan 10"),
        ("aan de Vecht bij de Zeedijk ligplaats 22", "Zeedijk ligplaats 22"),
        ("camping, Boslaan standplaats 31", "Boslaan standplaats 31"),
        ("ze wonen sinds maart op Vredenburg 40", "Vredenburg 40"),
        ("woont op de ter meulenstraat 2", "ter meulenstraat 2"),
    ],
)
def test_street_forms(text: str, address: str) -> None:
    assert address in addresses(text)


def test_a_street_found_once_is_an_address_again_with_another_number() -> None:
    text = "woont Zonnehof 3? nee wacht, Zonnehof 33"
    assert {"Zonnehof 3", "Zonnehof 33"} <= addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "we zagen elkaar aan de Kanaalstraat, en ik ben 2 keer geweest",
        "de brug 3 keer over",
        "Populierlaan 7 ben ik niet geweest",
        "hij woont al 3 jaar in Zuilen",
        "de vergadering van zaal 3",
    ],
)
def test_no_address(text: str) -> None:
    assert not any(any(c.isdigit() for c in a) and "laan 7 ben" in a for a in addresses(text))
    assert "Populierlaan 7 ben" not in addresses(text)


def test_street_article_is_kept_with_the_name(deid: Deidentifier) -> None:
    removed = [s.original for s in deid.deidentify("hij woont op 't Zand 9 met zijn hond").removed]
    assert "'t Zand 9" in removed


def test_a_protected_neighbourhood_followed_by_a_number_is_a_street(deid: Deidentifier) -> None:
    # "Lombok" names a neighbourhood (protected) and a street: with a number it is the street.
    text = "mevrouw woont Lombok 12 en gaat naar de buurtkamer in Lombok"
    result = deid.deidentify(text)
    spans = [s.original for s in result.removed if s.kind == "adres"]
    assert any("12" in s for s in spans)
    assert result.text.endswith("in Lombok")
