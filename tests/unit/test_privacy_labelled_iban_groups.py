"""A labelled IBAN with the wrong number of digits (knowledge/privacy/iban.py) is read by
whole groups: a group is never cut in two, and a word after it is not swallowed."""

from __future__ import annotations

import pytest

from knowledge.privacy.iban import find_iban


def _found(text: str) -> list[str]:
    return [text[h.start : h.end] for h in find_iban(text)]


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("rekeningnummer NL12 ABCD 0123 4567 891 klopt dat?", "NL12 ABCD 0123 4567 891"),
        ("iban NL12 ABCD 0123 4567 8 en verder", "NL12 ABCD 0123 4567 8"),
        ("reknr: NL12ABCD01234567 graag", "NL12ABCD01234567"),
        ("iban DE12 3456 7890 1234 5678 901 voor de huur", "DE12 3456 7890 1234 5678 901"),
    ],
)
def test_a_labelled_iban_shape_is_read_by_whole_groups(text: str, iban: str) -> None:
    assert _found(text) == [iban]


def test_without_a_label_a_bad_iban_shape_stays() -> None:
    assert _found("code NL12 ABCD 0123 4567 891 voor de actie") == []
