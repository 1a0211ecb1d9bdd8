"""A street in lower case after a living cue and a preposition
(knowledge/privacy/lower_case_streets.py), and "wonend" as a living cue (addresses.py)."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.lower_case_streets import find_lower_case_streets

_D = Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("ze woont sinds kort op zonnehoeve 14 met haar zoon", "zonnehoeve 14"),
        ("hij woont aan de lindenhorst 7b", "lindenhorst 7b"),
        ("zijn verhuisd naar haverdijk 203", "haverdijk 203"),
        ("woont sinds 12 jaar op de zonnehoeve 9", "zonnehoeve 9"),  # a number in the cue
    ],
)
def test_a_lower_case_street_after_a_living_cue(text: str, address: str) -> None:
    assert [text[h.start : h.end] for h in find_lower_case_streets(text)] == [address]


@pytest.mark.parametrize(
    "text",
    [
        "ze woont op kamer 4 van de flat",  # a room: a Dutch word
        "hij woont op nummer 12",
        "ze woont al op zonnehoeve 3 jaar",  # a quantity
        "op zonnehoeve 14 is een buurthuis",  # no living cue
    ],
)
def test_words_quantities_and_uncued_streets_are_no_address(text: str) -> None:
    assert list(find_lower_case_streets(text)) == []


def test_wonend_is_a_living_cue() -> None:
    text = "mw Jansen, wonend Zonnehoeve 14, belde"
    removed = {s.original: s.kind for s in _D.deidentify(text).removed}
    assert removed.get("Zonnehoeve 14") == "adres"
