"""Detectors for person names written with capitals or after a cue.

Names are found from context (a form of address, a relation, "(Jeroen, 41)"), from runs of two
or more capitalised words that are neither sentence openers nor organisation or street words,
and by repeating every name already found elsewhere in the text ("Roos Visser ... Roos").
They over-generate on purpose; the keep list and organisation guard then give back what
routing needs. Addresses are found in addresses.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from knowledge.privacy.lexicon import (
    CLEAR_STREET,
    FORMAL_TITLES,
    INITIALS,
    NAME_WORD,
    PARTICLE,
    PARTICLES,
    RELATIONS,
    STOPWORDS,
    TEMPORAL_ADVERBS,
    TITLE_WORDS,
    is_acronym,
    is_name_token,
    word_alternation,
)
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import is_name, is_whole_dutch_word

_NAME_TAIL = rf"(?:[ ](?:{PARTICLE}[ ])*{NAME_WORD}){{0,3}}"
_TITLED = re.compile(
    rf"(?<![\w-])(?i:{FORMAL_TITLES})(?:[ ]+|[ ]?\([ ]?)"
    rf"(?P<name>(?:{INITIALS}[ ]?)?(?:{PARTICLE}[ ])*{NAME_WORD}{_NAME_TAIL})"
)
_RELATED = re.compile(
    rf"(?<![\w-])(?i:{RELATIONS})[ ]+(?:van[ ]+)?(?P<name>{NAME_WORD}{_NAME_TAIL})(?![\w-])"
)
# "(Jeroen, 41)", "Bakker (36)", "Dawit, 34 jaar": a name next to an age.
_WITH_AGE = re.compile(
    rf"\([ ]?(?P<name>{NAME_WORD}(?:[ ]{NAME_WORD})?)[ ]?,[ ]?\d{{1,3}}\b"
    rf"|(?P<name2>{NAME_WORD}(?:[ ]{NAME_WORD})?)[ ]\([ ]?\d{{1,3}}(?:[ ]?jaar)?[ ]?[,)]"
    rf"|(?P<name3>{NAME_WORD}(?:[ ]{NAME_WORD})?),[ ]?\d{{1,3}}[ ]?jaar\b"
)
_LEADING_TITLE = re.compile(rf"(?i:{FORMAL_TITLES}|{RELATIONS})(?=[\s(])[ (]*")
_LEADING_LOWER = re.compile(r"[a-zà-ÿ']+[ ]+")
_LEADING_WORD = re.compile(r"(\w+)[ ]+")
_ADDRESSED_BEFORE = re.compile(rf"(?i:{FORMAL_TITLES})[ ]+$")
_WORD = re.compile(rf"{NAME_WORD}|(?<![\w-]){PARTICLE}(?![\w-])")


def _trim_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a name span past leading openers and titles, and past trailing particles; a
    leading particle stays ("de Wit")."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    while words:
        word = text[words[0][0] : words[0][1]]
        if word.lower() in PARTICLES:
            break
        if word.lower().rstrip(".:") not in STOPWORDS | TITLE_WORDS and not word.islower():
            break
        words.pop(0)
    while words and text[words[-1][0] : words[-1][1]].lower() in PARTICLES:
        words.pop()
    return (words[0][0], words[-1][1]) if words else (start, start)


def _person(text: str, start: int, end: int, *, cued: bool = False) -> Iterator[Hit]:
    """A name candidate, trimmed. After a cue ("familie Van der Meer") any capitalised word
    will do; without one, at least one word must look like a name rather than a common word."""
    start, end = _trim_words(text, start, end)
    words = text[start:end].split()
    if cued:
        plausible = any(
            w[0].isupper() and w.lower() not in PARTICLES and not is_acronym(w) for w in words
        )
    else:
        plausible = any(is_name_token(word) for word in words)
    if plausible:
        yield Hit(start, end, "persoon")


def tidy_found_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Fit a name span found by another tool (deduce) to our conventions: "mevrouw"/"klant"
    and the "van" of "buurvrouw van Roos" stay outside, since a form of address identifies no
    one and tells experts something; a span with no plausible name word is dropped."""
    titled = bool(_ADDRESSED_BEFORE.search(text[max(0, start - 30) : start]))
    while match := _LEADING_TITLE.match(text, start, end):
        start, titled = match.end(), True
    while not titled and (match := _LEADING_LOWER.match(text, start, end)):
        start = match.end()
    while (match := _LEADING_WORD.match(text, start, end)) and match.group(1).lower() in (
        TEMPORAL_ADVERBS
    ):
        start = match.end()  # "Eergisteren Jan": an adverb of time opened the sentence
    if not any(is_name_token(word) for word in text[start:end].split()):
        return None
    return start, end


def find_titled_names(text: str) -> Iterator[Hit]:
    for pattern in (_TITLED, _RELATED):
        for match in pattern.finditer(text):
            yield from _person(text, *match.span("name"), cued=True)
    for match in _WITH_AGE.finditer(text):
        group = next(g for g in ("name", "name2", "name3") if match.group(g))
        yield from _person(text, *match.span(group))


def find_capitalised_runs(text: str, protected: Sequence[tuple[int, int]] = ()) -> Iterator[Hit]:
    """Two or more capitalised words in a row that look like neither an opener nor an
    organisation or street: catches names the first-name lists do not know."""
    run: list[re.Match[str]] = []
    for match in [*_WORD.finditer(text), None]:
        if match is not None and (not run or text[run[-1].end() : match.start()] == " "):
            run.append(match)
            continue
        yield from _judge_run(text, run, protected)
        run = [match] if match is not None else []


def _judge_run(
    text: str, run: list[re.Match[str]], protected: Sequence[tuple[int, int]]
) -> Iterator[Hit]:
    """Split a run at words that cannot be in a name and at protected words. Capitals glued
    to a protected word belong to that organisation ("Lister Beschermd Wonen"); with a particle
    in between they do not ("Jeroen de Vries van Altrecht")."""
    piece: list[re.Match[str]] = []
    after_protected = False
    for match in [*run, None]:
        word = match.group() if match is not None else ""
        guarded = match is not None and any(
            s < match.end() and e > match.start() for s, e in protected
        )
        if match is not None and not guarded and (word.lower() in PARTICLES or is_name_token(word)):
            piece.append(match)
            continue
        core = list(piece)
        while core and core[0].group().lower() in PARTICLES:
            core.pop(0)
        while core and core[-1].group().lower() in PARTICLES:
            core.pop()
        glued = bool(core) and (
            (after_protected and core[0] is piece[0]) or (guarded and core[-1] is piece[-1])
        )
        names = [m.group() for m in core if m.group().lower() not in PARTICLES]
        street = any(CLEAR_STREET.search(name.lower()) for name in names)
        if len(names) >= 2 and not (street or glued or _is_title(names)):
            yield from _person(text, core[0].start(), core[-1].end())
        piece, after_protected = [], guarded


def _is_title(words: list[str]) -> bool:
    """ "Lekker Leven", "Samen Sterk": capitalised words that are all Dutch words and none a
    known first name or surname title an activity or a service; a person's name has at least
    one word from the name lists."""
    return all(is_whole_dutch_word(w) and not is_name(w) for w in words)


def propagate_names(text: str, persons: Iterable[Hit]) -> Iterator[Hit]:
    """Once "Roos Visser" is known to be a name, a later bare "Roos" is the same person."""
    tokens = {
        token
        for hit in persons
        for token in re.findall(NAME_WORD, text[hit.start : hit.end])
        if len(token) >= 2 and token.lower() not in PARTICLES and not is_acronym(token)
    }
    lowercase_words = set(re.findall(r"(?<![\w-])[a-zà-ÿ]+(?![\w-])", text))
    tokens = {t for t in tokens if is_name_token(t) and t.lower() not in lowercase_words}
    if not tokens:
        return
    for match in re.finditer(rf"(?<![\w-])(?:{word_alternation(tokens)})(?![\w-])", text):
        yield Hit(match.start(), match.end(), "persoon")
