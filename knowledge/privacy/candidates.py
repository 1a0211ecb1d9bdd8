"""Candidates for the learned detector and the general features it judges them by.

Two kinds of candidate: every word (a possible part of a client's name), here, and every
date-shaped stretch (a possible birth date), in date_candidates.py. A candidate is described
by feature strings that
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
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
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
    features += [f"punct-={mark(text, start, -1)}", f"punct+={mark(text, end, 1)}"]
    if _OPENER.search(text[max(0, start - 4) : start]):
        features.append("opener")
    if re.match(r"\s?[,(]?\s?(?:geb\w*\.?|['’]?\d{2,4}\b|\d{1,2}[-/.])", text[end : end + 12]):
        features.append("date_after")
    return features


def mark(text: str, at: int, direction: int) -> str:
    """The first character beside a candidate past spaces: punctuation as itself, a letter or
    digit as "w", the text's edge as "_"."""
    i = at - 1 if direction < 0 else at
    while 0 <= i < len(text) and text[i] == " ":
        i += direction
    if not 0 <= i < len(text):
        return "_"
    return "w" if text[i].isalnum() else text[i]


def kind_at(start: int, end: int, rules: Sequence[Span]) -> str | None:
    return next((kind for s, e, kind in rules if s < end and start < e), None)


def name_candidates(text: str, rules: Sequence[Span] = ()) -> Iterator[Candidate]:
    """Every word of two letters or more, with its own and its neighbours' features and what
    the rules removed there."""
    words = list(WORD.finditer(text))
    lowered = [fold(w.group()) for w in words]
    kinds = [kind_at(w.start(), w.end(), rules) for w in words]
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
