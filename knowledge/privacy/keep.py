"""Text that must survive de-identification because routing needs it.

Sources: the keep list in ``knowledge/data/privacy_keep.txt`` (teams, neighbourhoods,
organisations, services); names of organisations, activities and places recognised by their
head word or article ("Stichting Al Amal", "de cursus Positief Opvoeden", "De Kleine Prins");
places and institutions by the words before them ("uit bonaire", "in het antonius", "de st
willibrord": institutions.py); a street named without a house number, as where something is
("kantoor aan de Jutfaseweg"); and ages ("78 jaar", "man van 62"), which say little about who
someone is but a lot about which expert fits. A keep term inside a name after a form of
address is a surname ("meneer Van Noord") and is not protected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from knowledge.privacy.addresses import numbered_after
from knowledge.privacy.institutions import place_and_institution_spans
from knowledge.privacy.lexicon import (
    ACTIVITY_HEADS,
    CLEAR_STREET,
    CLEAR_STREET_SUFFIXES,
    NAME_WORD,
    ORG_HEADS,
    PARTICLE,
)

DEFAULT_KEEP_FILE = Path(__file__).resolve().parent.parent / "data" / "privacy_keep.txt"

_ORG_NAME = re.compile(
    rf"(?<![\w-])(?:{ORG_HEADS})(?:[ ](?:(?:{PARTICLE}|voor|des|en|&)[ ])*"
    rf"(?:{NAME_WORD}|[A-Z0-9][\w&+-]*)){{1,4}}"
)
# "de cursus Positief Opvoeden", "buurthuis De Kaap": capitals after an activity or a place.
_ACTIVITY_NAME = re.compile(
    rf"(?<![\w-])(?:{ACTIVITY_HEADS})[ ]{NAME_WORD}"
    rf"(?:[ ](?:{PARTICLE}[ ]|voor[ ])?{NAME_WORD}){{0,3}}"
)
# "De Kleine Prins", "Het Open Huis": an article and two capitalised words name a place or
# an organisation, not a person ("De Vries" has only one).
_TITLE_PHRASE = re.compile(
    rf"(?<![\w-])(?:De|Het|Den|'t)[ ]{NAME_WORD}(?:[ ](?:{PARTICLE}[ ])*{NAME_WORD})+"
)
# "Globe College", "Ulu Moskee", "Cumulus Welzijn": capitalised words before a word that
# names an institution are that institution's name (the heads of ORG_HEADS, and the sectors
# Dutch organisations put last: Welzijn, Zorg, Wonen).
_ORG_TAIL = re.compile(
    rf"(?<![\w-])(?:{NAME_WORD}[ ]){{1,3}}(?:{ORG_HEADS}|Welzijn|Zorg|Wonen|Zorggroep|Groep)"
    rf"(?![\w-])"
)
# "Villa Vrede", "Huis van Herstel", "Huis van de Buurt": a house name is the way Dutch shelters,
# day centres and recovery houses are named; neither word is a person's.
_HOUSE_NAME = re.compile(rf"(?<![\w-])(?:Villa|Huis[ ]van(?:[ ](?:de|het))?)[ ]{NAME_WORD}")
# A street named as a place without a house number ("kantoor aan de Jutfaseweg", "de winkel op
# de Amsterdamsestraatweg"): where something is, not where someone lives.
_STREET_AS_PLACE = re.compile(
    rf"(?<![\w-])(?i:aan|op|in|bij|langs|via|naar|vanaf)[ ](?:(?i:de|het)[ ])?"
    rf"(?P<street>[A-Z][\w'’-]*?(?:{CLEAR_STREET_SUFFIXES}))(?![\w-])"
)
# An age: "82 jaar", "van de 80", "eind 70"; but "ze is van 98", "ik ben van 65" give a
# birth year.
_AGE = re.compile(
    r"(?<![\w-])(?:\d{1,3}[ -]?(?:jaar|jarige)"
    r"|(?i:(?<!is[ ])(?<!was[ ])(?<!ben[ ])van|eind|begin|midden|rond|ruim|bijna)"
    r"[ ](?:de[ ])?\d{1,3}(?:-er)?)(?![\w-])"
)
# "meneer Van Noord", "mevrouw Ria Oost": a keep term in a name after a form of address.
_ADDRESSED = re.compile(
    rf"(?i:mevrouw|mevr\.?|mw\.?|meneer|mnr\.?|dhr\.?|de\s+heer|familie|fam\.)\s+"
    rf"(?:{NAME_WORD}\s+)?(?:{PARTICLE}\s+)*$"
)


def _term_pattern(term: str) -> str:
    exact = r"\s+".join(re.escape(word) for word in term.split())
    if term.islower():
        return f"(?i:{exact})"
    return f"{exact}|{exact.lower()}"


class KeepList:
    """Finds the protected stretches of a text; construction compiles one regex for all terms."""

    def __init__(self, terms: Iterable[str]) -> None:
        unique = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
        self.terms: tuple[str, ...] = tuple(unique)
        alternation = "|".join(_term_pattern(term) for term in unique) or r"(?!)"
        self._pattern = re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])")

    @classmethod
    def load(cls, path: Path = DEFAULT_KEEP_FILE) -> KeepList:
        lines = path.read_text(encoding="utf-8").splitlines()
        return cls(line for line in lines if line.strip() and not line.lstrip().startswith("#"))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Protected (start, end) stretches of ``text``, possibly overlapping, unsorted."""
        found = [
            m.span()
            for m in self._pattern.finditer(text)
            if not _ADDRESSED.search(text[max(0, m.start() - 30) : m.start()])
        ]
        found += [m.span() for m in _ORG_NAME.finditer(text)]
        found += [
            m.span()
            for m in _ORG_TAIL.finditer(text)
            if not _ADDRESSED.search(text[max(0, m.start() - 30) : m.start()])
        ]
        found += [m.span() for m in _HOUSE_NAME.finditer(text)]
        found += [m.span() for m in _AGE.finditer(text)]
        found += [
            m.span("street")
            for m in _STREET_AS_PLACE.finditer(text)
            if not numbered_after(text, m.end())
        ]
        found += list(place_and_institution_spans(text))
        found += [m.span() for m in _ACTIVITY_NAME.finditer(text)]
        found += [
            m.span()
            for m in _TITLE_PHRASE.finditer(text)
            if not any(CLEAR_STREET.search(w.lower()) for w in m.group().split())
        ]
        return found
