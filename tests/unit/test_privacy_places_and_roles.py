"""What stays and what goes around places and roles: a town after "in"/"naar" (deduce's
gazetteer), a street named as where something is (no house number), a business named after
its founder after "de", and a name after a role word ("aanspreekpunt is …")."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, use_learned=False, max_birth_year=2012)


@pytest.mark.parametrize(
    "text",
    [
        "haar broer woont in Tilburg en komt af en toe langs",
        "ze verhuist naar Amersfoort, kan het dossier mee?",
        "de afspraak is op het kantoor aan de Biltstraat, 3e verdieping",
        "zullen we afspreken bij de bibliotheek op de Neude of aan de Vleutenseweg?",
        "hij zat bij de Albert Heijn aan de Kanaalweg en had geen pinpas",
    ],
)
def test_places_without_a_person_stay(deid: Deidentifier, text: str) -> None:
    assert deid.deidentify(text).text == text


def test_a_street_with_a_house_number_is_still_an_address(deid: Deidentifier) -> None:
    result = deid.deidentify("kantoor aan de Biltstraat, maar ze woont op de Biltstraat 12")
    assert [s.original for s in result.removed if s.kind == "adres"] == ["Biltstraat 12"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("aanspreekpunt is Bogdan, hij spreekt wat Engels", "Bogdan"),
        ("contactpersoon: Ilse van het wijkteam", "Ilse"),
        ("contactpersoon is Mirela, +40 721 234 567", "Mirela"),
    ],
)
def test_a_name_after_a_role_word(deid: Deidentifier, text: str, name: str) -> None:
    assert name in [s.original for s in deid.deidentify(text).removed if s.kind == "persoon"]
