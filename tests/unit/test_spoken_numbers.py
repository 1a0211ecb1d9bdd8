"""Numbers said in words (knowledge/number_words.py) and a dictated message with its numbers
in digits for the detectors (knowledge/privacy/spoken.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.number_words import value_of
from knowledge.privacy import Deidentifier
from knowledge.privacy.spoken import in_digits


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("nul", 0),
        ("Één", 1),
        ("elf", 11),
        ("achtentwintig", 28),
        ("drieënzestig", 63),
        ("drieenzestig", 63),  # a phone drops the diaeresis
        ("honderdzeven", 107),
        ("negentienhonderdzeventig", 1970),
        ("negentienzeventig", 1970),
        ("negentiendrieënzestig", 1963),
        ("tweeduizendvijf", 2005),
        ("dertigduizend", 30000),
    ],
)
def test_a_dutch_numeral_is_read_by_its_grammar(word: str, value: int) -> None:
    assert value_of(word) == value


@pytest.mark.parametrize("word", ["mei", "hoop", "tienen", "honderden", "twintigste", ""])
def test_a_word_that_is_no_numeral_has_no_value(word: str) -> None:
    assert value_of(word) is None


@pytest.mark.parametrize(
    ("said", "typed"),
    [
        ("geboren twaalf maart negentienzeventig", "geboren 12 maart 1970"),
        ("geboren drie maart negentien negenenveertig", "geboren 3 maart 1949"),
        ("tel nul zes twee vier vijf zes zeven acht negen nul", "tel 0624567890"),
        ("bel nul zes twaalf vierendertig zesenvijftig achtenzeventig", "bel 0612345678"),
        ("geboren in tweeduizend en twee", "geboren in 2002"),
        ("ze heeft een zoon en drie dochters", "ze heeft een zoon en 3 dochters"),
        ("nummer achtentwintig", "nummer 28"),
        ("geboren op de dertiende mei negentien zesenveertig", "geboren op de 13 mei 1946"),
        ("woont Tweede Daalsedijk, de tweede keer", "woont Tweede Daalsedijk, de tweede keer"),
    ],
)
def test_spoken_numbers_are_written_in_digits(said: str, typed: str) -> None:
    assert in_digits(said).text == typed


@given(
    st.lists(
        st.sampled_from(
            [
                "mw",
                "geboren",
                "drie",
                "een",
                "nul",
                "zes",
                "negentien",
                "tachtig",
                "maart",
                "tweeduizend",
                "en",
                "achtentwintig",
                "straat",
                "😬",
            ]
        ),
        max_size=14,
    )
)
def test_every_rewritten_number_maps_back_to_the_words_it_came_from(words: list[str]) -> None:
    said = " ".join(words)
    spoken = in_digits(said)
    for old_start, old_end, new_start, new_end in spoken.pieces:
        assert spoken.span_in_original(new_start, new_end) == (old_start, old_end)
        assert spoken.text[new_start:new_end].isdigit()
    if not spoken.pieces:
        assert spoken.text == said


def test_a_dictated_birth_date_phone_and_house_number_are_removed_as_said() -> None:
    said = (
        "spraakbericht meneer hoop woont op de adelaarstraat nummer twaalf hij is geboren op "
        "drie februari negentienvijfenveertig telefoon nul zes twee vier vijf zes zeven acht "
        "negen nul punt hij zoekt hulp van Dock"
    )
    result = Deidentifier(use_deduce=False).deidentify(said)
    kinds = {span.original: span.kind for span in result.removed}
    assert kinds["drie februari negentienvijfenveertig"] == "geboortedatum"
    assert kinds["nul zes twee vier vijf zes zeven acht negen nul"] == "telefoon"
    assert "twaalf" not in result.text and "Dock" in result.text
    assert all(said[s.start : s.end] == s.original for s in result.removed)
