"""Names found from what the other detectors already found, the way a reader resolves them.

A reader of "tesfay en mehret, statushouders. tesfay geb 1990, mehret '95" knows both are
people: whoever a birth date belongs to is a person, a word joined by "en" to a person is one
too, and a person found once is the same person where the word recurs. The detectors of
lexicon_names.py and names.py judge each place on its own; this module spreads their
findings over the text, with the same lexicons as evidence:

- the subject of a birth date ("tesfay geb 1990", "roos is 2003 geboren", "senait, 1997
  geboren") is a name when a name lexicon knows it or no dictionary does;
- a possessive before a relation ("jan's moeder", "ahmeds broer") names its owner;
- "X en <name>" and "<name> en X": X is a name when it is a known first name or a word no
  dictionary knows, not even as a typo;
- a found name recurs as a name: a word no dictionary knows in any case, a first name that
  is also a word ("roos is 2003 geboren ... roos en haar vriend") as it was written, except
  after an article or a determiner ("een roos"), where it is the common word.

Invariants: every hit here starts from an earlier finding (a birth date or a name) or from a
relation word, so a text without any finding gains nothing; the spreading stops when no new
name appears (bounded by the number of words).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from knowledge.privacy.lexicon import PARTICLES, STOPWORDS, word_alternation, word_set
from knowledge.privacy.lexicon_names import (
    ADDRESS_CUES,
    RELATION_CUES,
    could_be_name,
    is_unknown_word,
    name_words,
)
from knowledge.privacy.model import Hit
from knowledge.privacy.patterns import birth_dates_after
from knowledge.privacy.vocabulary import (
    fold,
    is_base_form,
    is_dutch_word,
    is_first_name,
    is_name,
    is_place,
    is_surname,
)

_WORD = r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*"
# What stands between a person and their birth date: "X geb 1990", "X is 1991 geboren",
# "X, 1997 geboren", "X geboren op 3 mei 1980", "X geb.datum: 1-2-80".
_BEFORE_BIRTH_DATE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_WORD})[ ]?[,(]?[ ]?(?:(?:is|was)[ ])?"
    r"(?:(?:geb(?:oren)?|geb\.?[ ]?datum|geboortedatum|gebdat)\.?:?[ ]?(?:op[ ]|in[ ])?)?$",
    re.IGNORECASE,
)
_LOOK_BACK = 60  # a name and the longest cue between it and its date
_POSSESSIVE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORD}?)(?P<mark>['’]s|s)[ ](?P<relation>\w+)")
_JOINED_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORD})[ ]en[ ]$")
_JOINED_AFTER = re.compile(rf"[ ]en[ ](?P<name>{_WORD})(?![\w'’-])")
_RIGHT_BEFORE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORD})[ ]$")
# Before these a first name is the common word: "een roos", "die mark".
DETERMINERS = word_set("de het een die dat deze dit geen elke iedere mijn je jouw zijn haar ons")
PREPOSITIONS = word_set(
    "aan achter bij binnen boven buiten door in langs met na naar naast om onder op over rond "
    "tegen tot tussen uit van via voor zonder"
)


# People named by their role in a register-like list: "dhr (1968), mw (1971)", "kids 2012".
PERSON_NOUNS = (ADDRESS_CUES | RELATION_CUES) - word_set(
    "heet heten genaamd naam roepnaam voornaam achternaam familienaam meisjesnaam alias tnv"
)


def birth_dates_after_person_nouns(text: str) -> Iterator[Hit]:
    """A date or year right after a person noun is that person's birth date, as after a name."""
    for match in re.finditer(rf"(?<![\w'’-]){_WORD}", text):
        if fold(match.group()) in PERSON_NOUNS:
            for start, end in birth_dates_after(text, match.end()):
                yield Hit(start, end, "geboortedatum")


_OF_A_YEAR = re.compile(
    rf"(?<![\w'’-])(?P<name>{_WORD})[ ](?:is|was)[ ](?:zelf[ ]|ook[ ])?van[ ]"
    r"(?P<date>(?:19|20)\d{2}|['’‘`]\d{2})(?![\d\w])"
)


def subjects_of_a_year(text: str) -> Iterator[Hit]:
    """ "shurandy is van 2008": someone who "is of" a year is born in it; a thing is not ("de
    brief is van 2023"), so the subject must read as a name."""
    for match in _OF_A_YEAR.finditer(text):
        word = match.group("name")
        if _after_article_or_preposition(text, match.start()) or not _not_a_place(word):
            continue
        if (is_name(word) and is_base_form(word)) or not is_dutch_word(word):
            yield Hit(match.start("name"), match.end("name"), "persoon")
            yield Hit(match.start("date"), match.end("date"), "geboortedatum")


def names_before_birth_dates(text: str, birth_dates: Iterable[Hit]) -> Iterator[Hit]:
    """The person a birth date is given for."""
    for date in birth_dates:
        match = _BEFORE_BIRTH_DATE.search(text, max(0, date.start - _LOOK_BACK), date.start)
        if match is None or _after_article_or_preposition(text, match.start("name")):
            continue  # "werkt in de kas, 1993 geboren": the person came earlier
        word = match.group("name")
        if _not_a_place(word) and (is_name(word) or not is_dutch_word(word)):
            yield Hit(match.start("name"), match.end("name"), "persoon")


def possessive_names(text: str) -> Iterator[Hit]:
    """ "jan's moeder", "ahmeds broer": without an apostrophe only a known name that is no
    Dutch word ("huis broer" is no possessive)."""
    for match in _POSSESSIVE.finditer(text):
        if fold(match.group("relation")) not in RELATION_CUES:
            continue
        name = match.group("name")
        apostrophe = match.group("mark") != "s"
        if apostrophe and _names_someone(name) or is_name(name) and not is_dutch_word(name):
            yield Hit(match.start("name"), match.end("name"), "persoon")


def spread_names(text: str, persons: list[Hit]) -> list[Hit]:
    """Names joined by "en" to a found name and recurrences of found first names, repeated
    until nothing new appears; only the new hits are returned."""
    known = list(persons)
    new: list[Hit] = []
    while True:
        candidates = (
            *_joined(text, known),
            *_recurring_first_names(text, known),
            *_recurring(text, name_words(text, known)),
        )
        found = [
            hit
            for hit in candidates
            if not any(h.start <= hit.start and hit.end <= h.end for h in known)
        ]
        if not found:
            return new
        known += found
        new += found


def _joined(text: str, persons: Iterable[Hit]) -> Iterator[Hit]:
    for hit in persons:
        before = _JOINED_BEFORE.search(text, max(0, hit.start - _LOOK_BACK), hit.start)
        after = _JOINED_AFTER.match(text, hit.end)
        for match in (before, after):
            if match is None:
                continue
            word = match.group("name")
            if could_be_name(word) and (
                is_first_name(word) or (is_unknown_word(word) and not is_place(word))
            ):
                yield Hit(match.start("name"), _surname_end(text, match.end("name")), "persoon")
        # "vader kwame mensah": a first name right before a found surname is its first name
        first = _RIGHT_BEFORE.search(text, max(0, hit.start - _LOOK_BACK), hit.start)
        if first and could_be_name(first.group("name")) and is_first_name(first.group("name")):
            yield Hit(first.start("name"), hit.end, "persoon")


_NEXT_WORD = re.compile(rf"[ ](?P<word>{_WORD})(?![\w'’-])")


def _surname_end(text: str, end: int) -> int:
    """ "ruud en ans jacobs": a surname after a joined first name belongs to it."""
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return end
    word = following.group("word")
    surname = could_be_name(word) and is_surname(word) and not is_place(word)
    if surname and (not is_dutch_word(word) or is_base_form(word)):
        return following.end("word")
    return end


def _recurring_first_names(text: str, persons: Iterable[Hit]) -> Iterator[Hit]:
    """Found first names elsewhere in the text, written as they were found: whoever wrote
    "Meneer Kok" with a capital and then "is kok geweest" meant the trade the second time.
    A found surname that is a Dutch word recurs in lower case as the word, unless a particle
    or a first name stands before it."""
    words = {
        word
        for hit in persons
        for word in re.findall(_WORD, text[hit.start : hit.end])
        if len(word) >= 3 and could_be_name(word) and is_first_name(word) and is_base_form(word)
    }
    words = {w for w in words if fold(w) not in STOPWORDS}
    if not words:
        return
    surnames = _surnames_that_are_words(text, persons)
    for match in re.finditer(rf"(?<![\w'’-])(?:{word_alternation(words)})(?![\w-])", text):
        before = _word_before(text, match.start())
        if before in DETERMINERS:
            continue
        lower_surname = match.group().islower() and fold(match.group()) in surnames
        if lower_surname and before not in PARTICLES and not is_first_name(before):
            continue  # "wouter de kok is kok geweest": the trade, not the surname again
        yield Hit(match.start(), match.end(), "persoon")


def _surnames_that_are_words(text: str, persons: Iterable[Hit]) -> set[str]:
    """The Dutch words that stand in a surname's place in a found name: after a particle or
    after the first word ("de kok", "jan bakker"). Lower case elsewhere they are the word."""
    found = set()
    for hit in persons:
        words = re.findall(_WORD, text[hit.start : hit.end])
        for word in words[1:]:
            if fold(word) not in PARTICLES and is_dutch_word(word):
                found.add(fold(word))
    return found


def _word_before(text: str, start: int) -> str:
    before = re.search(rf"({_WORD})[ ]+$", text[max(0, start - 20) : start])
    return fold(before.group(1)) if before else ""


def _after_article_or_preposition(text: str, start: int) -> bool:
    return _word_before(text, start) in DETERMINERS | PREPOSITIONS


def _recurring(text: str, words: set[str]) -> Iterator[Hit]:
    """Every other occurrence, in any case, of a name word that is no Dutch word."""
    if not words:
        return
    for match in re.finditer(rf"(?<![\w-])(?i:{word_alternation(words)})(?![\w-])", text):
        yield Hit(match.start(), match.end(), "persoon")


def _not_a_place(word: str) -> bool:
    return could_be_name(word) and not is_place(word)


def _names_someone(word: str) -> bool:
    """A name lexicon knows it (and it is no inflected verb), or no dictionary does."""
    return could_be_name(word) and ((is_name(word) and is_base_form(word)) or is_unknown_word(word))
