"""deduce's lookup structures in a leaner shape, with the same answers.

deduce 3.0.6 keeps its multi-token lists (streets, institutions, names, places, ...) as
``docdeid.ds.LookupTrie``: one Python object with its own ``__dict__`` and ``children`` dict per
node, about 1.9 million nodes, about 1 GB resident. ``LeanTrie`` holds the same trie as plain
nested dicts: a node is a dict from token to child node, ``None`` as a key marks an item's end,
and every childless end node is one shared ``{None: True}``; token strings are shared too. About a
fifth of the memory, and ``longest_matching_prefix`` walks it exactly as docdeid does.

Every annotator is kept (an institution or place annotation still wins an overlap against a
name, as in full deduce), so the findings are the same: only the containers change. The lean
collection is built once from deduce's own cache, in a child process so the server never holds
both, and pickled next to it (``lean_lookup_structs.pickle``); the image builds it with deduce's.

A copy ships with the package (``knowledge/data/deduce_lean.pickle.xz``, 4 MB): on a new machine
building deduce's cache and then the lean one took 75 s idle and four minutes under load, most of
a first start (issue 15 asks a first ``make demo`` ready in under two minutes). A copy, shipped or
local, is used only when it was made from the same deduce and docdeid versions and the same
lookup source files (a SHA-256 over deduce's ``data/lookup/src``), so the findings are those of
the installed deduce; otherwise it is built here as before. ``python -m
knowledge.privacy.deduce_lean knowledge/data/deduce_lean.pickle.xz`` rewrites the shipped copy,
and a test fails when it no longer matches the installed deduce. It is a pickle: it is read only
from the package's own data directory or deduce's own cache, never from user input.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import pickle
import subprocess
import sys
import tempfile
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import IO, Any, cast

from docdeid.ds.ds import DsCollection
from docdeid.ds.lookup import LookupTrie

log = logging.getLogger(__name__)

Node = dict[str | None, Any]

_LEAN_FILE = "lean_lookup_structs.pickle"
_FORMAT = 2
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "deduce_lean.pickle.xz"


class LeanTrie(LookupTrie):
    """A ``LookupTrie`` (deduce checks the type) whose nodes below the root are nested dicts.

    ``children`` maps a first token to its node, as docdeid's annotator reads it for its start
    words; ``is_terminal`` is the root's own end mark.
    """

    def _nodes(self) -> Node:
        return cast(Node, self.children)

    def __contains__(self, item: list[str]) -> bool:
        if len(item) == 0:
            return bool(self.is_terminal)
        node: Node | None = self._nodes().get(self._apply_matching_pipeline(item[0]))
        for token in item[1:]:
            if node is None:
                return False
            node = node.get(self._apply_matching_pipeline(token))
        return node is not None and None in node

    def longest_matching_prefix(self, item: list[str], start_i: int = 0) -> list[str] | None:
        # docdeid's walk, step for step: the root's own mark is a match of length 0, which
        # (as there) gives None.
        longest_match = 0 if self.is_terminal else None
        children = self._nodes()
        i = 0
        while start_i + i < len(item):
            token = self._apply_matching_pipeline(item[start_i + i])
            if token not in children:
                break
            children = children[token]
            i += 1
            if None in children:
                longest_match = i
        if not longest_match:
            return None
        return [self._apply_matching_pipeline(t) for t in item[start_i : start_i + longest_match]]


def to_lean(trie: Any, strings: dict[str, str], leaf: Node) -> Any:
    """The same trie as a ``LeanTrie``; ``strings`` and ``leaf`` are shared across tries."""

    def convert(node: Any) -> Node:
        if not node.children:
            return leaf
        out: Node = {}
        for token, child in node.children.items():
            out[strings.setdefault(token, token)] = convert(child)
        if node.is_terminal:
            out[None] = True
        return out

    lean = LeanTrie(matching_pipeline=trie.matching_pipeline)
    lean.is_terminal = trie.is_terminal
    lean.children = cast(
        Any,
        {
            strings.setdefault(token, token): convert(child)
            for token, child in trie.children.items()
        },
    )
    return lean


def lean_collection(structs: Any) -> Any:
    """deduce's ``DsCollection`` with every ``LookupTrie`` replaced by its ``LeanTrie``."""

    strings: dict[str, str] = {}
    leaf: Node = {None: True}
    out = DsCollection()
    for name in list(structs.keys()):
        struct = structs[name]
        out[name] = to_lean(struct, strings, leaf) if isinstance(struct, LookupTrie) else struct
    return out


def _cache_dir() -> Path:
    import deduce.deduce as deduce_module

    return Path(deduce_module._LOOKUP_LIST_PATH) / "cache"


@cache
def _provenance() -> dict[str, str]:
    """What a lean copy must have been made from to give the installed deduce's findings."""
    source = _cache_dir().parent / "src"
    digest = hashlib.sha256()
    # Every file deduce builds its lists from; not Python's byte-code caches, which carry the
    # install's timestamps and differ between two installs of the same release.
    files = (p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for path in sorted(files):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return {
        "deduce_version": metadata.version("deduce"),
        "docdeid_version": metadata.version("docdeid"),
        "source_sha256": digest.hexdigest(),
    }


def _open(path: Path, mode: str) -> IO[bytes]:
    if path.suffix == ".xz":
        return cast(IO[bytes], lzma.open(path, mode, preset=9 if "w" in mode else None))
    return path.open(mode)


def _load(path: Path) -> Any:
    try:
        with _open(path, "rb") as file:
            data = pickle.load(file)
    except (OSError, lzma.LZMAError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    fresh = (
        isinstance(data, dict)
        and data.get("format") == _FORMAT
        and all(data.get(key) == value for key, value in _provenance().items())
    )
    return data["lookup_structs"] if fresh else None


def write_lean_cache(target: Path) -> None:
    """Builds deduce's own structures (or reads its cache) and pickles the lean ones to target
    (xz-compressed when its name ends in ``.xz``)."""
    import deduce

    full = deduce.Deduce()  # validates or builds deduce's cache, as a plain start would
    data = {
        "format": _FORMAT,
        **_provenance(),
        "lookup_structs": lean_collection(full.lookup_structs),
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".lean-", suffix=target.suffix)
    os.close(fd)
    with _open(Path(tmp), "wb") as file:
        pickle.dump(data, file, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, target)


def _candidates() -> list[Path]:
    version = _provenance()["deduce_version"]
    return [
        _cache_dir() / _LEAN_FILE,
        Path(tempfile.gettempdir()) / f"vraagbaak-deduce-{version}" / _LEAN_FILE,
    ]


def lean_lookup_structs() -> Any:
    """The lean collection: from a local lean cache or the shipped copy, else built in a child
    process and cached (deduce's own cache directory, or the temp directory when that is
    read-only); ``None`` when nothing works (the caller then uses deduce as is)."""
    for path in [*_candidates(), SHIPPED]:
        if (structs := _load(path)) is not None:
            return structs
    for path in _candidates():
        done = subprocess.run(
            [sys.executable, "-m", "knowledge.privacy.deduce_lean", str(path)],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode == 0 and (structs := _load(path)) is not None:
            return structs
        log.warning("deduce lean cache not written to %s (exit %s)", path, done.returncode)
    return None


def lean_deduce(structs: Any) -> Any:
    """A ``deduce.Deduce`` with deduce's own config and processors over ``structs``."""
    import deduce
    from deduce.deduce import _DeduceProcessorLoader

    model = deduce.Deduce.__new__(deduce.Deduce)
    super(deduce.Deduce, model).__init__()
    model.config = deduce.Deduce._initialize_config(load_base_config=True, user_config=None)
    model.lookup_data_path = _cache_dir().parent
    model.cache_path = model.lookup_data_path
    model.tokenizers = {"default": deduce.Deduce._initialize_tokenizer(model.lookup_data_path)}
    model.lookup_structs = structs
    extras = {"tokenizer": model.tokenizers["default"], "ds": structs}
    model.processors = _DeduceProcessorLoader().load(config=model.config, extras=extras)
    return model


if __name__ == "__main__":
    # Through the package, so the pickle names knowledge.privacy.deduce_lean.LeanTrie.
    from knowledge.privacy import deduce_lean

    logging.disable(logging.CRITICAL)
    deduce_lean.write_lean_cache(Path(sys.argv[1]))
