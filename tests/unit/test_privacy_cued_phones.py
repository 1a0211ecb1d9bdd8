"""Phone numbers without their trunk prefix after a phone cue
(knowledge/privacy/cued_phones.py): eight digits (a mobile number without 06) or nine."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.cued_phones import find_cued_phones

_D = Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("mobiel: 23456789 graag terugbellen", "23456789"),
        ("tel 2345 6789", "2345 6789"),
        ("telefoonnummer is 301234567", "301234567"),
    ],
)
def test_a_number_after_a_phone_cue_is_a_phone_number(text: str, number: str) -> None:
    assert [text[h.start : h.end] for h in find_cued_phones(text)] == [number]


def test_a_dictated_mobile_number_without_06_is_removed() -> None:
    text = "Piet, tel drie vier vijf zes zeven acht negen een, na vijf uur"
    kinds = [s.kind for s in _D.deidentify(text).removed]
    assert "telefoon" in kinds


@pytest.mark.parametrize(
    "text",
    [
        "dossier 23456789 is gesloten",
        "tel 1234567 klopt niet",  # seven digits: no subscriber number
        "tel 0612345678",  # the ordinary detector's case, not this one
    ],
)
def test_no_cue_or_no_subscriber_length_is_no_cued_phone(text: str) -> None:
    assert list(find_cued_phones(text)) == []
