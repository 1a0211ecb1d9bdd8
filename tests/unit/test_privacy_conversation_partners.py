"""Who someone spoke with (knowledge/privacy/conversation_partners.py): a first name
between "met" and a verb of contact, even when it is also a word."""

from __future__ import annotations

import pytest

from knowledge.privacy.conversation_partners import find_conversation_partners


def _found(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_conversation_partners(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("vanmorgen met roos gesproken over de huur", "roos"),
        ("ik heb met kees gebeld", "kees"),
        ("morgen met fatma een afspraak", "fatma"),
    ],
)
def test_a_first_name_before_a_verb_of_contact(text: str, name: str) -> None:
    assert _found(text) == [name]


@pytest.mark.parametrize(
    "text",
    ["met spoed gebeld", "met hem gesproken", "met moeite contact gehad", "met roos naar huis"],
)
def test_manners_pronouns_and_other_verbs_give_no_name(text: str) -> None:
    assert _found(text) == []
