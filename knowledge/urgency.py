"""Signs that a question is about acute danger, and what the asker should do right now.

A generalist who types "klant appt dat ze er een eind aan wil maken" must not wait twenty
minutes for a colleague to accept: the first reply tells them whom to call (113, Veilig Thuis,
112) and the question goes to the colleagues who know crises first. Two things make that work:

- Detection is deliberately narrow and literal (phrases in data/urgent_signals.csv), because a
  false alarm in a colleague's DM is costly too, and because e5 does not link euphemisms such
  as "er een eind aan maken" to "suïcidaliteit" (it ranked the crisis expert 54th of 90).
- A detected signal adds its professional terms to the text the ranking reads, and its
  leefgebied to the prior, so the expert whose profile says "suïcidaliteit" or "Veilig Thuis"
  is found by BM25 as well as by meaning. The stored question text is never changed.

The numbers in the advice are national and stable (113 Zelfmoordpreventie 0800-0113, Veilig
Thuis 0800-2000, 112); they are data, so a region can change them without a code change.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.textnorm import fold


@dataclass(frozen=True)
class UrgentSignal:
    kind: str  # "suicide", "geweld"
    label: str  # Dutch, shown to asker and experts
    leefgebied: str  # slug added to the routing prior
    terms: tuple[str, ...]  # professional words added to the ranking text
    advice: str  # Dutch: what to do now
    pattern: re.Pattern[str]


@cache
def urgent_signal_kinds() -> tuple[UrgentSignal, ...]:
    text = resources.files("knowledge").joinpath("data/urgent_signals.csv").read_text("utf-8")
    return tuple(
        UrgentSignal(
            kind=row["kind"],
            label=row["label"],
            leefgebied=row["leefgebied"],
            terms=tuple(t.strip() for t in row["terms"].split(";") if t.strip()),
            advice=row["advice"],
            pattern=re.compile(rf"(?<!\w)(?:{fold(row['patterns'])})", re.IGNORECASE),
        )
        for row in csv.DictReader(text.splitlines())
    )


def _normalised(text: str) -> str:
    """Folded (no accents, lower case), apostrophes dropped ("z'n"), whitespace single."""
    return " ".join(fold(text).replace("'", "").replace("’", "").split())


def urgent_signals(text: str) -> tuple[UrgentSignal, ...]:
    """The kinds of acute danger `text` speaks of, in data order (usually none)."""
    normalised = _normalised(text)
    return tuple(s for s in urgent_signal_kinds() if s.pattern.search(normalised))


def signals_of(kinds: Sequence[str] | None, text: str) -> tuple[UrgentSignal, ...]:
    """A question's signals as decided once, when it was asked (`kinds`, stored on the
    question); a question stored before they were kept (None) is read from its text."""
    if kinds is None:
        return urgent_signals(text)
    known = {signal.kind: signal for signal in urgent_signal_kinds()}
    return tuple(known[kind] for kind in kinds if kind in known)


def routing_text(text: str, signals: tuple[UrgentSignal, ...]) -> str:
    """The text the ranking reads: the question plus the professional terms of its signals."""
    terms = [term for signal in signals for term in signal.terms]
    return f"{text} ({'; '.join(terms)})" if terms else text
