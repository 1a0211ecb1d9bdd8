"""Contacts that reach an organisation stay (knowledge/privacy/organisation_contacts.py): RFC
2142 role mailboxes and Dutch role words, the numbering plan's service numbers whichever
detector found them, and a landline called an organisation's general number; a personal
mailbox or a mobile number is removed as before."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.model import Hit
from knowledge.privacy.organisation_contacts import (
    is_general_number,
    is_role_mailbox,
    reaches_organisation,
)

_D = Deidentifier(use_deduce=False, use_learned=False)


def _kinds(text: str) -> dict[str, str]:
    return {span.original: span.kind for span in _D.deidentify(text).removed}


@pytest.mark.parametrize(
    "address",
    [
        "info@wijkcentrum-zuid.nl",
        "postmaster@gemeente.example",
        "support@leverancier.com",
        "secretariaat@voedselbank.nl",
        "aanmelden@taalhuis.nl",
        "no-reply@portaal.nl",
    ],
)
def test_role_mailboxes_name_a_function(address: str) -> None:
    assert is_role_mailbox(address)


@pytest.mark.parametrize(
    "address",
    [
        "p.devries@gmail.com",
        "fleurbakker@hotmail.com",  # a first name and a surname run together
        "kees88@live.nl",
        "m.bakker@stichting.nl",
        "yusuf@ziggo.nl",
        "klant@example.nl",  # a plain word is no role: it may be anyone's choice
        "zonnetje@voorbeeld.nl",
        "info@gmail.com",  # a role word at a consumer provider is somebody's own
        "contact@hotmail.nl",
    ],
)
def test_personal_mailboxes_are_no_role_mailboxes(address: str) -> None:
    assert not is_role_mailbox(address)


def test_a_role_mailbox_stays_and_a_personal_one_goes() -> None:
    text = "mail info@wijkcentrum-zuid.nl of haar eigen adres p.devries@gmail.com"
    kinds = _kinds(text)
    assert "info@wijkcentrum-zuid.nl" not in kinds
    assert kinds["p.devries@gmail.com"] == "email"


@pytest.mark.parametrize(
    "text",
    [
        "het algemene nummer van de huurdersvereniging is 030 - 555 12 12",
        "Stichting Voorbeeld, 010-4445566 (algemeen nr)",
        "hun hoofdnummer 020 123 45 67 werkt niet",
    ],
)
def test_a_landline_called_a_general_number_stays(text: str) -> None:
    assert "telefoon" not in _kinds(text).values()


def test_a_mobile_number_is_never_a_general_number() -> None:
    text = "haar eigen mobiel 06-12 34 56 78, niet het algemene nummer"
    assert "telefoon" in _kinds(text).values()
    start = text.index("06")
    assert not is_general_number(text, start, start + len("06-12 34 56 78"))


def test_without_a_cue_a_landline_is_removed() -> None:
    assert "telefoon" in _kinds("zijn vaste nummer is 030 - 555 12 12").values()


def test_a_number_of_a_protected_organisation_stays() -> None:
    text = "wat is het nummer van de Voedselbank? ik heb 030 - 555 12 12"
    org = text.index("Voedselbank")
    number = text.index("030")
    protected = [(org, org + len("Voedselbank"))]
    assert is_general_number(text, number, len(text), protected)


@pytest.mark.parametrize("number", ["0800-1234", "0900 4321", "0800 0123456", "+31 800 1234"])
def test_service_numbers_reach_an_organisation_from_any_detector(number: str) -> None:
    text = f"bel {number} voor hulp"
    start = text.index(number)
    assert reaches_organisation(text, Hit(start, start + len(number), "telefoon"), [])
