"""Training and cross-validation of the learned privacy detector (knowledge/privacy/learned.py).

Training data: the labelled phone-typed sets that are development sets now (TRAINING_SETS),
and for the birth-date model synthetic texts generated from a specification of Dutch date
writing (evaluation/privacy_synthetic.py, SYNTHETIC_TEXTS of them). A frozen blind set is
never read here. Every word is a name example (positive when it lies in
a gold "persoon" span), every date-shaped stretch a birth-date example (positive when it
overlaps a gold "geboortedatum" span).

Cross-validation is grouped: by default each set is one fold (leave one set out), because the
sets were written by different people and the question is how the method does on a writer it
has not seen. In each fold the model is trained on the other folds and judged, together with
the rules, on the held-out one: a span counts as caught when the rules' removed spans and the
learned hits (minus what the keep list protects) cover all of it, as in evaluation/privacy.py.
The threshold per kind is the lowest on the grid at which, pooled over the folds, at least
MIN_PRECISION of what the model adds beyond the rules is client data and over-redaction
stays within MAX_OVER_REDACTION on every fold. The final model is trained on all sets with
the chosen thresholds.

Invariant: the same sets give the same model file, byte for byte (no randomness; weights
rounded to six decimals).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from evaluation.logistic import SparseRows, predict, train_logistic
from evaluation.privacy import load_cases
from evaluation.privacy_synthetic import synthetic_cases
from knowledge.privacy.candidates import Candidate, name_candidates
from knowledge.privacy.date_candidates import date_candidates
from knowledge.privacy.keep import KeepList
from knowledge.privacy.learned import BUCKETS, KindModel, LearnedModel, feature_indices
from knowledge.privacy.learned import _names_with_particles as names_with_particles

EVAL_DIR = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "eval"
TRAINING_SETS = (
    "privacy_dev.jsonl",
    "privacy_blind.jsonl",
    "privacy_blind2.jsonl",
    "privacy_blind3.jsonl",
    "privacy_blind4.jsonl",
    "privacy_blind5.jsonl",
    "privacy_blind6.jsonl",
    "privacy_blind7.jsonl",
    "privacy_blind8.jsonl",
    "privacy_blind9.jsonl",
    "privacy_blind10.jsonl",
)
KINDS = ("persoon", "geboortedatum")
THRESHOLDS = tuple(round(0.30 + 0.05 * i, 2) for i in range(14))  # 0.30 ... 0.95
MIN_PRECISION = 0.75
# L2 strength per kind, chosen by leave-one-set-out cross-validation (docs/evaluation.md):
# names gain from weak regularisation (1e-5). The birth-date strength and the number of
# synthetic texts added to the birth-date examples (evaluation/privacy_synthetic.py) were
# chosen together over MIX_GRID x L2_GRID by the same cross-validation over the real sets only
# (`python -m evaluation.privacy_cv`; synthetic texts are training data in every fold, never
# held out): the highest mean birth-date recall, then the best worst fold, then fewer
# synthetic texts. No mix beat none (8 folds: 9 birth dates missed without synthetic texts,
# 11 or more with 100 ... 2000 of them), so the model learns from the real sets alone and the
# generator checks that every form is a candidate (tests/unit/test_privacy_date_forms.py).
L2 = {"persoon": 1e-5, "geboortedatum": 1e-3}
SYNTHETIC_TEXTS = 0
MIX_GRID = (0, 100, 250, 500, 1000, 2000)
L2_GRID = (1e-4, 1e-3, 1e-2)
MAX_OVER_REDACTION = 0.05
Spans = list[tuple[int, int, str]]


@dataclass
class Text:
    """One labelled text with its candidates and what the rules removed from it."""

    group: str
    case: dict[str, Any]
    rule_spans: Spans
    keep_spans: list[tuple[int, int]]
    names: list[tuple[Candidate, int]] = field(default_factory=list)
    dates: list[tuple[Candidate, int]] = field(default_factory=list)


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


SYNTHETIC = "synthetic"  # the group of the generated texts: training data, never a fold


def load_texts(
    rules: Callable[[str], Spans],
    sets: Sequence[str] = TRAINING_SETS,
    synthetic: int = SYNTHETIC_TEXTS,
) -> list[Text]:
    """The labelled texts of ``sets`` with their name and date candidates, then ``synthetic``
    generated birth-date texts (evaluation/privacy_synthetic.py) with their date candidates
    only: those teach the birth-date model forms and cues, never names."""
    keep = KeepList.load()
    texts = []
    for name in sets:
        for case in load_cases(EVAL_DIR / name):
            text = case["text"]
            gold = {
                kind: [(g["start"], g["end"]) for g in case.get("spans", []) if g["kind"] == kind]
                for kind in KINDS
            }
            item = Text(name, case, rules(text), keep.spans(text))
            item.names = [
                (c, int(_overlaps(c.start, c.end, gold["persoon"])))
                for c in name_candidates(text, item.rule_spans)
            ]
            item.dates = [
                (c, int(_overlaps(c.start, c.end, gold["geboortedatum"])))
                for c in date_candidates(text, item.rule_spans)
            ]
            texts.append(item)
    for case in synthetic_cases(synthetic):
        born = [(g["start"], g["end"]) for g in case["spans"]]
        item = Text(SYNTHETIC, case, rules(case["text"]), [])
        item.dates = [
            (c, int(_overlaps(c.start, c.end, born)))
            for c in date_candidates(case["text"], item.rule_spans)
        ]
        texts.append(item)
    return texts


def fit(
    examples: Sequence[tuple[Candidate, int]], kind: str, l2: float | None = None
) -> tuple[list[float], float]:
    rows = SparseRows.of([feature_indices(c) for c, _ in examples])
    labels = np.array([label for _, label in examples], dtype=np.float64)
    weights, bias = train_logistic(rows, labels, BUCKETS, l2=L2[kind] if l2 is None else l2)
    return [float(w) for w in weights], float(bias)


def fit_model(texts: Sequence[Text], thresholds: dict[str, float]) -> LearnedModel:
    """The model trained on every text (a synthetic text has birth-date examples only)."""
    names = fit([e for t in texts for e in t.names], "persoon")
    dates = fit([e for t in texts for e in t.dates], "geboortedatum")
    return LearnedModel(
        KindModel(*names, thresholds["persoon"]), KindModel(*dates, thresholds["geboortedatum"])
    )


def _probabilities(
    model: tuple[list[float], float], examples: Sequence[tuple[Candidate, int]]
) -> NDArray[np.float64]:
    if not examples:
        return np.zeros(0)
    rows = SparseRows.of([feature_indices(c) for c, _ in examples])
    return predict(rows, np.array(model[0]), model[1])


def learned_spans(
    text: Text, name_p: NDArray[np.float64], date_p: NDArray[np.float64], th: dict[str, float]
) -> Spans:
    """What the model adds at the given thresholds, minus what the keep list protects."""
    words = [
        (c.start, c.end, not c.common_word and p >= th["persoon"])
        for (c, _), p in zip(text.names, name_p, strict=True)
    ]
    hits = [(h.start, h.end, h.kind) for h in names_with_particles(text.case["text"], words)]
    hits += [
        (c.start, c.end, "geboortedatum")
        for (c, _), p in zip(text.dates, date_p, strict=True)
        if p >= th["geboortedatum"]
    ]
    return [h for h in hits if not _overlaps(h[0], h[1], text.keep_spans)]


def rule_spans(deidentifier: Any) -> Callable[[str], Spans]:
    """What a Deidentifier without the learned detector removes, as (start, end, kind)."""

    def spans(text: str) -> Spans:
        return [(s.start, s.end, s.kind) for s in deidentifier.deidentify(text).removed]

    return spans
