"""Result types of de-identification.

Invariants: offsets always point into the ORIGINAL text, removed spans are sorted and never
overlap, and ``kinds``/``summary_nl`` carry counts only, so they are the parts that are safe to
store or log. ``RemovedSpan.original`` exists solely to show the asker what was taken out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

KINDS: tuple[str, ...] = (
    "persoon",
    "bsn",
    "adres",
    "postcode",
    "telefoon",
    "email",
    "geboortedatum",
    "iban",
)

PLACEHOLDERS: dict[str, str] = {
    "persoon": "[naam]",
    "bsn": "[BSN]",
    "adres": "[adres]",
    "postcode": "[postcode]",
    "telefoon": "[telefoonnummer]",
    "email": "[e-mailadres]",
    "geboortedatum": "[geboortedatum]",
    "iban": "[IBAN]",
}

# (singular, plural) as the asker reads them in the summary sentence.
_LABELS: dict[str, tuple[str, str]] = {
    "persoon": ("naam", "namen"),
    "bsn": ("BSN-nummer", "BSN-nummers"),
    "adres": ("adres", "adressen"),
    "postcode": ("postcode", "postcodes"),
    "telefoon": ("telefoonnummer", "telefoonnummers"),
    "email": ("e-mailadres", "e-mailadressen"),
    "geboortedatum": ("geboortedatum", "geboortedata"),
    "iban": ("IBAN-nummer", "IBAN-nummers"),
}

# When detectors disagree about overlapping text, the more specific, checksum-backed kind wins.
PRIORITY: dict[str, int] = {
    "email": 8,
    "iban": 7,
    "bsn": 6,
    "telefoon": 5,
    "postcode": 4,
    "geboortedatum": 3,
    "adres": 2,
    "persoon": 1,
}

# Kinds found by a format or checksum: the keep list cannot veto them.
STRONG_KINDS = frozenset({"bsn", "telefoon", "email", "iban", "postcode"})


class Hit(NamedTuple):
    """A detector's proposal, before overlaps are resolved."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class RemovedSpan:
    kind: str
    start: int
    end: int
    original: str


@dataclass(frozen=True)
class Deidentified:
    text: str
    removed: tuple[RemovedSpan, ...]

    @property
    def kinds(self) -> dict[str, int]:
        """Counts per kind, in a fixed order, so they can be stored without any content."""
        counts = Counter(span.kind for span in self.removed)
        return {kind: counts[kind] for kind in KINDS if counts[kind]}

    def summary_nl(self) -> str:
        """Tell the asker what was taken out, so they can check nothing vital went missing."""
        phrase = removed_phrase(self.kinds)
        return f"Verwijderd voordat experts je vraag zien: {phrase}." if phrase else ""


def removed_phrase(kinds: Mapping[str, int]) -> str:
    """'1 naam, 2 telefoonnummers' from stored counts (which hold no content)."""
    parts = []
    for kind in KINDS:
        count = kinds.get(kind, 0)
        if count:
            singular, plural = _LABELS[kind]
            parts.append(f"{count} {singular if count == 1 else plural}")
    return ", ".join(parts)
