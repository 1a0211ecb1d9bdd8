"""The offline recogniser: faster-whisper (CTranslate2, int8) with the Whisper base model.

Settings that matter and why (measured in issue 17 on Dutch speech):
- language "nl" and temperature 0: no language guess, no sampling — the same clip always gives
  the same draft;
- voice-activity filtering (faster-whisper's bundled Silero model): silence is skipped, which
  is where Whisper invents text;
- no initial prompt and `condition_on_previous_text=False`: a domain-word prompt caused
  repetition loops; `collapse_repetitions` cuts any loop that still appears;
- int8 on the CPU with `cpu_threads` threads (2 by default), beam size 1: about 0.3 CPU-s per
  second of audio.

The audio is decoded here with PyAV (bundled FFmpeg: mp4/m4a/AAC, webm/ogg/Opus, wav) into
memory, stopping as soon as it is longer than allowed; nothing is written anywhere. The model
is loaded once per process (`load_model`, cached by directory and threads).
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

import av
import numpy as np
from faster_whisper import WhisperModel

from knowledge.speech.model import prepare_model
from knowledge.speech.transcriber import (
    AudioTooLong,
    AudioUnreadable,
    NothingHeard,
    Transcript,
    TranscriptionTimeout,
    collapse_repetitions,
)

__all__ = ["WhisperTranscriber", "decode", "load_model"]

SAMPLE_RATE = 16_000
MAX_NEW_TOKENS = 200  # per 30-second window; about three times what a fast talker says in it


@functools.lru_cache(maxsize=2)
def load_model(model_dir: str, cpu_threads: int) -> WhisperModel:
    return WhisperModel(model_dir, device="cpu", compute_type="int8", cpu_threads=cpu_threads)


def decode(path: Path, *, max_seconds: float) -> np.ndarray[Any, np.dtype[np.float32]]:
    """The clip as 16 kHz mono float32; AudioTooLong as soon as it passes `max_seconds` (the
    container's stated length is checked first, so a long file is not decoded at all)."""
    limit = int(max_seconds * SAMPLE_RATE)
    chunks: list[np.ndarray[Any, Any]] = []
    samples = 0
    try:
        with av.open(str(path), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioUnreadable()
            if container.duration is not None and container.duration / 1e6 > max_seconds + 0.5:
                raise AudioTooLong(container.duration / 1e6, max_seconds)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(audio=0):
                frame.pts = None
                for out in resampler.resample(frame):
                    array = out.to_ndarray().reshape(-1)
                    chunks.append(array)
                    samples += array.shape[0]
                if samples > limit + SAMPLE_RATE // 2:
                    raise AudioTooLong(samples / SAMPLE_RATE, max_seconds)
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    except (av.error.FFmpegError, ValueError) as error:
        raise AudioUnreadable() from error
    if not chunks:
        raise NothingHeard()
    audio: np.ndarray[Any, np.dtype[np.float32]] = (
        np.concatenate(chunks).astype(np.float32) / 32768.0
    )
    return audio


class WhisperTranscriber:
    """faster-whisper behind the Transcriber protocol; the model is joined and verified at
    the first transcription (not at start-up, so a bot without voice users never pays)."""

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        cpu_threads: int = 2,
        beam_size: int = 1,
        vad: bool = True,
    ) -> None:
        self.cache_dir = cache_dir
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self.vad = vad
        self._model: WhisperModel | None = None

    @property
    def model_id(self) -> str:
        return "whisper-base-int8"

    def model(self) -> WhisperModel:
        if self._model is None:
            directory = prepare_model(self.cache_dir)
            self._model = load_model(str(directory), self.cpu_threads)
        return self._model

    def transcribe(self, path: Path, *, max_seconds: float, timeout_seconds: float) -> Transcript:
        deadline = time.monotonic() + timeout_seconds
        audio = decode(path, max_seconds=max_seconds)
        duration = audio.shape[0] / SAMPLE_RATE
        segments, _info = self.model().transcribe(
            audio,
            language="nl",
            task="transcribe",
            beam_size=self.beam_size,
            temperature=0.0,
            vad_filter=self.vad,
            condition_on_previous_text=False,
            max_new_tokens=MAX_NEW_TOKENS,
            without_timestamps=True,
        )
        parts: list[str] = []
        for segment in segments:  # a generator: the work happens while iterating
            parts.append(segment.text.strip())
            if time.monotonic() > deadline:
                raise TranscriptionTimeout()
        text, repaired = collapse_repetitions(" ".join(p for p in parts if p))
        if not text.strip():
            raise NothingHeard()
        return Transcript(text=text.strip(), duration_seconds=duration, repaired=repaired)
