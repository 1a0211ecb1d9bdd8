"""The "anoniem:" / "extern:" prefixes and the external-expert rule, without a database."""

from __future__ import annotations

import pytest

from routing.anonymity import AskFlags, parse_flags
from routing.experts import apply_external_rule
from routing.rank import RankedExpert


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("anoniem: Wie weet iets van schulden?", AskFlags("Wie weet iets van schulden?", True)),
        ("Anoniem wie weet iets van schulden?", AskFlags("wie weet iets van schulden?", True)),
        ("extern: wie kent de reclassering?", AskFlags("wie kent de reclassering?", False, True)),
        ("anoniem extern: hoe werkt dat?", AskFlags("hoe werkt dat?", True, True)),
        ("EXTERN, anoniem: hoe werkt dat?", AskFlags("hoe werkt dat?", True, True)),
        # words that only start like a prefix are part of the question
        ("Externe hulp bij schulden?", AskFlags("Externe hulp bij schulden?")),
        ("anonieme melding bij Veilig Thuis", AskFlags("anonieme melding bij Veilig Thuis")),
        ("Wie weet iets van anoniem melden?", AskFlags("Wie weet iets van anoniem melden?")),
    ],
)
def test_prefixes_are_flags_and_leave_the_question(typed: str, expected: AskFlags) -> None:
    assert parse_flags(typed) == expected


def _ranked(*pairs: tuple[str, float]) -> list[RankedExpert]:
    return [RankedExpert(member_id, score, {}) for member_id, score in pairs]


RANKED = _ranked(("x1", 0.95), ("i1", 0.80), ("x2", 0.70), ("i2", 0.60), ("i3", 0.50))
EXTERNALS = {"x1", "x2"}


def _ids(experts: list[RankedExpert]) -> list[str]:
    return [e.member_id for e in experts]


def test_externals_wait_while_an_internal_colleague_fits() -> None:
    kept = apply_external_rule(RANKED, EXTERNALS, threshold=0.65, asked=False, limit=3)
    assert _ids(kept) == ["i1", "i2", "i3"]


def test_externals_compete_when_no_internal_colleague_fits() -> None:
    kept = apply_external_rule(RANKED, EXTERNALS, threshold=0.85, asked=False, limit=3)
    assert _ids(kept) == _ids(RANKED)


def test_asked_for_externals_the_best_one_gets_a_place() -> None:
    ranked = _ranked(("i1", 0.9), ("i2", 0.8), ("i3", 0.7), ("x1", 0.3), ("x2", 0.2))
    kept = apply_external_rule(ranked, EXTERNALS, threshold=0.65, asked=True, limit=3)
    assert _ids(kept)[:3] == ["i1", "i2", "x1"]
    # already in the wave on merit: the order is left alone
    assert apply_external_rule(RANKED, EXTERNALS, threshold=0.65, asked=True, limit=3) == RANKED
