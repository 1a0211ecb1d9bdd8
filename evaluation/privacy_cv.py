"""Grouped cross-validation of the learned privacy detector, the threshold choice and the
training command's report (evaluation/privacy_train.py builds the examples).

Per fold and threshold pair it counts, for the rules alone and for the rules with the model:
gold spans caught per kind (every character removed), keep strings lost, and the model's
additions (hits that no rule span overlaps) with how many of them are client data. The
report gives per kind the mean and the spread (min, max, standard deviation) over the folds.
Synthetic texts (evaluation/privacy_synthetic.py) are training data in every fold and never
held out; ``choose_date_config`` (``python -m evaluation.privacy_cv``) compares numbers of them
and birth-date L2 strengths by the same folds over the real sets.
"""

from __future__ import annotations

import json
import statistics
import sys
import zlib
from collections.abc import Sequence
from typing import Any

from evaluation.privacy import _keep_occurrences
from evaluation.privacy_train import (
    KINDS,
    L2,
    L2_GRID,
    MAX_OVER_REDACTION,
    MIN_PRECISION,
    MIX_GRID,
    SYNTHETIC,
    THRESHOLDS,
    Spans,
    Text,
    _overlaps,
    _probabilities,
    fit,
    fit_model,
    learned_spans,
    load_texts,
    rule_spans,
)
from knowledge.privacy import Deidentifier
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


DateConfig = tuple[int, float]  # synthetic texts added, L2 strength of the birth-date model


def cross_validate(texts: Sequence[Text], folds: int | None) -> dict[str, Any]:
    """Counts per fold for the rules alone and for every threshold pair on the grid. The
    synthetic texts among ``texts`` are training data in every fold, never held out."""
    synthetic = [t for t in texts if t.group == SYNTHETIC]
    config = (len(synthetic), L2["geboortedatum"])
    return cross_validate_dates(texts, folds, (config,))[config]


def cross_validate_dates(
    texts: Sequence[Text], folds: int | None, configs: Sequence[DateConfig]
) -> dict[DateConfig, dict[str, Any]]:
    """``cross_validate`` for several birth-date configurations at once (the first ``n``
    synthetic texts and an L2 strength); the name model is trained once per fold. Only real
    texts are ever held out."""
    synthetic = [t for t in texts if t.group == SYNTHETIC]
    texts = [t for t in texts if t.group != SYNTHETIC]
    groups = sorted({t.group for t in texts})
    n_folds = len(groups) if folds is None else folds
    results: dict[DateConfig, dict[str, Any]] = {c: {"folds": []} for c in configs}
    for fold in range(n_folds):
        train = [t for t in texts if fold_of(t, folds, groups) != fold]
        test = [t for t in texts if fold_of(t, folds, groups) == fold]
        names = fit([e for t in train for e in t.names], "persoon")
        name_ps = [_probabilities(names, text.names) for text in test]
        rules: dict[str, int] = {}
        for text in test:
            _add(rules, score(text, text.rule_spans))
        for count, l2 in configs:
            extra = [e for t in synthetic[:count] for e in t.dates]
            dates = fit([e for t in train for e in t.dates] + extra, "geboortedatum", l2)
            grid = _grid(test, name_ps, dates)
            label = groups[fold] if folds is None else fold
            results[(count, l2)]["folds"].append({"fold": label, "rules": rules, "grid": grid})
    return results


def _grid(
    test: Sequence[Text], name_ps: Sequence[Any], dates: tuple[list[float], float]
) -> dict[float, dict[str, int]]:
    grid: dict[float, dict[str, int]] = {th: {} for th in THRESHOLDS}
    for text, name_p in zip(test, name_ps, strict=True):
        date_p = _probabilities(dates, text.dates)
        for th in THRESHOLDS:
            added = learned_spans(text, name_p, date_p, dict.fromkeys(KINDS, th))
            counts = score(text, text.rule_spans + added)
            for kind in KINDS:  # additions per kind, so each kind's threshold is its own
                mine = [a for a in added if a[2] == kind]
                new, true = _additions(text, mine)
                counts[f"added:{kind}"], counts[f"true:{kind}"] = new, true
            _add(grid[th], counts)
    return grid


def choose_date_config(texts: Sequence[Text], folds: int | None) -> dict[str, Any]:
    """Every (synthetic texts, L2) pair of the grid by cross-validation over the real texts:
    the birth-date recall (mean and spread over the folds) at the thresholds each would get,
    and the pair with the highest mean (then the highest worst fold, then fewer synthetic
    texts and stronger regularisation)."""
    available = sum(t.group == SYNTHETIC for t in texts)
    configs = [(n, l2) for n in MIX_GRID if n <= available for l2 in L2_GRID]
    results = cross_validate_dates(texts, folds, configs)
    table = []
    for (count, l2), cv in results.items():
        thresholds = choose_thresholds(cv)
        report = summary(cv, thresholds)
        table.append(
            {
                "synthetic_texts": count,
                "l2": l2,
                "threshold": thresholds["geboortedatum"],
                "missed": sum(
                    f["grid"][thresholds["geboortedatum"]].get("total:geboortedatum", 0)
                    - f["grid"][thresholds["geboortedatum"]].get("caught:geboortedatum", 0)
                    for f in cv["folds"]
                ),
                "added": [
                    sum(
                        f["grid"][thresholds["geboortedatum"]].get(f"{k}:geboortedatum", 0)
                        for f in cv["folds"]
                    )
                    for k in ("added", "true")
                ],
                "geboortedatum": report["geboortedatum"]["with_model"],
                "worst_over_redaction": max(
                    r["over_redaction"]["with_model"] for r in report["per_fold"]
                ),
            }
        )
    best = max(
        table,
        key=lambda r: (
            r["geboortedatum"]["mean"],
            r["geboortedatum"]["min"],
            -r["synthetic_texts"],
            r["l2"],
        ),
    )
    return {"grid": table, "chosen": {"synthetic_texts": best["synthetic_texts"], "l2": best["l2"]}}


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
    """Cross-validate, choose the thresholds, and train the final model on every text (the
    synthetic ones adding birth-date examples)."""
    cv = cross_validate(texts, folds)
    thresholds = choose_thresholds(cv)
    report = summary(cv, thresholds)
    report["synthetic_texts"] = sum(t.group == SYNTHETIC for t in texts)
    return fit_model(texts, thresholds), report


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m evaluation.privacy_cv [--folds K]``: the choice of the synthetic mix and
    the birth-date L2 strength by cross-validation over the real sets (with deduce)."""
    args = list(sys.argv[1:] if argv is None else argv)
    folds = int(args[args.index("--folds") + 1]) if "--folds" in args else None
    rules = Deidentifier(use_deduce=True, use_learned=False)
    texts = load_texts(rule_spans(rules), synthetic=max(MIX_GRID))
    sys.stdout.write(json.dumps(choose_date_config(texts, folds), indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
