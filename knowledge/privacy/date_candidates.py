"""Date-shaped stretches as candidates for the learned detector (a possible birth date).

Every stretch shaped like a date or a year is a candidate, the longest shape first ("14-9-1962"
is one candidate, not a year inside a date), in every form of the specification in
date_forms.py (digits with any separator, month names of every kind and their slips, number
words, a weekday before the date, which then belongs to it). Its features: the shape, the age
its year would give today, a birth cue around it (patterns.has_birth_cue) and any way of
writing one among the nearby words (date_forms.is_birth_word), a weekday, a bracket, the three
words before and two after it with their classes, the punctuation beside it, and whether the
rules found a name or another birth date next to it.

Invariants: as candidates.py; a later shape never overlaps an earlier match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from functools import cache

from knowledge.privacy.candidates import (
    WORD,
    Candidate,
    Span,
    mark,
    word_class,
)
from knowledge.privacy.date_forms import (
    WEEKDAY_PATTERN,
    day_word_pattern,
    is_birth_word,
    month_pattern,
    number_value,
    two_digit_word_pattern,
    year_word_pattern,
)
from knowledge.privacy.patterns import has_birth_cue
from knowledge.privacy.vocabulary import fold

_APOSTROPHE = "['’‘`]"
_YY = rf"{_APOSTROPHE}?\d{{2}}"
# A day in digits with the suffix of an ordinal ("12e", "1ste", "2de", "3rd"), or in words.
_DAY = r"\d{1,2}(?:ste|de|st|nd|rd|th|e)?"
_END = r"(?![^\W\d_])"
# No digit, slash or hyphen before a numeric date, nor a dot after a digit ("1.12-3"); a dot
# after a word is a cue glued to its date ("geb.12-3-1980").
_GLUED = r"(?<![\d/-])(?<!\d\.)"


@cache
def _date_shapes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Date-shaped stretches, longest shapes first; a later shape never overlaps an earlier
    match. Built on first use: the misspelled months need the dictionary (date_forms.py)."""
    month = rf"(?i:{month_pattern()})\.?{_END}"
    day = rf"(?:{_DAY}|(?i:{day_word_pattern()}){_END})"
    spoken = rf"(?i:{year_word_pattern()}){_END}"
    # after a month a year may be said in two digits too ("drie maart zevenenvijftig")
    year = rf"(?P<y>\d{{4}}|{_YY}|{spoken}|(?i:{two_digit_word_pattern()}){_END})"
    shapes = (
        ("dmy", rf"{_GLUED}\d{{1,2}}[-./]\d{{1,2}}[-./](?P<y>\d{{4}}|['’]?\d{{2}})(?!\d)"),
        ("dmy_space", _GLUED + r"(?<!\d )\d{1,2} \d{1,2} (?P<y>\d{4}|\d{2})(?! ?\d)"),
        ("ymd", rf"{_GLUED}(?P<y>(?:19|20)\d{{2}})[-/.]\d{{1,2}}[-/.]\d{{1,2}}(?!\d)"),
        ("d_month_y", rf"(?<![\w]){day}[ -](?:(?i:van|of) )?{month},?[ -]{year}(?![\d])"),
        ("month_d_y", rf"(?<!\w){month} \d{{1,2}}(?:st|nd|rd|th)?, (?P<y>\d{{4}})(?!\d)"),
        ("month_y", rf"(?<!\w){month} {year}(?!\d)"),
        ("my", rf"{_GLUED}(?:0?[1-9]|1[0-2])[-/.](?P<y>(?:19|20)\d{{2}})(?![\d/.-]?\d)"),
        ("d_month", rf"(?<![\w]){day} (?:(?i:van|of) )?{month}"),
        (
            "compact",
            r"(?<![\d])(?:(?P<y>(?:19|20)\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
            r"|(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])(?P<y2>(?:19|20)\d{2}))(?!\d)",
        ),
        ("year_words", rf"(?<!\w)(?P<y>{spoken})"),
        ("yyyy", r"(?<![\d,-])(?<!\d\.)(?P<y>(?:19|20)\d{2})(?![\d.,-]\d|\d)"),
        ("apos_yy", rf"(?P<y>{_APOSTROPHE}\d{{2}})(?!\d)"),
        ("yy", r"(?<![\d.,/:'’‘`-])(?P<y>\d{2})(?![\d]|[.,/:-]\d)"),
    )
    return tuple((name, re.compile(pattern)) for name, pattern in shapes)


_WEEKDAY_BEFORE = re.compile(rf"(?i:\b(?:{WEEKDAY_PATTERN}))\.?,?[ ]$")


_WEEKDAY_AT_START = re.compile(rf"(?i:(?:{WEEKDAY_PATTERN}))\.?,?[ ]")


def is_written_date(piece: str) -> bool:
    """Whether ``piece`` is one whole date or year in any shape, a weekday before it allowed:
    a date in words ("drie maart zevenenvijftig") has no digit to show it is one."""
    piece = _WEEKDAY_AT_START.sub("", piece, count=1)
    return any(pattern.fullmatch(piece) for _, pattern in _date_shapes())


def _age_bucket(year: int, today: int) -> str:
    age = today - year
    for bound, label in ((0, "future"), (6, "0-5"), (13, "6-12"), (18, "13-17"), (31, "18-30")):
        if age < bound:
            return label
    return "31-50" if age < 51 else "51-70" if age < 71 else "71-100" if age < 101 else "old"


def _year(match: re.Match[str], today: int) -> int | None:
    raw = match.groupdict().get("y") or match.groupdict().get("y2")
    if raw is None:
        return None
    digits = raw.lstrip("'’‘`")
    value = int(digits) if digits.isdigit() else number_value(raw)
    if value is None or value >= 100:
        return value
    two = value
    return 2000 + two if 2000 + two <= today else 1900 + two


def date_candidates(
    text: str, rules: Sequence[Span] = (), today: date | None = None
) -> Iterator[Candidate]:
    """Every date-shaped stretch (longest shape wins), with its shape, the age its year would
    give, the cue words around it, the words before it and what the rules removed nearby."""
    this_year = (today or date.today()).year
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str, int | None]] = []
    for shape, pattern in _date_shapes():
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e in taken):
                taken.append(m.span())
                found.append((m.start(), m.end(), shape, _year(m, this_year)))
    words = list(WORD.finditer(text))
    for start, end, shape, year in sorted(found):
        features = ["bias-date", f"shape={shape}"]
        if weekday := _WEEKDAY_BEFORE.search(text, max(0, start - 12), start):
            start = weekday.start()  # "dinsdag 3 maart 1987" is one date
            features.append("weekday")
        if year is not None:
            features.append(f"age={_age_bucket(year, this_year)}")
            features.append(f"shape={shape}&age={_age_bucket(year, this_year)}")
        if has_birth_cue(text, start, end):
            features += ["birth_cue", f"birth_cue&shape={shape}"]
        features += _birth_words_near(text, start, end, shape)
        if "(" in text[max(0, start - 2) : start]:
            features.append("in_brackets")
        index = sum(1 for w in words if w.end() <= start)  # the first word after the date
        features += _date_context(text, start, end, words, index)
        features += _rules_near_date(start, end, rules)
        yield Candidate(start, end, tuple(features))


def _birth_words_near(text: str, start: int, end: int, shape: str) -> list[str]:
    """A way of writing a birth cue (date_forms.is_birth_word) among the three words before
    the date or the two after it, on its line."""
    before = text[max(0, start - 30) : start].rsplit("\n", 1)[-1]
    after = text[end : end + 25].split("\n", 1)[0]
    features = []
    for side, tokens in (("before", before.split()[-3:]), ("after", after.split()[:2])):
        if any(is_birth_word(t.strip("():,;")) for t in tokens):
            features += [f"birth_word_{side}", f"birth_word_{side}&shape={shape}"]
    return features


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
