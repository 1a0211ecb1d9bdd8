"""Vocabulary words in another grammatical form, read by their dictionary lemma (simplemma).

Cues are written in one form, colleagues write the verb as it falls in their sentence:
- a closure reason as a finite verb or infinitive ("klant stopt zelf", "gaat verhuizen",
  "wilde zelf stoppen" for the cue "gestopt"): a free word whose lemma, or the word itself,
  is the lemma of a one-word cue reads as that cue's value, when every cue it fits means the
  same (simplemma gives "stoppen" the noun lemma "stop", so the word itself is compared too)
  (`verb_forms`);
- "zelf" beside any verb in an aanmelding ("zelf binnengelopen", "heeft zelf gemaild") is the
  shape of the zelfmelder cues "zelf gemeld", "belde zelf", "kwam zelf" (`self_reported`);
- a separable verb split over its clause ("school meldde hem aan", "ik sluit 4411 af"): the
  particle joined to the verb's lemma is a one-word cue ("aanmelden", "afsluiten")
  (`separable_verbs`).

Invariants: only free words (in no phrase, not a number) are read; a word right after a
negation ("niet verhuisd") is left to the negation rules; a value read from a verb form or
from "zelf" is marked guessed (the card asks), because it is less sure than the cue itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache

import simplemma

from casework.registration.slots import NEGATORS, SlotResult
from casework.registration.vocabulary import Match, Reading, Vocabulary

_MIN_WORD = 4


@cache
def _lemma(word: str) -> str:
    return str(simplemma.lemmatize(word, lang="nl"))


def _forms(word: str) -> frozenset[str]:
    return frozenset({word, _lemma(word)})


def _index(vocabulary: Vocabulary, category: str) -> dict[str, set[str]]:
    """Lemma -> the values of the one-word cues of `category` with that lemma."""
    found: dict[str, set[str]] = defaultdict(set)
    for phrase, readings in vocabulary.phrases.items():
        value = next((r.value for r in readings if r.category == category), None)
        if value is not None and len(phrase) == 1 and len(phrase[0]) >= _MIN_WORD:
            found[_lemma(phrase[0])].add(value)
    return found


def verb_forms(
    tokens: Sequence[str], read: SlotResult, vocabulary: Vocabulary, category: str
) -> None:
    """Adds a match of `category` for the first free word that is another form of one of its
    one-word cues, unless the message already names a value of it."""
    if any(m.value(category) for m in read.matches):
        return
    index = _index(vocabulary, category)
    inside = {i for m in read.matches for i in range(m.start, m.end)}
    for i, token in enumerate(tokens):
        if i in inside or len(token) < _MIN_WORD or token.isdigit() or token in vocabulary.words:
            continue
        if i and tokens[i - 1] in NEGATORS:
            continue
        values = set().union(*(index.get(form, set()) for form in _forms(token)))
        if len(values) == 1:
            read.matches.append(Match(i, i + 1, token, (Reading(category, values.pop()),)))
            read.guessed.add(category)
            return


def self_reported(tokens: Sequence[str], read: SlotResult) -> None:
    """A zelfmelder for "zelf" beside a verb of the message ("zelf binnengelopen", "heeft
    zelf gebeld", "kwam zelf langs"): the melder cues "zelf gemeld", "belde zelf", "kwam
    zelf" are all this shape, with any verb of coming or reaching out. A verb is a word that
    simplemma lemmatises to an infinitive other than itself. Only when no melder was read,
    and only on free words; the card asks to check it (guessed)."""
    if any(m.value("melder") for m in read.matches):
        return
    inside = {i for m in read.matches for i in range(m.start, m.end)}
    # A kind's verb may be the one ("zelf binnengekomen"), other fields' words not.
    inside -= {i for m in read.matches if m.value("kind") for i in range(m.start, m.end)}
    for i, token in enumerate(tokens):
        if token != "zelf" or i in inside:
            continue
        if i and tokens[i - 1] in NEGATORS:
            continue
        beside = [j for j in (i - 1, i + 1) if 0 <= j < len(tokens) and j not in inside]
        if any(_is_verb_form(tokens[j]) for j in beside):
            read.matches.append(Match(i, i + 1, token, (Reading("melder", "zelfmelder"),)))
            read.guessed.add("melder")
            return


def _is_verb_form(word: str) -> bool:
    lemma = _lemma(word)
    return len(word) >= _MIN_WORD and lemma != word and lemma.endswith("en")


# Particles of Dutch separable verbs: in a main clause the verb comes second and its particle
# at the end ("school meldde hem aan" is "aanmelden", "ik sluit 4411 af" is "afsluiten").
PARTICLES = frozenset({"aan", "af", "op", "uit", "in", "door", "mee", "terug", "weg", "over"})


def separable_verbs(
    tokens: Sequence[str], read: SlotResult, vocabulary: Vocabulary, categories: Sequence[str]
) -> None:
    """Matches for a free verb form and a free particle later in its clause whose joined
    lemma is a one-word cue of `categories` ("meldde ... aan" as the kind aanmelding,
    "verwees ... door" as the reason verwezen); the first category that has it wins."""
    index = {category: _index(vocabulary, category) for category in categories}
    inside = {i for m in read.matches for i in range(m.start, m.end)}
    for i, token in enumerate(tokens):
        if i in inside or len(token) < 3 or not _lemma(token).endswith("en"):
            continue  # a verb: its lemma is an infinitive ("sluit" is "sluiten")
        for j in range(i + 1, len(tokens)):
            if j in read.breaks:
                break
            if tokens[j] not in PARTICLES or j in inside:
                continue
            joined = tokens[j] + _lemma(token)
            for category in categories:
                values = index[category].get(joined, set())
                if len(values) == 1:
                    reading = Reading(category, next(iter(values)))
                    read.matches.append(Match(i, i + 1, token, (reading,)))
                    read.matches.append(Match(j, j + 1, tokens[j], (reading,)))
                    inside |= {i, j}
                    break
            break
