"""Birth dates typed with spaces around their separators (patterns.py), "ik ben van" as a
birth cue (patterns.py, keep.py), a date said with ordinals and a comma before the year
(spoken_dates.py), and a fixed-date holiday after a birth cue (birthdays.py)."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier

_D = Deidentifier(use_deduce=False, use_learned=False)


def _births(text: str) -> list[str]:
    return [s.original for s in _D.deidentify(text).removed if s.kind == "geboortedatum"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("geboortedatum: 4 - 7 - 1979 en verder", "4 - 7 - 1979"),
        ("Piet Jansen, 30. 11. 1962, zoekt werk", "30. 11. 1962"),
        ("geb. 2 /9 /1990", "2 /9 /1990"),
    ],
)
def test_a_date_with_spaced_separators(text: str, date: str) -> None:
    assert _births(text) == [date]


def test_spaced_numbers_with_a_two_digit_year_need_a_cue() -> None:
    assert _births("de uitslag was 3 - 4 - 12 gisteren") == []


def test_ik_ben_van_gives_a_birth_year_and_a_man_van_an_age() -> None:
    assert _births("hij zegt: ik ben van 58, dus bijna pensioen") == ["58"]
    assert _births("een man van 58 belde") == []


def test_an_ordinal_date_with_a_comma_before_the_year() -> None:
    text = "geboren op de vierde van de tweede, 1966, zegt ze"
    assert _births(text) == ["de vierde van de tweede, 1966"]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ze is geboren op kerstavond 1981", "kerstavond 1981"),
        ("geb. op Koningsdag 2001, zegt de moeder", "Koningsdag 2001"),
    ],
)
def test_a_fixed_holiday_after_a_birth_cue(text: str, date: str) -> None:
    assert _births(text) == [date]


def test_a_holiday_without_a_birth_cue_stays() -> None:
    assert _births("op eerste kerstdag 2023 was het kantoor dicht") == []
