"""Answer reuse on both stores: a question close to an earlier, well-rated answer is held and
the asker chooses; nothing stalls when they do not."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.wiring import Deps
from models.clock import FixedClock
from models.errors import Why
from models.outbox import payload_of
from models.tables import Answer, Outbox, Question
from routing.dispatch import DispatchError, Inbound
from tests.helpers import ASKER, invitations, make_deps

QUESTION = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"
OTHER_ASKER = "m006"


def _ask(deps: Deps, key: str, asker: str = ASKER, text: str = QUESTION) -> Question:
    with deps.sessions() as session:
        result = deps.dispatcher.ask(
            session, Inbound(key, asker, text, "D1", key, deps.clock.now())
        )
        session.commit()
        return result.question


def _answered(deps: Deps, rating: int, answer: str = "Vraag het aan bij de kantonrechter.") -> int:
    """An earlier question, answered by the first invited expert and rated by its asker."""
    question = _ask(deps, "earlier", asker=OTHER_ASKER)
    with deps.sessions() as session:
        invitation = invitations(session, question.id)[0]
        deps.dispatcher.answer(session, invitation, invitation.member_id, answer, "a1")
        deps.dispatcher.close(session, question.id or 0, OTHER_ASKER, rating=rating)
        session.commit()
    return question.id or 0


def _received(deps: Deps, question: Question) -> dict[str, Any]:
    with deps.sessions() as session:
        row = session.exec(
            select(Outbox).where(Outbox.key == f"question:{question.id}:received")
        ).one()
        return payload_of(row)


def test_a_close_well_rated_answer_holds_the_question_and_can_close_it(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock, reuse_hold_minutes=10)
    earlier = _answered(deps, rating=5, answer="Bel mevrouw Jansen op 06-12345678 voor bewind.")
    question = _ask(deps, "new")
    assert question.status == "held"
    with deps.sessions() as session:
        assert invitations(session, question.id) == []
    shown = _received(deps, question)
    assert [e["question_id"] for e in shown["earlier"]] == [earlier]
    answer_text = shown["earlier"][0]["answer_text"]
    assert "06-12345678" not in answer_text and "Jansen" not in answer_text

    with deps.sessions() as session:
        with pytest.raises(DispatchError, match=Why.ONLY_ASKER_CHOOSES):
            deps.dispatcher.reuse_answer(session, question.id or 0, OTHER_ASKER, earlier)
        closed = deps.dispatcher.reuse_answer(session, question.id or 0, ASKER, earlier)
        again = deps.dispatcher.reuse_answer(session, question.id or 0, ASKER, earlier)
        session.commit()
    assert closed.status == again.status == "closed" and closed.reused_from == earlier
    clock.advance(timedelta(minutes=30))
    deps.tick()
    with deps.sessions() as session:
        assert invitations(session, question.id) == []  # the timer does not resurrect it
        keys = [r.key for r in session.exec(select(Outbox)).all()]
    assert keys.count(f"question:{question.id}:reused") == 1


def test_toch_doorsturen_invites_the_experts_once(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock, reuse_hold_minutes=10)
    _answered(deps, rating=4)
    question = _ask(deps, "new")
    with deps.sessions() as session:
        first = deps.dispatcher.release(session, question.id or 0, ASKER)
        second = deps.dispatcher.release(session, question.id or 0, ASKER)
        session.commit()
    assert len(first) == 3 and second == []
    with deps.sessions() as session:
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == "open" and stored.wave == 1
        assert len(invitations(session, question.id)) == 3
        told = session.exec(
            select(Outbox).where(Outbox.key == f"question:{question.id}:released")
        ).one()
    assert len(payload_of(told)["invited"]) == 3


def test_without_a_choice_the_question_goes_on_after_the_hold(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock, reuse_hold_minutes=10)
    _answered(deps, rating=5)
    question = _ask(deps, "new")
    clock.advance(timedelta(minutes=9))
    deps.tick()
    with deps.sessions() as session:
        assert invitations(session, question.id) == []
    clock.advance(timedelta(minutes=2))
    deps.tick()
    deps.tick()
    with deps.sessions() as session:
        assert len(invitations(session, question.id)) == 3
        stored = session.get(Question, question.id)
        assert stored is not None and stored.status == "open"


def test_poorly_rated_old_or_unanswered_questions_are_not_offered(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock, reuse_max_age_days=30)
    _answered(deps, rating=3)
    assert _ask(deps, "after-a-3").status == "open"

    fresh = make_deps(db, clock, reuse_max_age_days=30)
    with fresh.sessions() as session:
        for row in session.exec(select(Question)).all():
            row.rating = 5
        session.commit()
    clock.advance(timedelta(days=31))
    assert _ask(fresh, "a-month-later").status == "open"


def test_a_question_without_a_stored_answer_is_never_offered(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    _answered(deps, rating=5)
    with deps.sessions() as session:
        for answer in session.exec(select(Answer)).all():
            session.delete(answer)
        session.commit()
    assert _ask(deps, "new").status == "open"


def test_by_default_an_earlier_answer_is_shown_beside_the_first_wave(
    db: Engine, clock: FixedClock
) -> None:
    """No hold: the experts are asked at once; "Dit helpt" closes the question and calls the
    invitations back; once a colleague took it, it is theirs."""
    deps = make_deps(db, clock)
    earlier = _answered(deps, rating=5)
    question = _ask(deps, "new")
    assert question.status == "open"
    shown = _received(deps, question)
    assert [e["question_id"] for e in shown["earlier"]] == [earlier]
    assert len(shown["invited"]) == 3 and shown.get("hold_minutes") is None
    with deps.sessions() as session:
        closed = deps.dispatcher.reuse_answer(session, question.id or 0, ASKER, earlier)
        session.commit()
    assert closed.status == "closed" and closed.reused_from == earlier
    with deps.sessions() as session:
        assert {i.state for i in invitations(session, question.id)} == {"withdrawn"}
        told = session.exec(
            select(Outbox).where(Outbox.key == f"question:{question.id}:reused")
        ).one()
    assert payload_of(told)["withdrawn"] is True

    taken = _ask(deps, "taken", text=QUESTION + " Graag snel.")
    with deps.sessions() as session:
        invitation = invitations(session, taken.id)[0]
        deps.dispatcher.accept(session, invitation.id or 0, invitation.member_id)
        with pytest.raises(DispatchError, match=Why.ALREADY_WITH_COLLEAGUES):
            deps.dispatcher.reuse_answer(session, taken.id or 0, ASKER, earlier)
