"""A state registered by its end: "einde wachtlijst", "wachtlijst beeindigd", "niet langer op
de wachtlijst" all take the client off the list, though the phrase found is the list's own.

Some kinds put a client into a state that a paired kind takes them out of (`ENDED_BY`). A
phrase of such a state kind is read as its ending when an end word stands right before or
after it (words of termination: "einde", "beeindigd", "gestopt", "afgelopen"), or
when "niet"/"geen" with "meer"/"langer" comes before it ("niet langer op wl"): the message
says the state stops, not that it starts. The end word is then part of that phrase, so it no
longer reads as an afsluiting beside it (which refused the message as two kinds).
"""

from __future__ import annotations

from collections.abc import Sequence

from casework.registration.vocabulary import Match, Reading

# The state a kind starts, and the kind that ends it (domain fact of the event model).
ENDED_BY = {"wachtlijst_in": "wachtlijst_uit"}
# Words of termination (Dutch lexicon). Words of completion ("afgerond", "klaar") are not
# among them: "wachtlijst afgerond" may say the placing on the list is done, so it is asked.
_END_WORDS = frozenset(
    {"einde", "eind", "beeindigd", "beeindiging", "gestopt", "stop", "afgelopen", "voorbij"}
    | {"opgeheven", "vervallen", "geschrapt"}
)
_NEGATIONS = frozenset({"niet", "geen"})
_LONGER = frozenset({"meer", "langer"})
_SKIPPED = frozenset({"op", "de", "het", "van", "uit", "met"})
_CLOSURE = "afsluiting"


def ended_states(tokens: Sequence[str], matches: list[Match]) -> None:
    """Rewrites state-kind matches said with an end word or "niet meer" to the ending kind."""
    ends = _END_WORDS
    for match in list(matches):
        ending = ENDED_BY.get(match.value("kind") or "")
        if ending is None:
            continue
        span = _end_span(tokens, match, ends)
        if span is None:
            continue
        start, end = span
        matches[:] = [
            m
            for m in matches
            if m is not match and not (m.value("kind") == _CLOSURE and start <= m.start < end)
        ]
        words = " ".join(tokens[start:end])
        matches.append(Match(start, end, words, (Reading("kind", ending),)))


def _end_span(tokens: Sequence[str], match: Match, ends: frozenset[str]) -> tuple[int, int] | None:
    """The tokens of the phrase with its end word or negation, or None when it has none."""
    if match.end < len(tokens) and tokens[match.end] in ends:
        return match.start, match.end + 1
    before = match.start - 1
    while before >= 0 and tokens[before] in _SKIPPED:
        before -= 1
    if before >= 0 and tokens[before] in ends:
        return before, match.end
    if before >= 1 and tokens[before] in _LONGER and tokens[before - 1] in _NEGATIONS:
        return before - 1, match.end
    return None
