"""Which kind words name the event, and when the kind words alone do not say which event.

Two readings of the kind phrases the scan found, both from the message's grammar:
- a kind phrase that is the object of a preposition describes the event, it does not name it
  ("kennis gemaakt met nieuwe klant": a kennismaking, not an aanmelding; "na de kennismaking
  gestart": a start). When another kind phrase stands free, the described one is dropped, so
  the message is not refused as holding two registrations (`drop_described`);
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

from casework.registration.vocabulary import Match, Vocabulary

# Prepositions that make the phrase after them an object; articles may stand between.
PREPOSITIONS = frozenset({"met", "na", "bij", "tijdens", "over", "sinds"})
_ARTICLES = frozenset({"de", "het", "een", "onze", "ons", "mijn", "haar", "zijn"})
# Words that only point at the case: beside them a lone "wachtlijst" still says no direction.
_CASE_WORDS = frozenset(
    {"casus", "casusnummer", "cs", "dossier", "nr", "nummer", "klant", "client"}
)


def drop_described(tokens: Sequence[str], matches: list[Match]) -> None:
    """Removes kind matches that follow a preposition, when a kind match that does not is
    left (a message with only described kinds keeps them: they are all it says)."""
    kinds = [m for m in matches if m.value("kind") is not None]
    described = [m for m in kinds if _after_preposition(tokens, m.start)]
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
