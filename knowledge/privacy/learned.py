"""The learned detector: a logistic model per kind over the features of candidates.py.

It is a second opinion beside the rules (deidentifier.py adds its hits to theirs): for each
word it estimates whether the word is part of a client's name, for each date-shaped stretch
whether it is a birth date. Feature strings are hashed into a fixed number of buckets
(CRC-32, the same on every machine), so the model is a list of weights per kind, a bias and a
threshold chosen by cross-validation (evaluation/privacy_train.py, `vraagbaak privacy train`).

Invariants: the model file is read only when its SHA-256 equals ``MODEL_SHA256`` (a changed
file is an error, never a silent change of behaviour); scoring uses no randomness; the words
between two found name words that are particles ("el", "van der") join the name, since a
reader sees "fatima [naam] amrani" as one name.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.privacy.candidates import Candidate, Span, name_candidates
from knowledge.privacy.date_candidates import date_candidates
from knowledge.privacy.lexicon import PARTICLES
from knowledge.privacy.model import Hit

MODEL_FILE = Path(__file__).resolve().parent / "learned_model.json"
MODEL_SHA256 = "f08d1e33c93d7381d2495841381590a85b4d0d17aa66d16385131ec239154df0"
BUCKETS = 1 << 14


class ModelFileChanged(RuntimeError):
    """The model file is not the one this code was released with."""


def bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) % BUCKETS


def feature_indices(candidate: Candidate) -> list[int]:
    """The distinct buckets of a candidate's features, in a fixed order."""
    return sorted({bucket(feature) for feature in candidate.features})


@dataclass(frozen=True)
class KindModel:
    """One kind's weights (by bucket), bias and the probability above which it removes."""

    weights: Sequence[float]
    bias: float
    threshold: float

    def probability(self, candidate: Candidate) -> float:
        score = self.bias + sum(self.weights[i] for i in feature_indices(candidate))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, score))))


@dataclass(frozen=True)
class LearnedModel:
    persoon: KindModel
    geboortedatum: KindModel

    def hits(self, text: str, rules: Sequence[Span] = ()) -> list[Hit]:
        """Names (particles between found words joined in) and birth dates in ``text``, given
        the spans the rules removed from it."""
        words = [
            (
                c.start,
                c.end,
                not c.common_word and self.persoon.probability(c) >= self.persoon.threshold,
            )
            for c in name_candidates(text, rules)
        ]
        found = list(_names_with_particles(text, words))
        found += [
            Hit(c.start, c.end, "geboortedatum")
            for c in date_candidates(text, rules)
            if self.geboortedatum.probability(c) >= self.geboortedatum.threshold
        ]
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "buckets": BUCKETS,
            **{
                kind: {
                    "bias": round(model.bias, 6),
                    "threshold": round(model.threshold, 6),
                    "weights": {str(i): round(w, 6) for i, w in enumerate(model.weights) if w},
                }
                for kind, model in (
                    ("persoon", self.persoon),
                    ("geboortedatum", self.geboortedatum),
                )
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LearnedModel:
        if data["buckets"] != BUCKETS:
            raise ModelFileChanged(f"model has {data['buckets']} buckets, code {BUCKETS}")

        def kind(part: dict[str, Any]) -> KindModel:
            weights = [0.0] * BUCKETS
            for index, weight in part["weights"].items():
                weights[int(index)] = float(weight)
            return KindModel(weights, float(part["bias"]), float(part["threshold"]))

        return cls(kind(data["persoon"]), kind(data["geboortedatum"]))


def _names_with_particles(text: str, words: Iterable[tuple[int, int, bool]]) -> Iterator[Hit]:
    """Runs of positive words as hits. What stands between two positive words joins them
    when it is only particles, spaces, commas and brackets ("Yılmaz, Mehmet", "W. (Wendy)
    Bosman"), never a full stop ("met Wim. Wim is") or a line break; an initial right before
    a positive word belongs to it."""
    run: tuple[int, int] | None = None
    for start, end, positive in words:
        if not positive:
            continue
        initial = _INITIAL_BEFORE.search(text, max(0, start - 12), start)
        start = initial.start() if initial else start
        if run is not None and _JOINING.fullmatch(text, run[1], start):
            run = (run[0], end)
            continue
        if run is not None:
            yield Hit(*run, "persoon")
        run = (start, end)
    if run is not None:
        yield Hit(*run, "persoon")


_JOINING = re.compile(rf"(?:[ ,()]|\b(?i:{'|'.join(sorted(PARTICLES, key=len, reverse=True))})\b)*")
_INITIAL_BEFORE = re.compile(r"(?<![\w])(?:[A-Z]\.[ ]?)+[ ]?\(?$")


def model_bytes(model: LearnedModel) -> bytes:
    """The file's exact bytes: sorted keys, one line, so the same model has one hash."""
    return (json.dumps(model.to_json(), sort_keys=True, separators=(",", ":")) + "\n").encode()


@cache
def shipped_model() -> LearnedModel:
    """The model in the package, after its hash is checked."""
    raw = MODEL_FILE.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MODEL_SHA256:
        raise ModelFileChanged(f"{MODEL_FILE.name}: sha256 {digest}, expected {MODEL_SHA256}")
    return LearnedModel.from_json(json.loads(raw))
