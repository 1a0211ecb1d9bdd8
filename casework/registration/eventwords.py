"""What the privacy check must know about registration words, so it does not take them for
client data.

A case number followed by a registration word has the shape of a postcode ("4411 EW nee",
"5903 di", "3184 on the waitlist"); a number right after the words of the event kind has the
shape of a birth year ("kennismaking 1920", "wl in 1944"); a shortened event word or an
English glossary word may look like a name to the learned detector ("aanvr.", "afgesl",
"off the waitinglist"). These answers come from the vocabulary and its abbreviations, and
only the words of the event (kinds, reasons, closure flags) count: a first name is never an
abbreviation (`Abbreviations.protected`), so no name is excused this way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from casework.registration.abbreviations import Abbreviations, Categories
from casework.registration.dates import SHORT_WEEKDAYS
from casework.registration.english import all_english, in_dutch
from casework.registration.model import CLOSURE_FLAGS
from casework.registration.text import TOKEN, normalise
from casework.registration.vocabulary import Vocabulary

# What may follow a case number in a message that looks like "4411 EW" (a postcode's shape).
AFTER_REF = frozenset({"kind", "reden", *CLOSURE_FLAGS})
_KIND_ONLY = frozenset({"kind"})


@dataclass(frozen=True)
class EventWords:
    """Answers for the privacy check (`PrivacyGuard.found`).

    Args:
        vocabulary: the registration words.
        abbreviations: the vocabulary's abbreviations.
        expand: a word written out (abbreviation, compound or typo) among some categories.
    """

    vocabulary: Vocabulary
    abbreviations: Abbreviations
    expand: Callable[[str, Categories], str]

    def is_registration_word(self, word: str) -> bool:
        """A kind or closure word, or its abbreviation ("ew", "zv", "wl", "km"), or a
        shortened weekday ("di"), or an English word for one ("on")."""
        word = in_dutch(word).split()[0]
        if word in SHORT_WEEKDAYS:
            return True
        readings = (r for phrase in self.vocabulary.phrases_with(word) for r in phrase)
        if any(r.category in AFTER_REF for r in readings):
            return True
        return self.abbreviations.expand(word, AFTER_REF) is not None

    def ends_with_kind(self, before: str) -> bool:
        """Whether `before` ends (bar spaces and a colon) with words that name an event kind,
        written out or abbreviated ("kennismaking", "wl in", "start ond."): a number there is
        the case number. Only the words of the kind itself count, so "geboren in" does not."""
        tokens = [self.expand(t, _KIND_ONLY) for t in TOKEN.findall(normalise(before))[-3:]]
        if not tokens or re.search(r"[^\w\s.:]\s*$", before):
            return False
        return any(
            m.end == len(tokens) and m.value("kind") is not None
            for m in self.vocabulary.scan(tokens)
        )

    def is_any_word(self, word: str) -> bool:
        """A word of any registration phrase as written (a melder's "vt" too); no
        abbreviation, so few letter pairs of real postcodes qualify."""
        return bool(self.vocabulary.phrases_with(word))

    def is_shortened_word(self, words: str) -> bool:
        """English glossary words, or one word that shortens an event word ("aanvr.")."""
        return all_english(words) or self.abbreviations.expand(words, AFTER_REF) is not None
