"""Grouped cross-validation of the learned privacy detector, the threshold choice and the
training command's report (evaluation/privacy_train.py builds the examples).

Per fold and threshold pair it counts, for the rules alone and for the rules with the model:
gold spans caught per kind (every character removed), keep strings lost, and the model's
additions (hits that no rule span overlaps) with how many of them are client data. The
report gives per kind the mean and the spread (min, max, standard deviation) over the folds.
"""

from __future__ import annotations

import statistics
import zlib
from collections.abc import Sequence
from typing import Any

from evaluation.privacy import _keep_occurrences
from evaluation.privacy_train import (
    KINDS,
    MAX_OVER_REDACTION,
    MIN_PRECISION,
    THRESHOLDS,
    Spans,
    Text,
    _overlaps,
    _probabilities,
    fit,
    fit_model,
    learned_spans,
)
from knowledge.privacy.learned import LearnedModel


def fold_of(text: Text, folds: int | None, groups: Sequence[str]) -> int:
    """Leave one set out (folds None), or K folds of whole texts by a hash of their id."""
    if folds is None:
        return groups.index(text.group)
    return zlib.crc32(f"{text.group}/{text.case['id']}".encode()) % folds


def score(text: Text, spans: Spans) -> dict[str, int]:
    """Counts for one text when ``spans`` are removed (the metric of evaluation/privacy.py)."""
    content = text.case["text"]
    mask = [False] * len(content)
    for start, end, _ in spans:
        for i in range(max(0, start), min(len(content), end)):
            mask[i] = True
    counts: dict[str, int] = {}
    for gold in text.case.get("spans", []):
        kind = gold["kind"]
        counts[f"total:{kind}"] = counts.get(f"total:{kind}", 0) + 1
        if all(mask[gold["start"] : gold["end"]]):
            counts[f"caught:{kind}"] = counts.get(f"caught:{kind}", 0) + 1
    keep = text.case.get("keep", [])
    counts["keep_total"] = len(keep)
    counts["keep_lost"] = sum(
        any(any(mask[s:e]) for s, e in _keep_occurrences(content, k)) for k in keep
    )
    return counts


def _additions(text: Text, added: Spans) -> tuple[int, int]:
    """Model hits outside every rule span, and how many of those touch gold client data."""
    gold = [(g["start"], g["end"]) for g in text.case.get("spans", [])]
    rules = [(s, e) for s, e, _ in text.rule_spans]
    merged: list[tuple[int, int]] = []
    for start, end, _ in sorted(added):  # a name and its joining gap are one addition
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    new = [(s, e) for s, e in merged if not _overlaps(s, e, rules)]
    return len(new), sum(_overlaps(s, e, gold) for s, e in new)


def _add(total: dict[str, int], counts: dict[str, int]) -> None:
    for key, value in counts.items():
        total[key] = total.get(key, 0) + value


def cross_validate(texts: Sequence[Text], folds: int | None) -> dict[str, Any]:
    """Counts per fold for the rules alone and for every threshold pair on the grid."""
    groups = sorted({t.group for t in texts})
    n_folds = len(groups) if folds is None else folds
    per_fold: list[dict[str, Any]] = []
    for fold in range(n_folds):
        train = [t for t in texts if fold_of(t, folds, groups) != fold]
        test = [t for t in texts if fold_of(t, folds, groups) == fold]
        names = fit([e for t in train for e in t.names], "persoon")
        dates = fit([e for t in train for e in t.dates], "geboortedatum")
        rules: dict[str, int] = {}
        grid: dict[float, dict[str, int]] = {th: {} for th in THRESHOLDS}
        for text in test:
            _add(rules, score(text, text.rule_spans))
            name_p, date_p = _probabilities(names, text.names), _probabilities(dates, text.dates)
            for th in THRESHOLDS:
                added = learned_spans(text, name_p, date_p, dict.fromkeys(KINDS, th))
                counts = score(text, text.rule_spans + added)
                for kind in KINDS:  # additions per kind, so each kind's threshold is its own
                    mine = [a for a in added if a[2] == kind]
                    new, true = _additions(text, mine)
                    counts[f"added:{kind}"], counts[f"true:{kind}"] = new, true
                _add(grid[th], counts)
        per_fold.append(
            {"fold": groups[fold] if folds is None else fold, "rules": rules, "grid": grid}
        )
    return {"folds": per_fold}


def _rate(counts: dict[str, int], kind: str) -> float:
    total = counts.get(f"total:{kind}", 0)
    return counts.get(f"caught:{kind}", 0) / total if total else 1.0


def _over(counts: dict[str, int]) -> float:
    return counts.get("keep_lost", 0) / counts["keep_total"] if counts.get("keep_total") else 0.0


def choose_thresholds(cv: dict[str, Any]) -> dict[str, float]:
    """Per kind the lowest threshold whose pooled additions are at least MIN_PRECISION client
    data while every fold keeps over-redaction within MAX_OVER_REDACTION."""
    chosen = {}
    for kind in KINDS:
        chosen[kind] = THRESHOLDS[-1]
        for th in THRESHOLDS:
            added = sum(f["grid"][th].get(f"added:{kind}", 0) for f in cv["folds"])
            true = sum(f["grid"][th].get(f"true:{kind}", 0) for f in cv["folds"])
            over_ok = all(_over(f["grid"][th]) <= MAX_OVER_REDACTION for f in cv["folds"])
            if over_ok and (added == 0 or true / added >= MIN_PRECISION):
                chosen[kind] = th
                break
    return chosen


def _spread(values: list[float]) -> dict[str, float]:
    return {
        "mean": round(statistics.fmean(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "sd": round(statistics.pstdev(values), 3),
    }


def summary(cv: dict[str, Any], thresholds: dict[str, float]) -> dict[str, Any]:
    """Mean and spread over the folds, rules alone and with the model, at the chosen thresholds."""
    report: dict[str, Any] = {"thresholds": thresholds, "per_fold": []}
    for fold in cv["folds"]:
        row: dict[str, Any] = {"fold": fold["fold"]}
        for kind in KINDS:
            grid = fold["grid"][thresholds[kind]]
            row[kind] = {
                "rules": round(_rate(fold["rules"], kind), 3),
                "with_model": round(_rate(grid, kind), 3),
                "added": grid.get(f"added:{kind}", 0),
                "added_true": grid.get(f"true:{kind}", 0),
            }
        both = fold["grid"][thresholds["persoon"]]  # over-redaction at the persoon threshold
        row["over_redaction"] = {
            "rules": round(_over(fold["rules"]), 3),
            "with_model": round(_over(both), 3),
        }
        report["per_fold"].append(row)
    for kind in KINDS:
        report[kind] = {
            "rules": _spread([r[kind]["rules"] for r in report["per_fold"]]),
            "with_model": _spread([r[kind]["with_model"] for r in report["per_fold"]]),
        }
    return report


def train_and_report(
    texts: Sequence[Text], folds: int | None
) -> tuple[LearnedModel, dict[str, Any]]:
    """Cross-validate, choose the thresholds, and train the final model on every text."""
    cv = cross_validate(texts, folds)
    thresholds = choose_thresholds(cv)
    return fit_model(texts, thresholds), summary(cv, thresholds)
