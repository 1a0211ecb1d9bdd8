"""Date-shaped stretches as candidates for the learned detector (a possible birth date).

Every stretch shaped like a date or a year is a candidate, the longest shape first ("14-9-1962"
is one candidate, not a year inside a date). Its features: the shape, the age its year would
give today, a birth cue around it (patterns.has_birth_cue), a bracket, the three words before
and two after it with their classes, the punctuation beside it, and whether the rules found a
name or another birth date next to it.

Invariants: as candidates.py; a later shape never overlaps an earlier match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date

from knowledge.privacy.candidates import (
    WORD,
    Candidate,
    Span,
    mark,
    word_class,
)
from knowledge.privacy.patterns import has_birth_cue
from knowledge.privacy.vocabulary import fold

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec|"
    # English, as forwarded documents and messages write them
    "january|february|march|may|june|july|october"
)
_APOSTROPHE = "['’‘`]"
# Date-shaped stretches, longest shapes first; a later shape never overlaps an earlier match.
_DATE_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("dmy", re.compile(r"(?<![\d/.-])\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|['’]?\d{2})(?!\d)")),
    ("ymd", re.compile(r"(?<![\d/.-])(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)")),
    (
        "d_month_y",
        re.compile(
            rf"(?<![\d])\d{{1,2}}\s(?i:{_MONTHS})\.?,?\s(?:\d{{4}}|{_APOSTROPHE}?\d{{2}})(?!\d)"
        ),
    ),
    ("month_y", re.compile(rf"(?<!\w)(?i:{_MONTHS})\.?\s(?:\d{{4}}|{_APOSTROPHE}\d{{2}})(?!\d)")),
    ("my", re.compile(r"(?<![\d/.-])(?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}(?![\d/.-]?\d)")),
    ("d_month", re.compile(rf"(?<![\d])\d{{1,2}}\s(?i:{_MONTHS})\b\.?")),
    (
        "compact",
        re.compile(r"(?<![\d])(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
    ),
    ("yyyy", re.compile(r"(?<![\d.,-])(?:19|20)\d{2}(?![\d.,-]\d|\d)")),
    ("apos_yy", re.compile(rf"{_APOSTROPHE}\d{{2}}(?!\d)")),
    ("yy", re.compile(r"(?<![\d.,/:'’‘`-])\d{2}(?![\d]|[.,/:-]\d)")),
)
_YEAR_IN = re.compile(r"(\d{4})(?!.*\d{4})|['’‘`]?(\d{2})$")


def _age_bucket(year: int, today: int) -> str:
    age = today - year
    for bound, label in ((0, "future"), (6, "0-5"), (13, "6-12"), (18, "13-17"), (31, "18-30")):
        if age < bound:
            return label
    return "31-50" if age < 51 else "51-70" if age < 71 else "71-100" if age < 101 else "old"


def _year(raw: str, shape: str, today: int) -> int | None:
    match = _YEAR_IN.search(raw)
    if match is None:
        return None
    if match.group(1):
        return int(match.group(1))
    two = int(match.group(2))
    if shape == "d_month":
        return None
    return 2000 + two if 2000 + two <= today else 1900 + two


def date_candidates(
    text: str, rules: Sequence[Span] = (), today: date | None = None
) -> Iterator[Candidate]:
    """Every date-shaped stretch (longest shape wins), with its shape, the age its year would
    give, the cue words around it, the words before it and what the rules removed nearby."""
    this_year = (today or date.today()).year
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for shape, pattern in _DATE_SHAPES:
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append(m.span())
                found.append((m.start(), m.end(), shape))
    words = list(WORD.finditer(text))
    for start, end, shape in sorted(found):
        year = _year(text[start:end], shape, this_year)
        features = ["bias-date", f"shape={shape}"]
        if year is not None:
            features.append(f"age={_age_bucket(year, this_year)}")
            features.append(f"shape={shape}&age={_age_bucket(year, this_year)}")
        if has_birth_cue(text, start, end):
            features += ["birth_cue", f"birth_cue&shape={shape}"]
        if "(" in text[max(0, start - 2) : start]:
            features.append("in_brackets")
        index = sum(1 for w in words if w.end() <= start)  # the first word after the date
        features += _date_context(text, start, end, words, index)
        features += _rules_near_date(start, end, rules)
        yield Candidate(start, end, tuple(features))


def _rules_near_date(start: int, end: int, rules: Sequence[Span]) -> list[str]:
    features = []
    for s, e, kind in rules:
        if kind == "persoon" and 0 <= start - e <= 25:
            features.append("rule:name_before")
        if kind == "persoon" and 0 <= s - end <= 25:
            features.append("rule:name_after")
        if kind == "geboortedatum" and (0 < start - e <= 30 or 0 < s - end <= 30):
            features.append("rule:birth_date_near")
    return sorted(set(features))


def _date_context(
    text: str, start: int, end: int, words: list[re.Match[str]], index: int
) -> list[str]:
    features = []
    for offset in (-3, -2, -1, 0, 1):
        j = index + offset
        if 0 <= j < len(words):
            neighbour = words[j].group()
            key = f"d{offset}" if offset < 0 else f"d+{offset + 1}"
            features += [f"{key}={fold(neighbour)}", f"{key}c={word_class(neighbour)}"]
    features += [f"dpunct-={mark(text, start, -1)}", f"dpunct+={mark(text, end, 1)}"]
    return features
