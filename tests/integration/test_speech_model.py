"""The real recogniser on synthetic Dutch (espeak-ng): the installed model packages join to the
file whose sha256 is pinned, and WAV, m4a (AAC) and webm (Opus) clips all give a draft. Robotic
speech is recognised badly, so only a loose word-overlap floor is asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.speech import voice_installed, whisper_transcriber
from knowledge.speech.model import find_source, prepare_model, sha256_of
from knowledge.speech.transcriber import (
    AudioTooLong,
    AudioUnreadable,
    NothingHeard,
    Transcriber,
    TranscriptionTimeout,
)
from tests.audio import QUESTION_WAV, QUESTION_WORDS, convert, silence, word_overlap

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def transcriber() -> Transcriber:
    assert voice_installed(), "the [voice] extra is part of make test"
    return whisper_transcriber()


def test_the_installed_model_is_the_pinned_one(tmp_path: Path) -> None:
    source = find_source()
    assert source is not None
    directory = prepare_model(tmp_path)
    assert sha256_of(directory / "model.bin") == source.model_sha256


@pytest.mark.parametrize("suffix", [".wav", ".m4a", ".webm"])
def test_a_dutch_clip_becomes_a_draft(
    transcriber: Transcriber, tmp_path: Path, suffix: str
) -> None:
    clip = QUESTION_WAV if suffix == ".wav" else convert(QUESTION_WAV, tmp_path / f"q{suffix}")
    transcript = transcriber.transcribe(clip, max_seconds=90, timeout_seconds=120)
    assert 5 < transcript.duration_seconds < 7
    assert word_overlap(transcript.text, QUESTION_WORDS) >= 0.2  # measured: 0.29


def test_too_long_and_silent_clips_are_refused(transcriber: Transcriber, tmp_path: Path) -> None:
    with pytest.raises(AudioTooLong, match="duurt 6 seconden; ik verwerk er tot 3"):
        transcriber.transcribe(QUESTION_WAV, max_seconds=3, timeout_seconds=120)
    not_audio = tmp_path / "geen.m4a"
    not_audio.write_bytes(b"dit is geen geluid")
    with pytest.raises(AudioUnreadable, match="kan ik niet afspelen"):
        transcriber.transcribe(not_audio, max_seconds=90, timeout_seconds=120)
    with pytest.raises(NothingHeard):
        transcriber.transcribe(
            silence(tmp_path / "stil.wav", 3), max_seconds=90, timeout_seconds=120
        )


def test_recognition_past_its_deadline_gives_up(transcriber: Transcriber) -> None:
    with pytest.raises(TranscriptionTimeout, match="duurde te lang"):
        transcriber.transcribe(QUESTION_WAV, max_seconds=90, timeout_seconds=0)
