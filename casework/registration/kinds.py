"""Which kind words name the event, and when the kind words alone do not say which event.

Two readings of the kind phrases the scan found, both from the message's grammar:
- a kind phrase that is the object of a preposition describes the event, it does not name it
  ("kennis gemaakt met nieuwe klant": a kennismaking, not an aanmelding; "na de kennismaking
  gestart": a start). When another kind phrase stands free, the described one is dropped, so
  the message is not refused as holding two registrations (`drop_described`);
- a kind phrase after a modal verb is an intention, not the event ("wachtlijst verlaten, kan
  nu starten": off the list, the start is still to come): dropped the same way;
- a kind phrase of two or more content words said with other glue words ("hulp in
  huishouden" for "hulp bij het huishouden", "start met begeleiding"): read as that phrase
  when its content words, in order, are one kind's only (`glued_phrases`);
- a closure word right after another kind's phrase says that event is done, it names no
  afsluiting ("kennismaking afgerond", "intake beeindigd"): it is dropped, unless the phrase
  before it could be several kinds ("wachtlijst beeindigd": the card cannot tell which)
  (`drop_completions`);
- a one-word kind phrase that the phrases of several kinds hold ("wachtlijst", "wl": on or
  off the list) names no event on its own: a message that says nothing else beside the case
  number and the team is asked back instead of guessed (`undirected`).
"""

from __future__ import annotations

from collections.abc import Sequence

from casework.registration.slots import SlotResult
from casework.registration.vocabulary import Match, Reading, Vocabulary

# Prepositions that make the phrase after them an object; articles may stand between.
PREPOSITIONS = frozenset({"met", "na", "bij", "tijdens", "over", "sinds"})
MODALS = frozenset({"kan", "kunnen", "gaat", "gaan", "zal", "zullen", "wil", "willen", "mag"})
# Words a phrase may say otherwise without changing what it names ("hulp in/bij het").
GLUE = frozenset({"de", "het", "een", "in", "bij", "op", "van", "met", "voor", "aan"})
_MODAL_REACH = 2  # "kan nu starten"
_ARTICLES = frozenset({"de", "het", "een", "onze", "ons", "mijn", "haar", "zijn"})
# Words that only point at the case: beside them a lone "wachtlijst" still says no direction.
_CASE_WORDS = frozenset(
    {"casus", "casusnummer", "cs", "dossier", "nr", "nummer", "klant", "client"}
)


def drop_described(tokens: Sequence[str], matches: list[Match]) -> None:
    """Removes kind matches that follow a preposition, when a kind match that does not is
    left (a message with only described kinds keeps them: they are all it says)."""
    kinds = [m for m in matches if m.value("kind") is not None]
    described = [
        m for m in kinds if _after_preposition(tokens, m.start) or _after_modal(tokens, m.start)
    ]
    named = {m.value("kind") for m in kinds if m not in described}
    if not described or not named:
        return
    for match in described:
        if match.value("kind") not in named:
            matches.remove(match)


def drop_completions(tokens: Sequence[str], matches: list[Match], vocabulary: Vocabulary) -> None:
    """Removes afsluiting matches that directly follow a match of another, single kind."""
    starts = {m.end: m for m in matches if m.value("kind") not in (None, "afsluiting")}
    for match in list(matches):
        before = starts.get(match.start)
        if match.value("kind") != "afsluiting" or before is None:
            continue
        if len(_kinds_holding(before.words.split(), vocabulary)) == 1:
            matches.remove(match)


def _kinds_holding(words: Sequence[str], vocabulary: Vocabulary) -> set[str]:
    """The kinds with a phrase that holds all of `words`."""
    wanted = set(words)
    return {
        reading.value
        for phrase, readings in vocabulary.phrases.items()
        if wanted <= set(phrase)
        for reading in readings
        if reading.category == "kind"
    }


def _after_modal(tokens: Sequence[str], start: int) -> bool:
    return any(t in MODALS for t in tokens[max(0, start - _MODAL_REACH) : start])


def glued_phrases(tokens: Sequence[str], read: SlotResult, vocabulary: Vocabulary) -> None:
    """Kind matches for runs of free words whose content words (all but `GLUE`) are those of
    a kind phrase with two or more content words, in order, and of one kind only."""
    skeletons: dict[tuple[str, ...], set[str]] = {}
    for phrase, readings in vocabulary.phrases.items():
        content = tuple(w for w in phrase if w not in GLUE)
        for reading in readings:
            if reading.category == "kind" and len(content) > 1:
                skeletons.setdefault(content, set()).add(reading.value)
    longest = max(map(len, skeletons), default=0)
    # A leefgebied word may be part of the phrase ("huishouden" in "hulp in huishouden").
    inside = {
        i
        for m in read.matches
        if any(r.category != "leefgebied" for r in m.readings)
        for i in range(m.start, m.end)
    }
    i = 0
    while i < len(tokens):
        found = _glued_at(tokens, i, inside, skeletons, longest)
        if found is None:
            i += 1
            continue
        end, kind = found
        read.matches[:] = [m for m in read.matches if m.end <= i or m.start >= end]
        read.matches.append(Match(i, end, " ".join(tokens[i:end]), (Reading("kind", kind),)))
        i = end


def _glued_at(
    tokens: Sequence[str],
    start: int,
    inside: set[int],
    skeletons: dict[tuple[str, ...], set[str]],
    longest: int,
) -> tuple[int, str] | None:
    """(end, kind) of the longest glued phrase starting at `start` with a content word."""
    if start in inside or tokens[start] in GLUE:
        return None
    best: tuple[int, str] | None = None
    content: list[str] = []
    for end in range(start, len(tokens)):
        if end in inside or len(content) > longest:
            break
        if tokens[end] not in GLUE:
            content.append(tokens[end])
            kinds = skeletons.get(tuple(content), set())
            if len(kinds) == 1:
                best = (end + 1, next(iter(kinds)))
    return best


def _after_preposition(tokens: Sequence[str], start: int) -> bool:
    i = start - 1
    while i >= 0 and tokens[i] in _ARTICLES:
        i -= 1
    return i >= 0 and tokens[i] in PREPOSITIONS


def undirected(
    tokens: Sequence[str], matches: Sequence[Match], vocabulary: Vocabulary
) -> list[str]:
    """The kinds a message could mean when its only kind phrase is shared by several kinds
    (each holds a phrase with all its words) and it says nothing else: outside the matches
    only articles and words for the case (dates and numbers are already taken out of
    `tokens`; any other word, even "erbij" or "gezet", may give the direction); else []."""
    kind_matches = [m for m in matches if m.value("kind") is not None]
    if len(kind_matches) != 1 or kind_matches[0].end - kind_matches[0].start != 1:
        return []  # "op de wachtlijst" is directed, though "niet meer op de wachtlijst" holds it
    kinds = sorted(_kinds_holding([kind_matches[0].words], vocabulary))
    if len(kinds) < 2:
        return []
    inside = {i for m in matches for i in range(m.start, m.end)}
    silent = _ARTICLES | _CASE_WORDS
    if any(t not in silent and not t.isdigit() for i, t in enumerate(tokens) if i not in inside):
        return []
    return kinds
