"""What a speech recogniser does for Vraagbaak, independent of which one: audio file → Dutch text.

The domain and the transports depend on the `Transcriber` protocol only; the faster-whisper
implementation (knowledge/speech/whisper.py) needs the optional `[voice]` extra, and tests may
inject any object with the same method. A transcript is a *draft*: the asker reads it and taps
"Versturen" before it goes anywhere, so the recogniser may be wrong, never silent about limits.

Errors (all `SpeechError`, each with a Dutch `reason` fit to show the asker):

    SpeechError
    ├── AudioTooLong        the clip is longer than the limit (checked before recognition)
    ├── AudioUnreadable     not audio, or a format PyAV cannot decode
    ├── NothingHeard        no speech found (silence, noise)
    └── TranscriptionTimeout  recognition ran past its deadline

Invariants: a transcriber never writes the audio anywhere and never logs the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

__all__ = [
    "AudioTooLong",
    "AudioUnreadable",
    "NothingHeard",
    "SpeechError",
    "Transcriber",
    "Transcript",
    "TranscriptionTimeout",
    "collapse_repetitions",
    "too_long_reason",
]


class SpeechError(Exception):
    """A clip that gives no transcript; `reason` is the Dutch sentence for the asker."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def too_long_reason(seconds: float, limit: float) -> str:
    return (
        f"Je spraakbericht duurt {round(seconds)} seconden; ik verwerk er tot {round(limit)}. "
        "Spreek je vraag korter in, of typ hem."
    )


class AudioTooLong(SpeechError):
    def __init__(self, seconds: float, limit: float) -> None:
        super().__init__(too_long_reason(seconds, limit))
        self.seconds = seconds


class AudioUnreadable(SpeechError):
    def __init__(self) -> None:
        super().__init__(
            "Dit geluidsbestand kan ik niet afspelen. Stuur een spraakbericht of een bestand "
            "in mp4, m4a, webm, ogg of wav."
        )


class NothingHeard(SpeechError):
    def __init__(self) -> None:
        super().__init__(
            "Ik hoorde geen gesproken tekst in je bericht. Probeer het nog eens, of typ je vraag."
        )


class TranscriptionTimeout(SpeechError):
    def __init__(self) -> None:
        super().__init__(
            "Het uitschrijven van je spraakbericht duurde te lang. Probeer het nog eens met een "
            "korter bericht, of typ je vraag."
        )


@dataclass(frozen=True)
class Transcript:
    """The recognised text (a draft), the audio's length and whether the repetition guard cut
    a loop out of it (then the asker should read it twice)."""

    text: str
    duration_seconds: float
    repaired: bool = False


class Transcriber(Protocol):
    """Turns one audio file into Dutch text; raises SpeechError for what it refuses."""

    @property
    def model_id(self) -> str: ...

    def transcribe(self, path: Path, *, max_seconds: float, timeout_seconds: float) -> Transcript:
        """Refuse clips longer than `max_seconds` before recognising anything; stop with
        TranscriptionTimeout once `timeout_seconds` of wall time have passed."""
        ...


_WORD = re.compile(r"\S+")


def collapse_repetitions(
    text: str, *, max_repeats: int = 2, max_ngram: int = 8
) -> tuple[str, bool]:
    """Cut a phrase that repeats more than `max_repeats` times in a row down to one.

    Whisper can loop ("ik zoek hulp ik zoek hulp ik zoek hulp …") on noise or robotic voices;
    a loop is never what someone said. Compared case- and punctuation-insensitively, n-grams
    of 1..`max_ngram` words. Returns (text, whether anything was cut).
    """
    words = _WORD.findall(text)
    keys = [re.sub(r"\W+", "", w.lower()) for w in words]
    out_words: list[str] = []
    cut = False
    i = 0
    while i < len(words):
        jumped = False
        for n in range(1, max_ngram + 1):
            gram = keys[i : i + n]
            if len(gram) < n or not any(gram):
                break
            repeats = 1
            while keys[i + repeats * n : i + (repeats + 1) * n] == gram:
                repeats += 1
            if repeats > max_repeats:
                out_words += words[i : i + n]
                i += repeats * n
                cut = jumped = True
                break
        if not jumped:
            out_words.append(words[i])
            i += 1
    return " ".join(out_words), cut
