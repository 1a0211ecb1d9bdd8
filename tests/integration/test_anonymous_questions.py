"""Anonymous asking on both stores: what experts see, the daily limit, and the audited reveal."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.wiring import Deps
from models.clock import FixedClock
from models.tables import AuditLog, Member, Outbox, Question
from routing.anonymity import RevealRefused, reveal_asker
from routing.dispatch import Inbound
from routing.intake import IntakeRefused
from tests.helpers import ASKER, make_deps

QUESTION = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"
COORDINATOR = "m001"


def _ask(deps: Deps, key: str, text: str) -> Question:
    with deps.sessions() as session:
        result = deps.dispatcher.ask(
            session, Inbound(key, ASKER, text, "D1", key, deps.clock.now())
        )
        session.commit()
        return result.question


def _invitation_payloads(deps: Deps) -> list[dict[str, object]]:
    with deps.sessions() as session:
        rows = session.exec(select(Outbox).where(Outbox.template == "invitation")).all()
        return [json.loads(row.payload) for row in rows]


def _asker(deps: Deps) -> Member:
    with deps.sessions() as session:
        asker = session.get(Member, ASKER)
        assert asker is not None
        return asker


def test_an_anonymous_question_hides_the_asker_from_every_invited_expert(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    assert question.anonymous and question.text.startswith("Hoe werkt")
    asker = _asker(deps)
    payloads = _invitation_payloads(deps)
    assert len(payloads) == 3
    for payload in payloads:
        assert payload["asker_name"] == "een collega"
        text = json.dumps(payload, ensure_ascii=False)
        assert asker.display_name not in text and asker.team not in text


def test_a_named_question_still_shows_the_asker_to_internal_experts(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", QUESTION)
    assert not question.anonymous
    assert {p["asker_name"] for p in _invitation_payloads(deps)} == {_asker(deps).display_name}


def test_the_fourth_anonymous_question_of_a_day_is_refused_and_nothing_stored(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    for n in range(3):
        _ask(deps, f"q{n}", f"anoniem: {QUESTION} ({n})")
    with deps.sessions() as session:
        outbox_before = len(session.exec(select(Outbox)).all())
    with pytest.raises(IntakeRefused, match="vandaag al 3 anonieme vragen"):
        _ask(deps, "q3", "anoniem: " + QUESTION)
    with deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 3
        assert len(session.exec(select(Outbox)).all()) == outbox_before
    _ask(deps, "q4", QUESTION)  # a named question is not limited
    clock.advance(timedelta(days=1))
    assert _ask(deps, "q5", "anoniem: " + QUESTION).anonymous  # a new day, a new allowance


def test_the_daily_allowance_is_a_setting(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock, anonymous_per_day=1)
    _ask(deps, "q0", "anoniem: " + QUESTION)
    with pytest.raises(IntakeRefused, match="vandaag al 1 anonieme"):
        _ask(deps, "q1", "anoniem: " + QUESTION + " (2)")


def _make_coordinator(deps: Deps, member_id: str) -> None:
    with deps.sessions() as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.is_coordinator = True
        session.add(member)
        session.commit()


def test_reveal_is_refused_for_a_colleague_who_is_not_a_coordinator(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    with deps.sessions() as session:
        with pytest.raises(RevealRefused, match="coördinator"):
            reveal_asker(session, question.id or 0, "m002", "zorgen over veiligheid", clock.now())
        assert session.exec(select(AuditLog)).all() == []


def test_a_coordinator_reveals_with_a_reason_and_it_is_audited(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    _make_coordinator(deps, COORDINATOR)
    with deps.sessions() as session:
        with pytest.raises(RevealRefused, match="waarom"):
            reveal_asker(session, question.id or 0, COORDINATOR, "  ", clock.now())
        name = reveal_asker(
            session, question.id or 0, COORDINATOR, "zorgen over veiligheid kind", clock.now()
        )
        session.commit()
    assert name == _asker(deps).display_name
    with deps.sessions() as session:
        (row,) = session.exec(select(AuditLog)).all()
    assert (row.actor_id, row.action, row.subject) == (
        COORDINATOR,
        "reveal_asker",
        f"question:{question.id}",
    )
    assert row.detail == "zorgen over veiligheid kind" and row.at == clock.now()
