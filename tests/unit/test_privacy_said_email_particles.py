"""Dictated e-mail addresses whose local part holds a name with particles
(knowledge/privacy/patterns.py). Made-up addresses."""

from __future__ import annotations

import pytest

from knowledge.privacy.emails import find_emails


def emails(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_emails(text)]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "mail naar sanne punt van der wal apenstaartje ziggo punt nl",
            "sanne punt van der wal apenstaartje ziggo punt nl",
        ),
        ("zijn mail: el amrani punt k at hotmail punt com", "el amrani punt k at hotmail punt com"),
        ("kan via ten brink apenstaartje kpn punt nl", "ten brink apenstaartje kpn punt nl"),
    ],
)
def test_particles_in_a_dictated_local_part(text: str, address: str) -> None:
    assert emails(text) == [address]


def test_words_before_the_name_stay() -> None:
    assert emails("stuur het naar de vries at gmail punt com") == ["de vries at gmail punt com"]
    assert emails("het mailadres van de school staat op de site") == []
