"""Passage embeddings cached in the database under (model id, text hash).

Embedding is the slow step (~55 passages/s on two cores); profiles, offers and modules change
rarely, so a restart or a re-import re-embeds only the texts that changed. Query vectors are
not stored (nearly every question is new), but the last QUERY_MEMO texts are remembered in
memory: one question is looked up by the leefgebied classifier, the expert index and the
social-map and academy searches, each asking for the same text, and the model is
deterministic, so the second to fourth asks are answered without running it.

Query vectors of *fixed* texts are the exception: the glossary's background situations (the
hubness correction of the Buurtacademie search) and similar data-file texts are the same on
every start, so `embed_fixed_queries` stores them next to the passages, under the hash of the
text with a query marker (QUERY_KEY): a query and a passage of the same text are different
vectors for e5 and never share a row.

With `write_behind`, new vectors are kept in memory and written by `flush()` (the process calls
it after each commit and on every tick): embedding can happen in the middle of a dispatch
transaction, and SQLite allows one writer, so writing the cache from a second connection there
would wait for the very transaction that is waiting for it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

import numpy as np
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlmodel import col, select

from knowledge.embedders import Embedder, Vectors
from models.db import SessionFactory
from models.tables import EmbeddingCache

QUERY_MEMO = 512  # query texts remembered (384 floats each: under 1 MB)
QUERY_KEY = "\x00query\x00"  # prefixed to a fixed query's text before hashing (no passage has it)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def query_hash(text: str) -> str:
    """The stored key of a fixed query text: never the key of the same text as a passage."""
    return text_hash(QUERY_KEY + text)


class CachedEmbedder:
    """An Embedder that remembers passage vectors in the database."""

    def __init__(
        self, inner: Embedder, sessions: SessionFactory, *, write_behind: bool = False
    ) -> None:
        self.inner = inner
        self.model_id = inner.model_id
        self.dim = inner.dim
        self._sessions = sessions
        self._write_behind = write_behind
        self._pending: dict[str, np.ndarray] = {}
        self.computed = 0  # passages and fixed queries embedded by the model (not from the store)
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._queries_lock = threading.Lock()
        self.queries_computed = 0  # query texts embedded by the model (not from the memo)

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        """Query vectors, each text run through the model at most once while it is among the
        last QUERY_MEMO texts asked for (thread-safe; the model runs outside the lock)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._queries_lock:
            found = {t: self._queries[t] for t in texts if t in self._queries}
            for text in found:
                self._queries.move_to_end(text)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            vectors = self.inner.embed_queries(missing)
            with self._queries_lock:
                self.queries_computed += len(missing)
                for text, vector in zip(missing, vectors, strict=True):
                    self._queries[text] = vector
                    found[text] = vector
                while len(self._queries) > QUERY_MEMO:
                    self._queries.popitem(last=False)
        return np.stack([found[t] for t in texts]).astype(np.float32)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        return self._stored(texts, [text_hash(t) for t in texts], self.inner.embed_passages)

    def embed_fixed_queries(self, texts: Sequence[str]) -> Vectors:
        """Query vectors of texts that come from the code or its data files (the same on every
        start), stored like passages: a restart reads them instead of running the model.
        A question's text never comes here (it would fill the table with one-off rows)."""
        return self._stored(texts, [query_hash(t) for t in texts], self.inner.embed_queries)

    def _stored(
        self, texts: Sequence[str], hashes: list[str], compute: Callable[[list[str]], Vectors]
    ) -> Vectors:
        """Vectors under `hashes`: pending, then stored, then computed (each new text once)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        found = {h: self._pending[h] for h in hashes if h in self._pending}
        found.update(self._load(set(hashes) - set(found)))
        missing = sorted(
            {h: t for h, t in zip(hashes, texts, strict=True) if h not in found}.items()
        )
        if missing:
            vectors = compute([t for _, t in missing])
            self.computed += len(missing)
            new = [(h, v) for (h, _), v in zip(missing, vectors, strict=True)]
            if self._write_behind:
                self._pending.update(new)
            else:
                self._store(new)
            found.update(new)
        return np.stack([found[h] for h in hashes]).astype(np.float32)

    def flush(self) -> int:
        """Write the vectors computed since the last flush; returns how many were written."""
        if not self._pending:
            return 0
        items = list(self._pending.items())
        try:
            self._store(items)
        except OperationalError:  # the store is busy: the vectors wait for the next flush
            return 0
        for digest, _ in items:
            self._pending.pop(digest, None)
        return len(items)

    def _load(self, hashes: set[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._sessions() as session:
            ordered = sorted(hashes)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start : start + 500]
                rows = session.exec(
                    select(EmbeddingCache).where(
                        EmbeddingCache.model_id == self.model_id,
                        col(EmbeddingCache.text_hash).in_(chunk),
                    )
                ).all()
                for row in rows:
                    found[row.text_hash] = np.frombuffer(row.vector, dtype=np.float32)
        return found

    def _store(self, items: list[tuple[str, np.ndarray]]) -> None:
        store_vectors(self._sessions, self.model_id, items)


def store_vectors(
    sessions: SessionFactory, model_id: str, items: Sequence[tuple[str, np.ndarray]]
) -> None:
    """Insert (text hash, vector) rows of `model_id`; a row another process stored meanwhile
    (instances warming up together on one database) is left as it is: same model, same text,
    same vector."""
    rows = [
        {
            "model_id": model_id,
            "text_hash": digest,
            "dim": int(vector.shape[0]),
            "vector": np.asarray(vector, dtype=np.float32).tobytes(),
        }
        for digest, vector in items
    ]
    with sessions() as session:
        dialect = session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        for start in range(0, len(rows), 200):  # 800 bound values: under SQLite's limit
            statement = insert(EmbeddingCache).values(rows[start : start + 200])
            session.execute(
                statement.on_conflict_do_nothing(index_elements=["model_id", "text_hash"])
            )
        session.commit()
