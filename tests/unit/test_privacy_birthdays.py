"""Birthdays (knowledge/privacy/birthdays.py): a day and a month next to "jarig" or
"verjaardag" are the day someone was born; without that word they stay."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentifier
from knowledge.privacy.birthdays import find_birthdays

_D = Deidentifier(use_deduce=False, use_learned=False)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("opa is 14 oktober jarig, hij wordt 80", "14 oktober"),
        ("ze is jarig op 3 mei", "3 mei"),
        ("zijn verjaardag is op 21-6", "21-6"),
        ("verjaardag: 9 jan. en dan een taart", "9 jan."),
        ("5 augustus is ze weer jarig", "5 augustus"),
    ],
)
def test_a_day_and_month_of_a_birthday_are_a_birth_date(text: str, date: str) -> None:
    assert [text[h.start : h.end] for h in find_birthdays(text)] == [date]
    removed = {s.original: s.kind for s in _D.deidentify(text).removed}
    assert removed.get(date) == "geboortedatum"


@pytest.mark.parametrize(
    "text",
    [
        "de intake is 14 oktober om tien uur",
        "jarig? nee, de afspraak is op 3 mei",
        "op 40 mei jarig",  # no such day
    ],
)
def test_other_days_stay(text: str) -> None:
    assert list(find_birthdays(text)) == []
