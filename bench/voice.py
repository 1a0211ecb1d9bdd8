"""Ask by voice: word error rate and CPU-seconds per audio-second of the offline recogniser.

The test set is SYNTHETIC: Dutch texts from the dev sets (routing questions and registration
messages, shortened to at most 25 words) spoken by eSpeak NG (`espeak-ng -v nl`, robotic), made
afresh in a temporary directory on each run; no real voice. It measures the settings of
knowledge/speech/whisper.py against two variants, each on the same clips in the same run:
voice-activity filtering on (the default) and off, and beam size 1 (the default) against 5.
Real speech is recognised much better than robotic speech; the error rates here are an upper
bound, the speed is representative. Needs espeak-ng on the PATH and the `[voice]` extra.

    python bench/voice.py [--clips 30] [--threads 2]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parents[1])

import argparse
import json
import re
import subprocess
import tempfile
import time

from knowledge.speech.whisper import WhisperTranscriber

EVAL = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval"
CONFIGS = {"vad+beam1 (default)": (True, 1), "no-vad+beam1": (False, 1), "vad+beam5": (True, 5)}


def texts(count: int) -> list[str]:
    """Two thirds questions, one third registrations, at most 25 words each."""

    def read(name: str, field: str) -> list[str]:
        with (EVAL / name).open(encoding="utf-8") as lines:
            return [" ".join(str(json.loads(line)[field]).split()[:25]) for line in lines]

    questions, registrations = (
        read("routing_dev.jsonl", "question"),
        read("registrations_dev.jsonl", "message"),
    )
    wanted_registrations = count // 3
    return questions[: count - wanted_registrations] + registrations[:wanted_registrations]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_errors(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions, deletions, insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, said in enumerate(reference, 1):
        current = [i]
        for j, heard in enumerate(hypothesis, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (said != heard))
            )
        previous = current
    return previous[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clips", type=int, default=30)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    spoken = texts(args.clips)
    with tempfile.TemporaryDirectory(prefix="vraagbaak-bench-voice-") as directory:
        clips = []
        for n, text in enumerate(spoken):
            path = Path(directory) / f"clip{n:02d}.wav"
            subprocess.run(
                ["espeak-ng", "-v", "nl", "-s", "150", "-w", str(path), text], check=True
            )
            clips.append(path)
        report: dict[str, object] = {"clips": len(clips), "synthetic": "espeak-ng -v nl"}
        for name, (vad, beam) in CONFIGS.items():
            transcriber = WhisperTranscriber(cpu_threads=args.threads, beam_size=beam, vad=vad)
            transcriber.model()  # load before timing
            errors = reference_words = 0
            audio = cpu = wall = 0.0
            for path, text in zip(clips, spoken, strict=True):
                cpu0, wall0 = time.process_time(), time.perf_counter()
                try:
                    heard = transcriber.transcribe(path, max_seconds=600, timeout_seconds=600)
                    hypothesis, seconds = words(heard.text), heard.duration_seconds
                except Exception as error:  # a clip with nothing heard counts as all wrong
                    hypothesis, seconds = [], 0.0
                    print(f"{path.name}: {type(error).__name__}", file=sys.stderr)
                cpu += time.process_time() - cpu0
                wall += time.perf_counter() - wall0
                reference = words(text)
                errors += word_errors(reference, hypothesis)
                reference_words += len(reference)
                audio += seconds
            report[name] = {
                "wer": round(errors / reference_words, 3),
                "audio_seconds": round(audio, 1),
                "cpu_seconds_per_audio_second": round(cpu / audio, 3) if audio else None,
                "real_time_factor": round(wall / audio, 3) if audio else None,
            }
            print(name, report[name], file=sys.stderr)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
