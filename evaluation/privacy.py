"""The de-identification metric of the shared evaluation README.

Recall is strict per character: a gold span counts as caught only when every character of it
lies inside some removed span, because a half-removed name still identifies. Over-redaction
counts a keep string as lost when any character of any of its occurrences was removed, because
a half-removed "Kanaleneiland" no longer routes. Keep strings are located case-sensitively on
word boundaries. The report names cases by id and offset only, never by content: a lost keep
string by its index in the case's "keep" list.

Usage: ``python -m evaluation.privacy tests/fixtures/eval/privacy_dev.jsonl [--no-deduce]``
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from knowledge.privacy import KINDS, Deidentifier


def load_cases(path: str | Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _removed_mask(length: int, spans: Iterable[tuple[int, int]]) -> list[bool]:
    mask = [False] * length
    for start, end in spans:
        for i in range(max(0, start), min(length, end)):
            mask[i] = True
    return mask


def _keep_occurrences(text: str, keep: str) -> list[tuple[int, int]]:
    pattern = rf"(?<!\w){re.escape(keep)}(?!\w)"
    return [m.span() for m in re.finditer(pattern, text)]


def evaluate_privacy(cases: Iterable[dict[str, Any]], deidentifier: Deidentifier) -> dict[str, Any]:
    """Recall per kind and over-redaction over ``cases`` (the privacy_dev.jsonl schema)."""
    caught: dict[str, int] = dict.fromkeys(KINDS, 0)
    total: dict[str, int] = dict.fromkeys(KINDS, 0)
    keep_lost = keep_total = n = 0
    missed: list[dict[str, Any]] = []
    for case in cases:
        n += 1
        text = case["text"]
        result = deidentifier.deidentify(text)
        mask = _removed_mask(len(text), ((s.start, s.end) for s in result.removed))
        for gold in case.get("spans", []):
            kind = gold["kind"]
            total[kind] = total.get(kind, 0) + 1
            if all(mask[gold["start"] : gold["end"]]):
                caught[kind] = caught.get(kind, 0) + 1
            else:
                missed.append(
                    {"id": case["id"], "kind": kind, "start": gold["start"], "end": gold["end"]}
                )
        for index, keep in enumerate(case.get("keep", [])):
            keep_total += 1
            occurrences = _keep_occurrences(text, keep)
            if any(any(mask[s:e]) for s, e in occurrences):
                keep_lost += 1
                missed.append({"id": case["id"], "kind": "keep", "keep_index": index})
    recall = {kind: caught[kind] / total[kind] for kind in total if total[kind]}
    return {
        "n": n,
        "recall": recall,
        "support": {kind: count for kind, count in total.items() if count},
        "over_redaction": keep_lost / keep_total if keep_total else 0.0,
        "missed": missed,
    }


# The public question sets whose texts an asker could have typed: the look-before-sending rate
# is measured on them (docs/evaluation.md). Field names as the sets write them.
PUBLIC_QUESTION_SETS = (
    ("routing_dev.jsonl", "question"),
    ("academy_dev.jsonl", "question"),
    ("socialmap_dev.jsonl", "query"),
)


def look_rate(texts: Iterable[str], deidentifier: Deidentifier) -> dict[str, Any]:
    """How often the asker is asked to look before sending, as routing/dispatch.py decides
    it: something was removed, or a doubtful word remains."""
    asked = why_removed = n = 0
    for text in texts:
        n += 1
        result = deidentifier.deidentify(text)
        if result.removed or deidentifier.doubtful(result.text):
            asked += 1
            why_removed += bool(result.removed)
    return {"n": n, "asked": asked, "rate": asked / n if n else 0.0, "removed": why_removed}


def public_questions(directory: Path) -> list[str]:
    return [
        case[field] for name, field in PUBLIC_QUESTION_SETS for case in load_cases(directory / name)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    use_deduce = "--no-deduce" not in args
    paths = [a for a in args if not a.startswith("--")]
    report = evaluate_privacy(load_cases(paths[0]), Deidentifier(use_deduce=use_deduce))
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
