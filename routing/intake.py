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

MAX_QUESTION_CHARS = 4000
MIN_WORDS = 2
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_SLACK_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_EMOJI_CODE = re.compile(r":[a-z][a-z0-9_+\-]*:")  # Slack's :thumbsup: shortcodes

Classifier = Callable[[str], Sequence[tuple[str, float]]]


class IntakeRefused(Exception):
    """The text cannot become a question; `reason` is the Dutch explanation for the asker."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class IntakeResult:
    deidentified: Deidentified
    leefgebieden: tuple[str, ...]


def clean_text(text: str) -> str:
    """Strip bot mentions, emoji shortcodes and surplus whitespace the chat transport adds."""
    return re.sub(r"\s+", " ", _EMOJI_CODE.sub(" ", _SLACK_MENTION.sub(" ", text))).strip()


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
            raise IntakeRefused("Je bericht is leeg. Typ je vraag in gewone woorden.")
        if len(cleaned) > MAX_QUESTION_CHARS:
            raise IntakeRefused(
                f"Je vraag is te lang ({len(cleaned)} tekens; maximaal {MAX_QUESTION_CHARS}). "
                "Vat hem samen in een paar zinnen: experts lezen op hun telefoon."
            )
        if len(_WORD.findall(cleaned)) < MIN_WORDS:
            raise IntakeRefused(
                "Ik zie geen vraag in je bericht. Beschrijf in een paar woorden waar je hulp "
                "bij zoekt, bijvoorbeeld: 'Wie weet hoe beschermingsbewind werkt?'"
            )
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
