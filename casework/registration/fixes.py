"""One-tap fixes for what a registration card guessed.

A field read by the embedder or from a bare concept ("enquête" with no yes or no) is marked as
a guess on the card; this module offers each such field's values (melders, reasons, yes/no),
and writes the message again with the chosen value. The card is redrawn from that message
(`to_message` writes an event the parser reads back exactly: casework/registration/render.py),
so a fixed card is a normal proposal, with nothing guessed in the chosen field.

Invariants: only fields with a closed set of values are offered (a guessed Wat Telt score is
changed through "Aanpassen"); a value outside the offered set is refused, never stored.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from casework.registration.model import CLOSURE_FLAGS, Parsed, Refusal
from casework.registration.parser import RegistrationParser
from casework.registration.render import to_message
from casework.registration.vocabulary import Vocabulary
from models.errors import DomainError, Why
from models.messages import FieldFix

_FLAG_LABELS = {
    "zelfstandig_verder": "Zelfstandig verder",
    "volgens_plan": "Volgens plan",
    "ervaringwijzer": "Ervaringwijzer",
}
_YES_NO = (("true", "ja"), ("false", "nee"))


def fixes_for(parsed: Parsed, vocabulary: Vocabulary) -> tuple[FieldFix, ...]:
    """A FieldFix for every guessed field with a closed set of values."""
    fixes: list[FieldFix] = []
    for name in sorted(parsed.guessed):
        current = getattr(parsed, name, None)
        if current is None:
            continue
        if name == "melder":
            options = tuple((slug, entry.label) for slug, entry in vocabulary.melders.items())
            fixes.append(FieldFix(name, "Melder", str(current), options))
        elif name == "reden":
            options = tuple(
                (entry.slug, entry.label)
                for (field, _), entry in vocabulary.closure.items()
                if field == "reden"
            )
            fixes.append(FieldFix(name, "Reden", str(current), options))
        elif name in CLOSURE_FLAGS:
            fixes.append(
                FieldFix(name, _FLAG_LABELS[name], "true" if current else "false", _YES_NO)
            )
    return tuple(fixes)


def fixed_message(
    parser: RegistrationParser,
    message: str,
    sent_at: datetime,
    team: str | None,
    field: str,
    value: str,
) -> str:
    """The card's message written again with `field` set to `value` (module docstring)."""
    parsed = parser.parse(message, sent_at, team)
    if isinstance(parsed, Refusal):  # the card's own message always parses; kept for safety
        raise DomainError(Why.FIX_NOT_OFFERED)
    offered = {
        option
        for fix in fixes_for(_all_guessed(parsed), parser.vocabulary)
        if fix.field == field
        for option, _ in fix.options
    }
    if value not in offered:
        raise DomainError(Why.FIX_NOT_OFFERED)
    changes: dict[str, Any] = {field: value == "true" if field in CLOSURE_FLAGS else value}
    return to_message(replace(parsed, **changes), parser.vocabulary)


def _all_guessed(parsed: Parsed) -> Parsed:
    """The parse with every field it holds offered, so the value is checked against the
    field's whole set whether or not this reading guessed it."""
    held = frozenset(
        name for name in ("melder", "reden", *CLOSURE_FLAGS) if getattr(parsed, name) is not None
    )
    return replace(parsed, guessed=held)
