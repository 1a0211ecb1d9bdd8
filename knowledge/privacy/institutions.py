"""Names that name a place or an institution, not a person, by the words Dutch puts before them.

- A saint's name is a hospital, a school, a parish or an island: after "st", "st." or "sint"
  ("de st willibrord", "Sint Maarten", "het St. Antonius") the name is no person.
- A person never takes the article "het": after a preposition and "het" a name is the
  institution named after someone ("ligt in het antonius", "naar het Diakonessenhuis").
  Nor "de" before a first name: after a preposition and "de" a first name and the capitalised
  word after it name a business after its founder ("bij de Albert Heijn").
- After "uit", "in", "naar", "vanuit" or "van" a country or territory is a place ("komt uit
  bonaire", "naar Sint Maarten"): the ISO 3166 names in Dutch and the regions of
  knowledge/data/privacy_places.txt (vocabulary.place_names), one word or several. After
  "in", "uit", "naar" or "vanuit" a town of deduce's gazetteer (vocabulary.places) that is no
  first name is a place too ("woont in Breda"). After a
  first name or a form of address "van" is a particle ("Jan van Gent", "mevrouw van Dam").

These stretches join the keep list's (keep.py): what they cover is given back by weak hits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.lexicon import FORMAL_TITLES
from knowledge.privacy.vocabulary import fold, is_first_name, is_place, place_names

_WORD = r"[^\W\d_]+(?:[-'’.][^\W\d_]+)*"
_SAINT = re.compile(rf"(?<![\w-])(?i:st\.?|sint)[ -](?P<name>{_WORD}(?:[ ]{_WORD})?)")
_PREPOSITIONS = "in|naar|uit|bij|van|op|via|vanuit|aan|met|voor"
_INSTITUTION = re.compile(
    rf"(?<![\w-])(?i:{_PREPOSITIONS})[ ](?i:het)[ ](?P<name>{_WORD})(?![\w-])"
)
_CAPITALISED = r"[A-Z][^\W\d_]*(?:[-'’][^\W\d_]+)*"
_FOUNDER = re.compile(
    rf"(?<![\w-])(?i:{_PREPOSITIONS})[ ](?i:de)[ ]"
    rf"(?P<first>{_CAPITALISED})[ ](?P<name>{_CAPITALISED})"
)
_TO_OR_FROM = re.compile(r"(?<![\w-])(?i:uit|in|naar|vanuit|van)[ ]+")
_FOLLOWING = re.compile(rf"{_WORD}")
_ADDRESSED = re.compile(rf"(?i:{FORMAL_TITLES})[ ]+$")
_MAX_PLACE_WORDS = 6  # "bonaire, sint eustatius en saba" and longer ISO names


def place_and_institution_spans(text: str) -> Iterator[tuple[int, int]]:
    """Stretches of `text` that name a place or institution by the rules above."""
    for match in _SAINT.finditer(text):
        name = match.group("name")
        # the second word only when it is written as a name too ("Sint Maarten", "st jozef")
        end = match.end() if _second_is_name(name) else match.start("name") + len(name.split()[0])
        yield match.start(), end
    for match in _INSTITUTION.finditer(text):
        yield match.span("name")
    for match in _FOUNDER.finditer(text):
        if is_first_name(match.group("first")):
            yield match.start("first"), match.end("name")
    for match in _TO_OR_FROM.finditer(text):
        if match.group().strip().lower() == "van" and _particle(text, match.start()):
            continue
        place_end = _place_end(text, match.end())
        if place_end is not None:
            yield match.end(), place_end
        elif match.group().strip().lower() != "van" and (town := _town(text, match.end())):
            yield match.end(), town


def _second_is_name(name: str) -> bool:
    words = name.split()
    return len(words) == 2 and (words[1][:1].isupper() or is_first_name(words[1]))


def _particle(text: str, start: int) -> bool:
    """ "van" after a first name or a form of address begins a surname."""
    before = text[max(0, start - 40) : start]
    if _ADDRESSED.search(before):
        return True
    word = re.search(rf"({_WORD})[ ]*$", before)
    if word is None:
        return False
    return word.group(1)[:1].isupper() or is_first_name(word.group(1))


def _town(text: str, start: int) -> int | None:
    """The end of a Dutch or Belgian municipality or town (vocabulary.places: deduce's
    gazetteer) at `start` that is no first name: "woont in Breda", "verhuisd naar Zeist"."""
    word = _FOLLOWING.match(text, start)
    if word is None or not is_place(word.group()) or is_first_name(word.group()):
        return None
    return word.end()


def _place_end(text: str, start: int) -> int | None:
    """The end of the longest country or territory name that starts at `start`."""
    words: list[re.Match[str]] = []
    position = start
    while len(words) < _MAX_PLACE_WORDS and (word := _FOLLOWING.match(text, position)):
        words.append(word)
        gap = re.match(r",?[ ]", text[word.end() :])
        if gap is None:
            break
        position = word.end() + gap.end()
    names = place_names()
    for count in range(len(words), 0, -1):
        phrase = text[start : words[count - 1].end()]
        if fold(re.sub(r"\s+", " ", phrase)) in names:
            return words[count - 1].end()
    return None
