"""Closure flags said in other words: a flag's concept named in a clause, answered by the
clause's polarity.

The phrase scan knows set answers ("ew ja", "kan niet zelf verder"). People also write "mag
wel enquête", "wil geen vragenlijst", "kan verder zonder ons", "redt zich nog niet zelf": a
word for the concept (`casework/data/closure_concepts.csv`: the survey is also an enquête, a
vragenlijst, an evaluatie…) and a yes or no somewhere in the same clause. A clause ends at
punctuation. A negation ("niet", "geen", "nooit", "nee") anywhere in the clause makes the flag
false, otherwise it is true; a negated objection ("geen bezwaar", "geen probleem") is consent,
no negation. When the clause holds no answer word at all (no negation and none of "ja",
"mag", "wel", "ok"…), the value is a guess and the card asks to check it.

Invariants: only words no phrase has read are used; a flag the scan already read is never
read again; staff extend the concepts in the CSV, never in code.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import simplemma

from casework.registration.model import CLOSURE_FLAGS
from casework.registration.slots import SlotResult
from casework.registration.text import TOKEN, normalise
from casework.registration.vocabulary import Match, Reading

_CONCEPTS = Path(__file__).resolve().parent.parent / "data" / "closure_concepts.csv"
NEGATIVE = frozenset({"niet", "geen", "nooit", "nee", "neen"})
# A negated objection is consent: "geen bezwaar tegen ew", "geen probleem". Language, not data.
OBJECTIONS = frozenset({"bezwaar", "bezwaren", "probleem", "problemen", "moeite", "punt"})
AFFIRMATIVE = frozenset(
    {"ja", "mag", "wel", "ok", "oke", "akkoord", "graag", "sturen", "versturen", "uitnodigen"}
    | {"ontvangen", "toestemming", "kan", "gaat", "goed"}
)
# An answer that gives no answer: the flag named in its clause is left open, not guessed.
UNKNOWN = frozenset({"onbekend", "onduidelijk", "onzeker", "nvt"})
UNKNOWN_PAIRS = frozenset({("weet", "niet"), ("niet", "bekend"), ("nog", "onbekend")})


@cache
def concepts() -> dict[tuple[str, ...], str]:
    """Folded concept phrase → the flag it names."""
    found: dict[tuple[str, ...], str] = {}
    with _CONCEPTS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["field"] not in CLOSURE_FLAGS:
                raise ValueError(f"unknown flag {row['field']!r} in {_CONCEPTS.name}")
            for phrase in row["concepts"].split(";"):
                words = tuple(TOKEN.findall(normalise(phrase)))
                if words:
                    found[words] = row["field"]
    return found


def read_flags(tokens: Sequence[str], read: SlotResult) -> None:
    """Add the flags the free words of each clause name (module docstring), after turning a
    flag the scan read as yes into no when its clause holds a free negation ("redt zich nog
    niet zelf": the phrase "redt zich", then "niet")."""
    inside = {i for m in read.matches for i in range(m.start, m.end)}
    _negated_in_clause(tokens, read, inside)
    known = {r.category for m in read.matches for r in m.readings if r.category in CLOSURE_FLAGS}
    phrases = concepts()
    longest = max(map(len, phrases))
    for start, end in _clauses(len(tokens), read.breaks):
        clause = set(tokens[start:end])
        negated = any(_negates(tokens, i) for i in range(start, end))
        value = "false" if negated else "true"
        answered = bool(clause & (NEGATIVE | AFFIRMATIVE))
        i = start
        while i < end:
            for size in range(min(longest, end - i), 0, -1):
                words = tuple(tokens[i : i + size])
                flag = phrases.get(words)
                if flag is None or inside & set(range(i, i + size)):
                    continue
                if flag in known and not (answered and _restated(read, flag, value)):
                    continue
                read.matches.append(Match(i, i + size, " ".join(words), (Reading(flag, value),)))
                known.add(flag)
                if not answered:
                    read.guessed.add(flag)
                i += size - 1
                break
            i += 1
    _drop_unknown(tokens, read)
    _answers_taken(tokens, read)


# The passive's auxiliaries: "mag gestuurd worden" answers the flag, it names no reason.
_AUXILIARIES = frozenset({"worden", "wordt", "werd", "is", "zijn", "was"})


def _answers_taken(tokens: Sequence[str], read: SlotResult) -> None:
    """Marks the answer words of a clause that holds a flag as read ("ew mag gestuurd
    worden": "gestuurd" is the survey's sending, not the reason 'doorgestuurd')."""
    inside = {i for m in read.matches for i in range(m.start, m.end)}
    for start, end in _clauses(len(tokens), read.breaks):
        if not any(
            start <= m.start < end and any(r.category in CLOSURE_FLAGS for r in m.readings)
            for m in read.matches
        ):
            continue
        for i in range(start, end):
            word = tokens[i]
            lemma = _answer_lemma(word)
            # Verb forms only: a noun answer ("toestemming") stays on the card's notes.
            if i not in inside and (
                word in _AUXILIARIES or (lemma != word and lemma in AFFIRMATIVE)
            ):
                read.noted.add(i)


def _answer_lemma(word: str) -> str:
    return str(simplemma.lemmatize(word, lang="nl"))


def _restated(read: SlotResult, flag: str, value: str) -> bool:
    """Whether an answered clause gives `flag` another value than an earlier reading: kept,
    so the two values are asked back as a contradiction instead of one silently winning."""
    return any(m.value(flag) not in (None, value) for m in read.matches)


def _drop_unknown(tokens: Sequence[str], read: SlotResult) -> None:
    """Removes the flags of a clause that says its answer is unknown ("zv onbekend")."""
    for start, end in _clauses(len(tokens), read.breaks):
        words = tokens[start:end]
        pairs = set(zip(words, words[1:], strict=False))
        if not (set(words) & UNKNOWN or pairs & UNKNOWN_PAIRS):
            continue
        read.matches[:] = [
            m
            for m in read.matches
            if not (start <= m.start < end and any(r.category in CLOSURE_FLAGS for r in m.readings))
        ]


def _negated_in_clause(tokens: Sequence[str], read: SlotResult, inside: set[int]) -> None:
    clauses = _clauses(len(tokens), read.breaks)
    for index, match in enumerate(read.matches):
        start, end = next((a, b) for a, b in clauses if a <= match.start < b)
        free_negation = any(_negates(tokens, i) and i not in inside for i in range(start, end))
        if not free_negation:
            continue
        readings = tuple(
            Reading(r.category, "false") if r.category in CLOSURE_FLAGS and r.value == "true" else r
            for r in match.readings
        )
        read.matches[index] = Match(match.start, match.end, match.words, readings)


def _negates(tokens: Sequence[str], index: int) -> bool:
    """Whether the word at `index` is a negation that says no: not one of a negated objection
    ("geen bezwaar", "geen probleem"), which says yes."""
    if tokens[index] not in NEGATIVE:
        return False
    return index + 1 >= len(tokens) or tokens[index + 1] not in OBJECTIONS


def _clauses(length: int, breaks: frozenset[int]) -> list[tuple[int, int]]:
    """Token ranges between punctuation."""
    edges = [0, *sorted(b for b in breaks if 0 < b < length), length]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]
