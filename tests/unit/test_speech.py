"""Ask by voice without the model: the repetition guard, the model's hash check and its second
source, voice off when the extra is missing, the temporary file and the gate."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from bot.workers.voice import AudioTooLarge, VoiceService, VoiceSettings, queue_depth
from knowledge.speech import voice_installed
from knowledge.speech.model import ModelSource, ModelUnavailable, find_source, prepare_model
from knowledge.speech.transcriber import Transcript, collapse_repetitions


@pytest.mark.parametrize(
    ("heard", "kept", "cut"),
    [
        # a loop of a phrase is kept once
        ("ik zoek hulp ik zoek hulp ik zoek hulp ik zoek hulp", "ik zoek hulp", True),
        # a word stuck in a loop, with punctuation and capitals
        (
            "Schulden, schulden, schulden, schulden. Wie weet raad?",
            "Schulden, Wie weet raad?",
            True,
        ),
        # said twice is allowed (people repeat themselves)
        ("heel heel erg", "heel heel erg", False),
        ("Waar kan een moeder terecht?", "Waar kan een moeder terecht?", False),
        ("", "", False),
    ],
)
def test_the_repetition_guard_cuts_loops_only(heard: str, kept: str, cut: bool) -> None:
    assert collapse_repetitions(heard) == (kept, cut)


def _package(root: Path, name: str, files: dict[str, bytes]) -> None:
    data = root / name / "data"
    data.mkdir(parents=True)
    (root / name / "__init__.py").write_text('"""Model data only."""\n')
    for file_name, content in files.items():
        (data / file_name).write_bytes(content)


def _source(name: str, packages: tuple[str, str], model: bytes) -> ModelSource:
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    return ModelSource(
        name=name,
        packages=packages,
        parts=("model.bin.part1", "model.bin.part2"),
        files=(
            ("model.bin", digest(model)),
            ("config.json", digest(b"{}")),
            ("tokenizer.json", digest(b"[]")),
        ),
    )


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two tiny model packages on sys.path: parts `abc` + `def`, and the small files."""
    root = tmp_path / "site"
    _package(root, "vbtest_model_a1", {"model.bin.part1": b"abc", "config.json": b"{}"})
    _package(root, "vbtest_model_a2", {"model.bin.part2": b"def", "tokenizer.json": b"[]"})
    monkeypatch.syspath_prepend(str(root))
    return root


def test_the_model_is_joined_once_and_checked(packages: Path, tmp_path: Path) -> None:
    source = _source("a", ("vbtest_model_a1", "vbtest_model_a2"), b"abcdef")
    directory = prepare_model(tmp_path / "cache", (source,))
    assert (directory / "model.bin").read_bytes() == b"abcdef"
    assert {p.name for p in directory.iterdir()} == {"model.bin", "config.json", "tokenizer.json"}
    assert prepare_model(tmp_path / "cache", (source,)) == directory  # joined once, checked again


def test_a_model_that_does_not_match_its_hash_is_refused_and_removed(
    packages: Path, tmp_path: Path
) -> None:
    wrong = _source("a", ("vbtest_model_a1", "vbtest_model_a2"), b"something else")
    with pytest.raises(ModelUnavailable, match="sha256"):
        prepare_model(tmp_path / "cache", (wrong,))
    assert not list((tmp_path / "cache").glob("*/model.bin"))


def test_the_second_source_is_used_when_the_first_is_not_installed(
    packages: Path, tmp_path: Path
) -> None:
    missing = _source("gone", ("vbtest_not_installed_1", "vbtest_not_installed_2"), b"x")
    present = _source("a", ("vbtest_model_a1", "vbtest_model_a2"), b"abcdef")
    assert find_source((missing, present)) == present
    assert find_source((missing,)) is None
    with pytest.raises(ModelUnavailable, match="geen spraakmodel"):
        prepare_model(tmp_path / "cache", (missing,))


def test_voice_off_has_no_transcriber(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not VoiceService.from_settings(VoiceSettings(enabled=False)).enabled
    monkeypatch.setitem(sys.modules, "faster_whisper", None)  # as if the extra were missing
    assert not voice_installed()
    assert not VoiceService.from_settings(VoiceSettings()).enabled


class _Echo:
    """A transcriber that reports the file it was given (the flow, not the model)."""

    model_id = "echo"

    def __init__(self) -> None:
        self.seen: list[tuple[Path, bytes, int]] = []

    def transcribe(self, path: Path, *, max_seconds: float, timeout_seconds: float) -> Transcript:
        self.seen.append((path, path.read_bytes(), queue_depth()))
        return Transcript(text="hallo", duration_seconds=1.0)


def test_the_audio_lives_in_one_temporary_file_that_is_removed(tmp_path: Path) -> None:
    echo = _Echo()
    service = VoiceService(VoiceSettings(temp_dir=tmp_path, max_bytes=10), echo)

    def write(out: object) -> int:
        out.write(b"RIFF")  # type: ignore[attr-defined]
        return 4

    assert service.transcribe_download(write, ".wav").text == "hallo"
    ((path, data, depth),) = echo.seen
    assert data == b"RIFF" and path.suffix == ".wav" and depth == 1
    assert list(tmp_path.iterdir()) == [] and queue_depth() == 0

    def fails(out: object) -> int:
        raise AudioTooLarge(10)

    with pytest.raises(AudioTooLarge):
        service.transcribe_download(fails, ".wav")
    assert list(tmp_path.iterdir()) == []
