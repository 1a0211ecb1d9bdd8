"""E-mail addresses spelled letter by letter or with a number said after a word
(knowledge/privacy/emails.py), and a phone number dictated in English (spoken.py)."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.emails import find_emails
from knowledge.privacy.spoken import in_digits

_D = Deidentifier(use_deduce=False, use_learned=False)


def _kinds(text: str) -> dict[str, str]:
    return {span.original: span.kind for span in _D.deidentify(text).removed}


@pytest.mark.parametrize(
    ("text", "address"),
    [
        (
            "stuur naar pee punt ee es tee at hotmail punt com graag",
            "pee punt ee es tee at hotmail punt com",
        ),
        ("het is jee aa en at ziggo punt nl", "jee aa en at ziggo punt nl"),
    ],
)
def test_a_local_part_spelled_letter_by_letter(text: str, address: str) -> None:
    assert [text[h.start : h.end] for h in find_emails(text)] == [address]


def test_a_number_said_after_a_word_of_the_local_part() -> None:
    text = "mail: anna underscore berg zevenenzeventig at outlook punt com, dank"
    assert _kinds(text).get("anna underscore berg zevenenzeventig at outlook punt com") == "email"


def test_a_domain_said_in_two_words() -> None:
    text = "adres: piet punt de boer at ziggo mail punt nl"
    assert [text[h.start : h.end] for h in find_emails(text)] == [
        "piet punt de boer at ziggo mail punt nl"
    ]


def test_a_phone_number_dictated_in_english() -> None:
    said = "his number: zero six, two three, four five, six seven, eight nine"
    assert "0623456789" in in_digits(said).text
    assert "telefoon" in _kinds(said).values()


@pytest.mark.parametrize("text", ["one more thing", "we need two"])
def test_a_single_english_number_word_stays_a_word(text: str) -> None:
    assert in_digits(text).text == text
