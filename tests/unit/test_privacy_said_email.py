"""E-mail addresses said aloud with the local part's signs by name (patterns._EMAIL_SPELLED):
underscore and hyphen, digits and name particles in the local part."""

from __future__ import annotations

import pytest

from knowledge.privacy.emails import find_emails


def _emails(text: str) -> list[str]:
    return [text[hit.start : hit.end] for hit in find_emails(text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "mail: j punt van dijk underscore bakker apenstaartje kpnmail punt nl graag",
            "j punt van dijk underscore bakker apenstaartje kpnmail punt nl",
        ),
        (
            "adres is sem laag streepje 2004 at gmail punt com dank",
            "sem laag streepje 2004 at gmail punt com",
        ),
        (
            "stuur naar noor koppelteken el amrani apenstaartje live punt nl",
            "noor koppelteken el amrani apenstaartje live punt nl",
        ),
        (
            "haar mail: bramdevries streepje 88 apenstaartje ziggo punt nl.",
            "bramdevries streepje 88 apenstaartje ziggo punt nl",
        ),
        (
            "ruud liggend streepje smit at xs4all punt nl",
            "ruud liggend streepje smit at xs4all punt nl",
        ),
    ],
)
def test_said_signs_in_the_local_part(text: str, address: str) -> None:
    assert address in _emails(text)


@pytest.mark.parametrize(
    "text",
    [
        "het streepje onder de regel at the moment punt",
        "zet een streepje bij de naam en stuur het door",
        "vijf min drie is twee",
    ],
)
def test_said_signs_without_an_address_stay(text: str) -> None:
    assert _emails(text) == []
