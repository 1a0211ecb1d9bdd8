"""Intake: turn what a generalist typed into a question that may be shown to colleagues.

De-identification always runs first, before classification, storage or logging: the original
text exists only in this call. A question that is empty, only emoji or far too long is refused
here with a Dutch reason, before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from knowledge.privacy import Deidentified, Deidentifier
from models.errors import DomainError, Why

MAX_QUESTION_CHARS = 4000
MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

Classifier = Callable[[str], Sequence[tuple[str, float]]]


class IntakeRefused(DomainError):
    """The text cannot become a question (nothing was written)."""


@dataclass(frozen=True)
class IntakeResult:
    deidentified: Deidentified
    leefgebieden: tuple[str, ...]


def clean_text(text: str) -> str:
    """The text on one line without surplus whitespace. A transport removes its own markup
    (Slack's mentions and emoji codes: bot/text.py) before the text comes here."""
    return " ".join(text.split())


class Intake:
    def __init__(
        self, deidentifier: Deidentifier, classify: Classifier, *, max_leefgebieden: int = 1
    ) -> None:
        self._deidentifier = deidentifier
        self._classify = classify
        self._max_leefgebieden = max_leefgebieden

    def check(self, text: str) -> str:
        """The cleaned text, or IntakeRefused with a reason the asker can act on."""
        cleaned = clean_text(text)
        if not cleaned:
            raise IntakeRefused(Why.EMPTY_QUESTION)
        if len(cleaned) > MAX_QUESTION_CHARS:
            raise IntakeRefused(
                Why.QUESTION_TOO_LONG, length=len(cleaned), maximum=MAX_QUESTION_CHARS
            )
        if len(_WORD.findall(cleaned)) < MIN_WORDS:
            raise IntakeRefused(Why.NO_QUESTION)
        return cleaned

    def doubtful(self, text: str) -> tuple[str, ...]:
        """Words of a de-identified text that may still name someone: the asker looks first."""
        return self._deidentifier.doubtful(text)

    def redact(self, text: str) -> str:
        """De-identified text, for what others wrote (an answer shown to a new asker)."""
        return self._deidentifier.deidentify(text).text

    def process(self, text: str) -> IntakeResult:
        cleaned = self.check(text)
        deidentified = self._deidentifier.deidentify(cleaned)
        ranked = self._classify(deidentified.text)
        leefgebieden = tuple(slug for slug, _ in ranked[: self._max_leefgebieden])
        return IntakeResult(deidentified, leefgebieden)
