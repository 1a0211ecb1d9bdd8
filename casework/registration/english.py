"""English registration words written in Dutch, before anything reads the message.

Colleagues mix in English ("2277 off the waitinglist", "intake meeting done"). A small
glossary of the registration vocabulary's own words (`casework/data/english.csv`: English
word or phrase, Dutch word or phrase) is applied to whole words, longest phrase first, so the
Dutch vocabulary, dates and abbreviations read the result. It translates the vocabulary, not
messages: a word outside it stays as typed (and is noted on the card when unread).

Invariants: whole words only; every Dutch side is a vocabulary, date or filler word, checked
by the tests (`test_registration_grammar.py`); the privacy check sees the message as typed,
and excuses an English "name" only when all its words are in the glossary.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

_GLOSSARY = Path(__file__).resolve().parent.parent / "data" / "english.csv"


@cache
def glossary() -> dict[str, str]:
    """Folded English phrase -> Dutch phrase."""
    with _GLOSSARY.open(encoding="utf-8", newline="") as handle:
        return {row["english"].strip(): row["dutch"].strip() for row in csv.DictReader(handle)}


@cache
def _pattern() -> re.Pattern[str]:
    phrases = sorted(glossary(), key=len, reverse=True)
    return re.compile(rf"(?<![\w'’-])(?:{'|'.join(map(re.escape, phrases))})(?![\w'’-])")


def in_dutch(text: str) -> str:
    """`text` (normalised) with the glossary's English words written in Dutch."""
    return _pattern().sub(lambda m: glossary()[m.group()], text)


def all_english(phrase: str) -> bool:
    """Whether every word of `phrase` (normalised) is in the glossary."""
    words = set(" ".join(glossary()).split())
    return bool(phrase.split()) and all(word in words for word in phrase.split())
