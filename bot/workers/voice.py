"""Transcribing voice clips: its settings, the one-at-a-time gate, and the temporary file.

Where it runs: a Slack listener acks first and then transcribes in its own thread — an inbox
worker's thread when requests go through the durable inbox (a crash mid-clip leaves the request
to be tried again, and the card is keyed by the clip, so it is shown once), Bolt's listener
pool otherwise — never on the path Slack waits for. The console transcribes where it is typed.
Recognition is CPU-heavy (about 0.3 CPU-s per second of audio on two threads), so at most
`VRAAGBAAK_VOICE_WORKERS` clips (1 by default) are recognised at a time in a process; the others
wait at the gate. `queue_depth()` (waiting + running) is exported at /metrics.

Invariants: the audio exists only in one temporary file, created here and removed when the
transcription ends, however it ends; it is never stored, logged or kept in memory longer; the
transcript is returned to the caller and never logged.
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from knowledge.speech import Transcriber, Transcript, voice_installed, whisper_transcriber
from knowledge.speech.transcriber import SpeechError

__all__ = [
    "AudioTooLarge",
    "VoiceQueueCollector",
    "VoiceService",
    "VoiceSettings",
    "queue_depth",
]


class VoiceSettings(BaseSettings):
    """VRAAGBAAK_VOICE_* (beside bot/settings.py: voice is an optional extra)."""

    model_config = SettingsConfigDict(
        env_prefix="VRAAGBAAK_VOICE_", env_file=".env", extra="ignore"
    )

    enabled: bool = True  # off, or the [voice] extra missing: the bot says voice is off
    max_seconds: float = Field(default=90.0, gt=0)  # longer clips are refused before recognition
    max_bytes: int = Field(default=20_000_000, gt=0)  # larger files are not downloaded
    # recognition's wall-time deadline (measured 0.25 CPU-s per audio-s: 90 s of audio is ~23 CPU-s)
    timeout_seconds: float = Field(default=45.0, gt=0)
    workers: int = Field(default=1, ge=1)  # clips recognised at once per process
    cpu_threads: int = Field(default=2, ge=1)
    transcript_hours: float = Field(default=24.0, gt=0)  # an unconfirmed transcript expires
    model_dir: Path | None = None  # where the joined model is kept (~/.cache/vraagbaak)
    temp_dir: Path | None = None  # where a clip's temporary file lives (a tmpfs, ideally)


class AudioTooLarge(SpeechError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"Dit bestand is groter dan {limit // 1_000_000} MB; zo'n groot bestand verwerk ik "
            "niet. Spreek een korter bericht in, of typ je vraag."
        )


class _Gate:
    """A per-process semaphore that counts who waits and who runs."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._semaphores: dict[int, threading.Semaphore] = {}
        self.depth = 0

    @contextmanager
    def slot(self, workers: int) -> Iterator[None]:
        with self._lock:
            semaphore = self._semaphores.setdefault(workers, threading.Semaphore(workers))
            self.depth += 1
        try:
            with semaphore:
                yield
        finally:
            with self._lock:
                self.depth -= 1


_GATE = _Gate()


def queue_depth() -> int:
    """Clips waiting for or in recognition in this process."""
    return _GATE.depth


class VoiceQueueCollector(Collector):
    """`vraagbaak_voice_queue_depth` for /metrics (this process's figure: sum() over pods)."""

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "vraagbaak_voice_queue_depth",
            "Voice clips waiting for or in transcription in this process",
        )
        gauge.add_metric([], float(queue_depth()))
        yield gauge


class VoiceService:
    """The transcriber (None: voice is off) with the settings' limits and the gate."""

    def __init__(self, settings: VoiceSettings, transcriber: Transcriber | None) -> None:
        self.settings = settings
        self.transcriber = transcriber

    @classmethod
    def from_settings(cls, settings: VoiceSettings | None = None) -> VoiceService:
        settings = settings or VoiceSettings()
        if not settings.enabled or not voice_installed():
            return cls(settings, None)
        transcriber = whisper_transcriber(
            cache_dir=settings.model_dir, cpu_threads=settings.cpu_threads
        )
        return cls(settings, transcriber)

    @property
    def enabled(self) -> bool:
        return self.transcriber is not None

    def too_large(self, size: int) -> bool:
        return size > self.settings.max_bytes

    def transcribe_download(self, write: Callable[[BinaryIO], int], suffix: str) -> Transcript:
        """Let `write` fill a new temporary file (it returns the bytes written and must stop
        at `max_bytes`: AudioTooLarge), transcribe it, and remove it."""
        with tempfile.NamedTemporaryFile(
            prefix="vraagbaak-voice-", suffix=suffix, dir=self.settings.temp_dir, delete=True
        ) as handle:
            write(cast(BinaryIO, handle))
            handle.flush()
            return self.transcribe_file(Path(handle.name))

    def transcribe_file(self, path: Path) -> Transcript:
        """Transcribe a file the caller owns (the console's local file, or our temporary one)."""
        if self.transcriber is None:
            raise RuntimeError("voice is off")  # callers check `enabled` first
        if path.stat().st_size > self.settings.max_bytes:
            raise AudioTooLarge(self.settings.max_bytes)
        with _GATE.slot(self.settings.workers):
            return self.transcriber.transcribe(
                path,
                max_seconds=self.settings.max_seconds,
                timeout_seconds=self.settings.timeout_seconds,
            )
