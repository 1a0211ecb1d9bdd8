"""Audio for the voice tests: the committed synthetic WAV clips (tests/fixtures/audio/) and the
same clips converted to m4a (AAC) and webm (Opus) with PyAV, the way Slack's clips arrive."""

from __future__ import annotations

import re
import wave
from pathlib import Path

import av

AUDIO = Path(__file__).parent / "fixtures" / "audio"
QUESTION_WAV = AUDIO / "vraag_schulden.wav"
REGISTRATION_WAV = AUDIO / "registratie_4711.wav"
QUESTION_WORDS = (
    "Waar kan een moeder met schulden in Lunetten terecht voor hulp bij haar administratie?"
)

_CODECS = {"m4a": ("mp4", "aac", 16_000), "webm": ("webm", "libopus", 48_000)}


def convert(wav: Path, out: Path) -> Path:
    """`wav` re-encoded by its suffix: .m4a (AAC in MP4) or .webm (Opus)."""
    container_format, codec, rate = _CODECS[out.suffix.lstrip(".")]
    with av.open(str(wav)) as source, av.open(str(out), "w", format=container_format) as target:
        stream = target.add_stream(codec, rate=rate, layout="mono")
        assert isinstance(stream, av.AudioStream)
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=rate)
        for frame in source.decode(audio=0):
            frame.pts = None
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    target.mux(packet)
        for packet in stream.encode(None):
            target.mux(packet)
    return out


def silence(out: Path, seconds: float) -> Path:
    """A WAV of `seconds` of silence (a clip that is too long, or has nothing to hear)."""
    with wave.open(str(out), "wb") as target:
        target.setnchannels(1)
        target.setsampwidth(2)
        target.setframerate(16_000)
        target.writeframes(b"\0\0" * int(16_000 * seconds))
    return out


def word_overlap(heard: str, said: str) -> float:
    """The share of the spoken words found in the transcript (case and punctuation ignored)."""
    spoken, found = re.findall(r"\w+", said.lower()), set(re.findall(r"\w+", heard.lower()))
    return sum(w in found for w in spoken) / len(spoken)
