"""The demo's vectors, computed ahead and shipped with the package.

Why: on a first `make demo` embedding the demo's profiles, social map and Buurtacademie (about
1,300 passages and fixed queries) took two of the three minutes to ready (issue 15 asks under
two). The texts are fixed data files, so their vectors are too: the file holds the rows the
demo's warm-up would write to the embedding cache, and `load_shipped` puts them there before
warm-up, so a first start reads them as a restart does.

Invariants: the vectors are the model's own output, float32 bit for bit, under the cache's own
keys (knowledge/embedding_cache.py: `text_hash` for a passage, `query_hash` for a fixed query),
so ranking is the same with or without the file; rows of another model than the configured one
are never read. `vraagbaak demo-vectors` rewrites the file when the demo data or the model
changes; a test fails until it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from knowledge.embedding_cache import store_vectors
from models.db import SessionFactory

SHIPPED = Path(__file__).parent / "data" / "demo_vectors.npz"


def read_shipped(path: Path = SHIPPED) -> tuple[str, list[tuple[str, np.ndarray]]]:
    """(model id, [(text hash, vector)]) from the file; no file: ("", [])."""
    if not path.exists():
        return "", []
    with np.load(path, allow_pickle=False) as data:
        model_id = str(data["model_id"])
        hashes = [str(h) for h in data["hashes"]]
        vectors = data["vectors"].astype(np.float32)
    return model_id, list(zip(hashes, vectors, strict=True))


def load_shipped(sessions: SessionFactory, path: Path = SHIPPED) -> int:
    """Put the shipped vectors in the embedding cache (rows already there stay); returns how
    many the file holds."""
    model_id, rows = read_shipped(path)
    if rows:
        store_vectors(sessions, model_id, rows)
    return len(rows)


def write_shipped(path: Path, model_id: str, rows: Sequence[tuple[str, np.ndarray]]) -> None:
    """Write the rows, sorted by hash so the file only changes when a vector does."""
    ordered = sorted(rows, key=lambda row: row[0])
    np.savez_compressed(
        path,
        model_id=np.array(model_id),
        hashes=np.array([h for h, _ in ordered]),
        vectors=np.stack([np.asarray(v, dtype=np.float32) for _, v in ordered]),
    )
