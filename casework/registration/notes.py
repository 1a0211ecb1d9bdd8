"""Card notes for what a message said that its kind does not hold.

"casus 4712 gestart, melder huisarts" is a start of support; a melder belongs to an aanmelding,
so the event cannot hold it. Dropping it silently made the sender believe it was saved: the
card now says which words were not used and why. A word after "naar" is where the client went
("verwezen naar Altrecht", "verhuisd naar Zeist"), not a field, and gets no note.
"""

from __future__ import annotations

from collections.abc import Sequence

from casework.registration.model import CLOSURE_FLAGS
from casework.registration.numbers import Grade
from casework.registration.vocabulary import Match

# Which kind holds each field the vocabulary can name.
_HOLDER: dict[str, str] = {
    "melder": "aanmelding",
    "reden": "afsluiting",
    **dict.fromkeys(CLOSURE_FLAGS, "afsluiting"),
    "leefgebied": "wat_telt_meting",
}
_LABEL = {
    "aanmelding": "een aanmelding",
    "afsluiting": "een afsluiting",
    "wat_telt_meting": "een Wat Telt-meting",
}
_FIELD = {"melder": "melder", "reden": "reden", "leefgebied": "leefgebied"}


def stray_notes(
    kind: str, matches: Sequence[Match], tokens: Sequence[str], grades: Sequence[Grade]
) -> list[str]:
    """One line per stated field that `kind` does not hold, with the kind that would."""
    notes: list[str] = []
    for match in matches:
        if match.start > 0 and tokens[match.start - 1] == "naar":
            continue
        categories = {r.category for r in match.readings}
        if any(_HOLDER.get(c, kind) == kind for c in categories) or not categories & _HOLDER.keys():
            continue
        holder = next(_HOLDER[c] for c in categories if c in _HOLDER)
        name = next((_FIELD[c] for c in categories if c in _FIELD), "afsluitveld")
        notes.append(f"{name} '{match.words}' niet opgeslagen: dat hoort bij {_LABEL[holder]}")
    if grades and kind != "afsluiting":
        shown = grades[0].text
        notes.append(f"cijfer {shown} niet opgeslagen: dat hoort bij een afsluiting")
    return notes
