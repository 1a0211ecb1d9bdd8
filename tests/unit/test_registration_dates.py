"""Relative and partial dates, resolved in Europe/Amsterdam against the sending moment.

The sending moment is an argument (no clock is read), so every row fixes its own. Rows around
midnight and the DST switch check that "gisteren" means the day before in Utrecht, not in UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from casework.registration import Parsed, Refusal, RefusalCode, RegistrationParser
from casework.registration.dates import local_day
from knowledge.embedders import HashingEmbedder
from models.clock import AMSTERDAM

THURSDAY = datetime(2026, 6, 25, 12, 0, tzinfo=AMSTERDAM)
TUESDAY = datetime(2026, 11, 24, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def day_of(parser: RegistrationParser, words: str, sent_at: datetime) -> date:
    result = parser.parse(f"kennismaking 4411 {words}", sent_at, "Zuilen")
    assert isinstance(result, Parsed), result
    return result.occurred_on


@pytest.mark.parametrize(
    ("words", "sent_at", "expected"),
    [
        ("", THURSDAY, date(2026, 6, 25)),  # no date: the sending day
        ("vandaag", THURSDAY, date(2026, 6, 25)),
        ("vanochtend", THURSDAY, date(2026, 6, 25)),
        ("gisteren", THURSDAY, date(2026, 6, 24)),
        ("gistren", THURSDAY, date(2026, 6, 24)),  # typo
        ("eergisteren", THURSDAY, date(2026, 6, 23)),
        ("dinsdag", THURSDAY, date(2026, 6, 23)),  # the latest Tuesday
        ("donderdag", THURSDAY, date(2026, 6, 18)),  # its own day: last week (today is "vandaag")
        ("afgelopen donderdag", THURSDAY, date(2026, 6, 18)),  # "afgelopen": strictly before
        ("vorige week dinsdag", THURSDAY, date(2026, 6, 16)),  # Tuesday of last week
        ("dinsdag vorige week", THURSDAY, date(2026, 6, 16)),
        ("vorige week zondag", THURSDAY, date(2026, 6, 21)),
        ("3 dagen geleden", THURSDAY, date(2026, 6, 22)),
        ("twee weken geleden", THURSDAY, date(2026, 6, 11)),
        ("op 14-4", THURSDAY, date(2026, 4, 14)),
        ("op 3/11", TUESDAY, date(2026, 11, 3)),
        ("12 jan", TUESDAY, date(2026, 1, 12)),  # months ago, not seven weeks ahead
        ("op 2 okt", TUESDAY, date(2026, 10, 2)),
        ("op 1e december", datetime(2026, 12, 3, 9, 0, tzinfo=AMSTERDAM), date(2026, 12, 1)),
        ("28/12", datetime(2027, 1, 3, 9, 0, tzinfo=AMSTERDAM), date(2026, 12, 28)),  # new year
        ("op 23-11-2026", TUESDAY, date(2026, 11, 23)),
        ("op 2026-11-23", TUESDAY, date(2026, 11, 23)),
        ("op 23-11-26", TUESDAY, date(2026, 11, 23)),
        ("sinds di", THURSDAY, date(2026, 6, 23)),  # a weekday's prefix after a day cue
        ("op woe.", THURSDAY, date(2026, 6, 24)),
        ("op do", THURSDAY, date(2026, 6, 18)),  # on its own day: the week before
        ("afgelopen vr", THURSDAY, date(2026, 6, 19)),  # "vr" is no "vertrokken" here
        ("vorige za", THURSDAY, date(2026, 6, 20)),
        ("vorige week di", THURSDAY, date(2026, 6, 16)),  # a shortened weekday after it
        ("vorige wk di", THURSDAY, date(2026, 6, 16)),
        ("di", THURSDAY, date(2026, 6, 23)),  # a shortened weekday closing the message
        ("di, team zuilen", THURSDAY, date(2026, 6, 23)),  # ... or a clause
        ("zo snel als kon", THURSDAY, date(2026, 6, 25)),  # inside a clause: the word
        ("sinds 2 dgn", THURSDAY, date(2026, 6, 23)),
        ("3 dgn terug", THURSDAY, date(2026, 6, 22)),  # the unit's consonant skeleton
        ("2 wkn geleden", THURSDAY, date(2026, 6, 11)),
        ("eergist", THURSDAY, date(2026, 6, 23)),  # a relative day shortened
        ("vanmidd", THURSDAY, date(2026, 6, 25)),
        ("op de 3e", THURSDAY, date(2026, 6, 3)),  # a day of the current month
        ("op de 21ste", THURSDAY, date(2026, 6, 21)),
        ("op de 3e april", THURSDAY, date(2026, 4, 3)),  # with a month it is that month's
    ],
)
def test_dates(parser: RegistrationParser, words: str, sent_at: datetime, expected: date) -> None:
    assert day_of(parser, words, sent_at) == expected


@pytest.mark.parametrize(
    ("sent_at", "expected"),
    [
        # 23:30 UTC on 28 March is already 00:30 on the 29th in Utrecht (CET, +1)
        (datetime(2026, 3, 28, 23, 30, tzinfo=UTC), date(2026, 3, 28)),
        # 22:30 UTC on 31 March is 00:30 on 1 April in Utrecht (CEST, +2, after the switch)
        (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), date(2026, 3, 31)),
        # 01:59 local on the night of the switch
        (datetime(2026, 3, 29, 1, 59, tzinfo=AMSTERDAM), date(2026, 3, 28)),
        # 23:59 local on the last day of summer time
        (datetime(2026, 10, 25, 23, 59, tzinfo=AMSTERDAM), date(2026, 10, 24)),
    ],
)
def test_yesterday_is_counted_in_utrecht(
    parser: RegistrationParser, sent_at: datetime, expected: date
) -> None:
    assert day_of(parser, "gisteren", sent_at) == expected


def test_the_default_day_is_the_day_in_utrecht() -> None:
    assert local_day(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 29)


def test_a_naive_sending_moment_is_a_programming_error(parser: RegistrationParser) -> None:
    with pytest.raises(ValueError, match="timezone"):
        parser.parse("kennismaking 4411", datetime(2026, 3, 28, 12, 0), "Zuilen")


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("morgen", RefusalCode.FUTURE_DATE),
        ("op 30/11", RefusalCode.FUTURE_DATE),  # six days ahead
        ("volgende week dinsdag", RefusalCode.FUTURE_DATE),
        ("op 1-1-2027", RefusalCode.FUTURE_DATE),
        ("op 31-4", RefusalCode.INVALID_DATE),
        ("op 29-2", RefusalCode.INVALID_DATE),  # 2026 and 2025 are no leap years
        ("vorige week", RefusalCode.VAGUE_DATE),
        ("vorige maand", RefusalCode.VAGUE_DATE),
        ("gisteren 3/11", RefusalCode.CONTRADICTION),
        ("op de 28e", RefusalCode.FUTURE_DATE),  # later this month
        ("overm", RefusalCode.FUTURE_DATE),  # "overmorgen" shortened, not "overbuurman"
        ("op de 31e", RefusalCode.INVALID_DATE),  # November has 30 days
    ],
)
def test_date_refusals(parser: RegistrationParser, words: str, code: RefusalCode) -> None:
    result = parser.parse(f"kennismaking 4411 {words}", TUESDAY, "Zuilen")
    assert isinstance(result, Refusal)
    assert result.code == code


def test_two_mentions_of_the_same_day_agree(parser: RegistrationParser) -> None:
    assert day_of(parser, "gisteren, 23/11", TUESDAY) == date(2026, 11, 23)
