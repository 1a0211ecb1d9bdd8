"""Who did the referring: the subject of "melden", not its object.

"de wijkagent meldde de buurman aan" names two melder words, but only the wijkagent referred;
the buurman is who was referred (the client, or the client's relative). Refusing such a
message as naming two melders asks back what the grammar already says, so when an aanmelding
names several melders:
- one cued by "door" beside a referring verb is the melder ("werd aangemeld door de
  huisarts", the passive), the others are who was referred;
- otherwise the melders before the first form of a referring verb (or its auxiliary in the
  perfect: "huisarts heeft de dochter aangemeld") are the subject and the ones after it its
  object ("school meldde de moeder aan").
The dropped words get a card note, so nothing stated is lost silently.
"""

from __future__ import annotations

from collections.abc import Sequence

from casework.registration.slots import SlotResult
from casework.registration.vocabulary import Match

# Forms of the referring verbs (melden, aanmelden, verwijzen, doorsturen, sturen).
REFERRING = frozenset(
    {"meld", "meldt", "melden", "meldde", "meldden", "gemeld", "aangemeld", "aanmelden"}
    | {"aanmeldde", "verwees", "verwezen", "verwijst", "doorverwezen", "stuurde", "stuurt"}
    | {"gestuurd", "doorgestuurd"}
)
# In the perfect the finite auxiliary stands before the object ("heeft de dochter aangemeld").
AUXILIARIES = frozenset({"heeft", "hebben", "had", "hadden", "heb"})
# The agent of the passive; "via" names a channel, and two channels stay a contradiction.
CUES = frozenset({"door"})
_ARTICLES = frozenset({"de", "het", "een", "haar", "zijn", "onze", "mijn"})


def subject_melder(tokens: Sequence[str], read: SlotResult) -> None:
    """Drops the melder matches that name who was referred (module docstring)."""
    melders = [m for m in read.matches if m.value("melder") is not None]
    if len({m.value("melder") for m in melders}) < 2:
        return
    if _verb(tokens) is None:
        return  # no referring verb: two melders are two, asked back ("zelfmelder via ha")
    cued = [m for m in melders if _cued(tokens, m)]
    if cued:
        referred = [m for m in melders if m not in cued]
    else:
        verb = _verb(tokens)
        if verb is None or not any(m.start < verb for m in melders):
            return
        referred = [m for m in melders if m.start > verb]
    for match in referred:
        read.matches.remove(match)
        read.notes.append(f"'{match.words}': aangemeld, niet de melder")
        read.noted.update(range(match.start, match.end))


def _verb(tokens: Sequence[str]) -> int | None:
    """The position of the first referring verb, or of the auxiliary of its perfect."""
    verb = next((i for i, t in enumerate(tokens) if t in REFERRING), None)
    if verb is None:
        return None
    return next((i for i in range(verb) if tokens[i] in AUXILIARIES), verb)


def _cued(tokens: Sequence[str], match: Match) -> bool:
    i = match.start - 1
    while i >= 0 and tokens[i] in _ARTICLES:
        i -= 1
    return i >= 0 and tokens[i] in CUES
