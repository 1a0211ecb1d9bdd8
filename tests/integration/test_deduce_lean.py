"""The lean deduce (nested-dict tries) against deduce as is: the same tries and the same findings.

Slow: builds both (deduce's own cache, about 1 GB resident for a few seconds, and the lean one
in a child process when it is not cached yet).
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from docdeid.ds.ds import DsCollection

from knowledge.privacy import deduce_lean
from knowledge.privacy.deduce_backend import _SKIPPED, _import_deduce

pytestmark = pytest.mark.slow

EVAL = Path(__file__).resolve().parents[1] / "fixtures" / "eval"


@pytest.fixture(scope="module")
def both() -> Iterator[tuple[Any, Any]]:
    """deduce as is, and the lean deduce over the copy shipped in the package (what a new
    machine starts from)."""
    full = _import_deduce().Deduce()
    structs = deduce_lean._load(deduce_lean.SHIPPED)
    assert structs is not None, (
        "knowledge/data/deduce_lean.pickle.xz was made from another deduce, docdeid or lookup "
        "lists: rewrite it with `python -m knowledge.privacy.deduce_lean "
        "knowledge/data/deduce_lean.pickle.xz`"
    )
    yield full, deduce_lean.lean_deduce(structs)


def test_a_start_finds_a_lean_collection_without_building_one() -> None:
    # A local cache from an earlier start or, on a new machine, the shipped copy.
    assert isinstance(deduce_lean.lean_lookup_structs(), DsCollection)


@pytest.mark.parametrize("name", ["copy.pickle", "copy.pickle.xz"])
def test_a_copy_is_used_only_when_made_from_the_installed_deduce(tmp_path: Path, name: str) -> None:
    structs = DsCollection()
    made_here = {"format": deduce_lean._FORMAT, **deduce_lean._provenance()}
    path = tmp_path / name
    for provenance, usable in [
        (made_here, True),
        ({**made_here, "source_sha256": "0" * 64}, False),  # other lookup lists
        ({**made_here, "deduce_version": "0.0.1"}, False),
        ({**made_here, "format": deduce_lean._FORMAT - 1}, False),
    ]:
        with deduce_lean._open(path, "wb") as file:
            pickle.dump({**provenance, "lookup_structs": structs}, file)
        assert (deduce_lean._load(path) is not None) is usable
    path.write_bytes(b"not a pickle")
    assert deduce_lean._load(path) is None


def _same_node(full: Any, lean: dict[str | None, Any]) -> None:
    stack = [(full, lean)]
    while stack:
        node, other = stack.pop()
        assert set(node.children) == {key for key in other if key is not None}
        assert bool(node.is_terminal) == (None in other)
        stack.extend((child, other[token]) for token, child in node.children.items())


def test_every_trie_has_the_same_items(both: tuple[Any, Any]) -> None:
    full, lean = both
    assert set(full.lookup_structs.keys()) == set(lean.lookup_structs.keys())
    for name in full.lookup_structs:
        original, leaner = full.lookup_structs[name], lean.lookup_structs[name]
        if isinstance(leaner, deduce_lean.LeanTrie):
            assert repr(leaner.matching_pipeline) == repr(original.matching_pipeline)
            assert leaner.is_terminal == original.is_terminal
            _same_node(original, leaner._nodes())
        else:
            assert leaner is original or leaner.items() == original.items()


def _texts() -> list[str]:
    texts = []
    for path in sorted(EVAL.glob("privacy_*.jsonl")):
        texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    return texts


def _annotations(model: Any, text: str, disabled: set[str]) -> list[tuple[int, int, str, str]]:
    document = model.deidentify(text, disabled=disabled)
    return sorted((a.start_char, a.end_char, a.tag, a.text) for a in document.annotations)


def test_every_labelled_text_gets_the_same_annotations(both: tuple[Any, Any]) -> None:
    full, lean = both
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        assert _annotations(lean, text, _SKIPPED) == _annotations(full, text, _SKIPPED), text
        # And deduce's own redaction, with every processor on.
        assert lean.deidentify(text).deidentified_text == full.deidentify(text).deidentified_text


def test_longest_matching_prefix_agrees_on_every_token_position(both: tuple[Any, Any]) -> None:
    full, lean = both
    tokenizer = full.tokenizers["default"]
    structs = lean.lookup_structs
    tries = [n for n in structs if isinstance(structs[n], deduce_lean.LeanTrie)]
    for text in _texts()[:300]:
        tokens = [token.text for token in tokenizer.tokenize(text)]
        for name in tries:
            original, leaner = full.lookup_structs[name], lean.lookup_structs[name]
            for i in range(len(tokens)):
                assert leaner.longest_matching_prefix(tokens, start_i=i) == (
                    original.longest_matching_prefix(tokens, start_i=i)
                )
                assert (tokens[i : i + 2] in leaner) == (tokens[i : i + 2] in original)
