"""Speech to text for "Ask by voice" (issue 17): offline, Dutch, a draft the asker confirms.

`transcriber.py` is the protocol and its errors; `whisper.py` the faster-whisper implementation
(optional extra `[voice]`: only imported through `whisper_transcriber`, so everything else runs
without it); `model.py` finds and verifies the model files; `drafts.py` keeps a transcript until
its asker sends, edits or cancels it. Nothing here knows Slack or the console.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

from knowledge.speech.model import find_source
from knowledge.speech.transcriber import SpeechError, Transcriber, Transcript

__all__ = [
    "SpeechError",
    "Transcriber",
    "Transcript",
    "voice_installed",
    "whisper_transcriber",
]


def voice_installed() -> bool:
    """True when the `[voice]` extra is installed: faster-whisper and a known model source."""
    try:
        found = importlib.util.find_spec("faster_whisper") is not None
    except (ImportError, ValueError):  # a broken or half-removed install counts as absent
        return False
    return found and find_source() is not None


def whisper_transcriber(*, cache_dir: Path | None = None, cpu_threads: int = 2) -> Transcriber:
    """The faster-whisper transcriber; only call it when `voice_installed()`."""
    whisper = importlib.import_module("knowledge.speech.whisper")
    transcriber: Transcriber = whisper.WhisperTranscriber(
        cache_dir=cache_dir, cpu_threads=cpu_threads
    )
    return transcriber
