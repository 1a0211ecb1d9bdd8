"""Values inside messages: urgent advice, earlier answers, suggested offers and modules,
registration items, digest lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


# -- parts of messages -----------------------------------------------------------------------------
@dataclass(frozen=True)
class UrgentAdvice:
    """An acute-danger signal in a question and what to do (knowledge/urgency.py)."""

    label: str
    advice: str


@dataclass(frozen=True)
class EarlierAnswer:
    """A close, well-rated earlier answer shown before a question goes to colleagues."""

    question_id: int
    question_text: str
    answer_text: str
    expert_name: str
    answered_on: date
    rating: int


@dataclass(frozen=True)
class SuggestedOffer:
    id: str
    name: str
    organisation: str = ""
    wijk: str = ""
    address: str = ""  # street and number, postcode: where to go, when the map knows it
    phone: str = ""
    email: str = ""
    url: str = ""
    cost: str = ""


@dataclass(frozen=True)
class SuggestedModule:
    id: str
    title: str
    format: str = ""
    url: str = ""


@dataclass(frozen=True)
class FieldFix:
    """A field of a registration card that was guessed, with the values it may take: the card
    offers them as one tap (`current` is the guess)."""

    field: str
    label: str
    current: str
    options: tuple[tuple[str, str], ...]  # (value, Dutch label)


@dataclass(frozen=True)
class RegistrationItem:
    """One of today's registrations in the list, with what may still be done to it."""

    event_id: int
    summary: str
    message: str
    undo: bool


@dataclass(frozen=True)
class DigestLine:
    """One figure of a digest, already protected and written in Dutch."""

    key: str
    label: str
    value: str
    previous: str
    city: str
    change: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DigestSection:
    title: str
    lines: tuple[DigestLine, ...]


@dataclass(frozen=True)
class TopLeefgebied:
    name: str
    value: str
