"""Candidates for the learned detector and the general features it judges them by.

Two kinds of candidate: every word (a possible part of a client's name) and every number or
date-shaped stretch (a possible birth date). A candidate is described by feature strings that
say what any reader could know about it without having seen the case: its shape and case,
what the name lexicons and the Dutch dictionary say of it, where it stands in its sentence,
which words and punctuation surround it, the character n-grams of the word, and the age a
year would give. The word itself is never a feature, so the model cannot learn the names of
its training texts by heart; only its neighbours' words are (cue words such as "mevrouw",
"geb", "sinds").

The rules' verdict is one more feature ("rule:self=persoon", a found name just before a
year), so the model learns what the rules miss rather than relearning what they find.

Invariants: features depend only on the text and the rules' removed spans; the same text
always gives the same candidates and features, in text order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from knowledge.privacy.lexicon import PARTICLES, STOPWORDS, is_acronym
from knowledge.privacy.lexicon_names import (
    ABBREVIATIONS,
    ADDRESS_CUES,
    RELATION_CUES,
    could_be_name,
    is_unknown_word,
)
from knowledge.privacy.name_context import DETERMINERS, PREPOSITIONS
from knowledge.privacy.patterns import has_birth_cue
from knowledge.privacy.vocabulary import (
    fold,
    has_common_reading,
    is_base_form,
    is_dutch_word,
    is_first_name,
    is_place,
    is_surname,
)

Span = tuple[int, int, str]  # (start, end, kind) of a span the rules removed
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
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
_POSSESSIVE = re.compile(r".['’]s$")
_OPENER = re.compile(r"(?:^|[.!?:\n]\s*|\n\s*[-*•]?\s*)$")


@dataclass(frozen=True)
class Candidate:
    """A stretch of text and what is known about it (feature strings, hashed by the model)."""

    start: int
    end: int
    features: tuple[str, ...]
    # A word the dictionary knows and no name lexicon does, or an inflected verb ("Jongen",
    # "werd"): never removed as a name, whatever the context says, as the rules' lexicons
    # decide (lexicon_names._name_rather_than_word).
    common_word: bool = False


@lru_cache(maxsize=4096)
def word_class(word: str) -> str:
    """One coarse class for a neighbour word: what it tells about the word beside it."""
    folded = fold(word)
    for label, words in (
        ("address", ADDRESS_CUES),
        ("relation", RELATION_CUES),
        ("particle", PARTICLES),
        ("det", DETERMINERS),
        ("prep", PREPOSITIONS),
        ("stop", STOPWORDS),
        ("abbr", ABBREVIATIONS),
    ):
        if folded in words:
            return label
    if is_first_name(word) and not has_common_reading(word):
        return "first"
    if is_surname(word) and not is_dutch_word(word):
        return "surname"
    if is_dutch_word(word):
        return "word"
    return "unknown" if is_unknown_word(word) else "other"


@lru_cache(maxsize=4096)
def lexical_features(word: str) -> tuple[str, ...]:
    """What the lexicons, the dictionary and the spelling say of one word (remembered for the
    last few thousand words, as vocabulary.py remembers its look-ups)."""
    folded = fold(word)
    flags = {
        "first": is_first_name(word),
        "surname": is_surname(word),
        "place": is_place(word),
        "dutch": is_dutch_word(word),
        "common": has_common_reading(word),
        "base": is_base_form(word),
        "unknown": is_unknown_word(word),
        "could": could_be_name(word),
        "stop": folded in STOPWORDS,
        "particle": folded in PARTICLES,
        "cue": folded in ADDRESS_CUES or folded in RELATION_CUES,
        "abbr": folded in ABBREVIATIONS,
        "acronym": is_acronym(word),
        "hyphen": "-" in word,
    }
    features = [name for name, on in flags.items() if on]
    # conjunctions a linear model cannot form itself
    if flags["first"] and not flags["common"]:
        features.append("first&!common")
    if flags["surname"] and not flags["dutch"]:
        features.append("surname&!dutch")
    if flags["dutch"] and not (flags["first"] or flags["surname"]):
        features.append("dutch&!name")
    case = "upper" if word.isupper() else "cap" if word[0].isupper() else "lower"
    features += [f"case={case}", f"len={min(len(word), 10)}"]
    features += [
        f"{name}&{case}" for name in ("first", "surname", "unknown", "dutch") if flags[name]
    ]
    padded = f"<{folded}>"
    features += [f"tri={padded[i : i + 3]}" for i in range(len(padded) - 2)]
    features += [f"suf2={folded[-2:]}", f"suf3={folded[-3:]}"]
    return tuple(features)


def _context(text: str, start: int, end: int, words: list[re.Match[str]], i: int) -> list[str]:
    """The words around position i (by index in ``words``) and the punctuation in between."""
    features = []
    for offset in (-2, -1, 1, 2):
        j = i + offset
        if 0 <= j < len(words):
            neighbour = words[j].group()
            features += [f"w{offset}={fold(neighbour)}", f"c{offset}={word_class(neighbour)}"]
            if neighbour[0].isupper():
                features.append(f"cap{offset}")
        else:
            features.append(f"w{offset}=<none>")
    features += [f"punct-={_mark(text, start, -1)}", f"punct+={_mark(text, end, 1)}"]
    if _OPENER.search(text[max(0, start - 4) : start]):
        features.append("opener")
    if re.match(r"\s?[,(]?\s?(?:geb\w*\.?|['’]?\d{2,4}\b|\d{1,2}[-/.])", text[end : end + 12]):
        features.append("date_after")
    return features


def _mark(text: str, at: int, direction: int) -> str:
    """The first character beside a candidate past spaces: punctuation as itself, a letter or
    digit as "w", the text's edge as "_"."""
    i = at - 1 if direction < 0 else at
    while 0 <= i < len(text) and text[i] == " ":
        i += direction
    if not 0 <= i < len(text):
        return "_"
    return "w" if text[i].isalnum() else text[i]


def _kind_at(start: int, end: int, rules: Sequence[Span]) -> str | None:
    return next((kind for s, e, kind in rules if s < end and start < e), None)


def name_candidates(text: str, rules: Sequence[Span] = ()) -> Iterator[Candidate]:
    """Every word of two letters or more, with its own and its neighbours' features and what
    the rules removed there."""
    words = list(_WORD.finditer(text))
    lowered = [fold(w.group()) for w in words]
    kinds = [_kind_at(w.start(), w.end(), rules) for w in words]
    for i, match in enumerate(words):
        word, start, end = match.group(), match.start(), match.end()
        if _POSSESSIVE.search(word):  # "jan's moeder": the name is "jan"
            word, end = word[:-2], end - 2
        if len(word) < 2:
            continue
        features = ["bias-name", *lexical_features(word)]
        features += _context(text, start, end, words, i)
        recurs = lowered.count(lowered[i])
        features.append(f"recurs={min(recurs, 3)}")
        features += [
            f"rule:{offset}={kinds[i + offset]}"
            for offset in (-2, -1, 1, 2)
            if 0 <= i + offset < len(words)
        ]
        named = (is_first_name(word) or is_surname(word)) and is_base_form(word)
        common = is_dutch_word(word) and not named
        yield Candidate(start, end, tuple(features), common)


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
    words = list(_WORD.finditer(text))
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
    features += [f"dpunct-={_mark(text, start, -1)}", f"dpunct+={_mark(text, end, 1)}"]
    return features
