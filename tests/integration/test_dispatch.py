"""The dispatch state machine on both stores, under a fixed clock (no Slack involved)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.wiring import Deps
from models.clock import FixedClock
from models.errors import Why
from models.tables import ExpertiseProfile, Invitation, Member, Outbox, Question
from routing.dispatch import DispatchError, Inbound
from tests.helpers import ASKER, invitations, make_deps

QUESTION = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"


class SnoozeProbe:
    def __init__(self, snoozed: set[str]) -> None:
        self.snoozed = snoozed
        self.asked: list[str] = []

    def is_available(self, chat_user_id: str) -> bool:
        self.asked.append(chat_user_id)
        return chat_user_id not in self.snoozed


def _ask(deps: Deps, key: str = "q1", asker: str = ASKER, text: str = QUESTION) -> Question:
    with deps.sessions() as session:
        result = deps.dispatcher.ask(
            session, Inbound(key, asker, text, "D1", key, deps.clock.now())
        )
        session.commit()
        return result.question


def test_ask_writes_the_question_invitations_and_outbox_together(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps)
    with deps.sessions() as session:
        invited = invitations(session)
        keys = {row.key for row in session.exec(select(Outbox)).all()}
    assert [i.rank for i in invited] == [1, 2, 3]
    # suggestions join only when an offer or module is a strong match (knowledge/catalogue_search)
    assert keys - {f"question:{question.id}:suggestions"} == {
        f"invitation:{i.id}" for i in invited
    } | {f"question:{question.id}:received"}
    assert question.next_wave_at == clock.now() + timedelta(minutes=20)


def test_a_refused_question_writes_nothing(db: Engine, clock: FixedClock) -> None:
    from routing.intake import IntakeRefused

    deps = make_deps(db, clock)
    with deps.sessions() as session, pytest.raises(IntakeRefused):
        deps.dispatcher.ask(session, Inbound("q", ASKER, "🙂", "D1", "1", clock.now()))
    with deps.sessions() as session:
        assert session.exec(select(Question)).all() == []
        assert session.exec(select(Outbox)).all() == []


def test_the_daily_cap_protects_an_expert(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    first = _ask(deps, "q1")
    with deps.sessions() as session:
        top = invitations(session, first.id)[0].member_id
        member = session.get(Member, top)
        assert member is not None
        member.daily_cap = 1
        session.add(member)
        session.commit()
    second = _ask(deps, "q2")  # the same question again: the same expert would be first
    with deps.sessions() as session:
        assert top not in {i.member_id for i in invitations(session, second.id)}
    clock.advance(timedelta(days=1))  # a new day, a new allowance
    third = _ask(deps, "q3")
    with deps.sessions() as session:
        assert top in {i.member_id for i in invitations(session, third.id)}


def test_absent_and_do_not_disturb_experts_are_skipped(db: Engine, clock: FixedClock) -> None:
    baseline = make_deps(db, clock)
    first = _ask(baseline, "q1")
    with baseline.sessions() as session:
        top3 = [i.member_id for i in invitations(session, first.id)]
        away = session.get(Member, top3[0])
        assert away is not None
        away.away_until = clock.now() + timedelta(days=3)
        session.add(away)
        session.commit()
    probe = SnoozeProbe({"U" + top3[1].upper()})
    deps = make_deps(db, clock, probe=probe)
    second = _ask(deps, "q2", asker="m006")
    with deps.sessions() as session:
        invited = {i.member_id for i in invitations(session, second.id)}
    assert top3[0] not in invited and top3[1] not in invited
    assert len(invited) == 3
    assert "U" + top3[0].upper() not in probe.asked  # the absent one needs no DND check


def test_two_experts_taking_at_once_one_wins(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    _ask(deps)
    with deps.sessions() as session:
        a, b, _ = invitations(session)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def take(invitation: Invitation) -> None:
        with deps.sessions() as session:
            barrier.wait()
            try:
                deps.dispatcher.accept(session, invitation.id or 0, invitation.member_id)
                session.commit()
                outcomes.append("won")
            except DispatchError:
                session.rollback()
                outcomes.append("told")

    threads = [threading.Thread(target=take, args=(i,)) for i in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == ["told", "won"]
    with deps.sessions() as session:
        states = sorted(i.state for i in invitations(session))
    assert states == ["accepted", "withdrawn", "withdrawn"]


def test_escalation_waits_for_working_hours(db: Engine) -> None:
    from datetime import datetime

    from models.clock import AMSTERDAM

    clock = FixedClock(datetime(2026, 11, 27, 17, 20, tzinfo=AMSTERDAM))  # Friday 17:20
    deps = make_deps(db, clock)
    _ask(deps)
    clock.advance(timedelta(hours=2))  # Friday evening: still wave 1
    deps.tick()
    with deps.sessions() as session:
        assert {i.wave for i in invitations(session)} == {1}
    clock.set(datetime(2026, 11, 30, 8, 41, tzinfo=AMSTERDAM))  # Monday 08:41: 20 min passed
    deps.tick()
    with deps.sessions() as session:
        assert {i.wave for i in invitations(session)} == {1, 2}


def test_only_the_asker_closes_and_grades_are_one_to_five(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps)
    with deps.sessions() as session:
        with pytest.raises(DispatchError, match=Why.ONLY_ASKER_CLOSES):
            deps.dispatcher.close(session, question.id or 0, "m050")
        with pytest.raises(DispatchError, match=Why.RATING_RANGE):
            deps.dispatcher.close(session, question.id or 0, ASKER, rating=9)
        closed = deps.dispatcher.close(session, question.id or 0, ASKER)
        session.commit()
        assert closed.status == "closed"
        assert {i.state for i in invitations(session)} == {"withdrawn"}


def test_two_instances_escalating_at_once_launch_one_wave(db: Engine, clock: FixedClock) -> None:
    from sqlalchemy.exc import DBAPIError

    deps = make_deps(db, clock)
    _ask(deps)
    clock.advance(timedelta(minutes=21))
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def escalate() -> None:
        with deps.sessions() as session:
            barrier.wait()
            try:
                outcomes.append(deps.dispatcher.escalate_due(session))
                session.commit()
            except DBAPIError as error:  # SQLite: the loser's write conflicts and rolls back
                session.rollback()
                outcomes.append(type(error).__name__)

    threads = [threading.Thread(target=escalate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with deps.sessions() as session:
        waves = [i.wave for i in invitations(session)]
    assert waves.count(2) == 3, outcomes
    assert sorted(outcomes, key=str) in ([0, 1], [1, "OperationalError"]), outcomes


def test_a_taken_but_unanswered_question_reminds_the_expert_once(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    _ask(deps)
    with deps.sessions() as session:
        first = invitations(session)[0]
        deps.dispatcher.accept(session, first.id or 0, first.member_id)
        session.commit()
    clock.advance(timedelta(hours=3, minutes=59))
    deps.tick()
    clock.advance(timedelta(minutes=2))  # four working hours after taking it
    deps.tick()
    deps.tick()
    with deps.sessions() as session:
        reminders = session.exec(
            select(Outbox).where(Outbox.template == "invitation.reminder")
        ).all()
        assert [r.key for r in reminders] == [f"invitation:{first.id}:reminder"]
        assert session.exec(select(Question)).one().status == "taken"


def test_acute_danger_gets_the_crisis_numbers_and_a_short_wave(
    db: Engine, clock: FixedClock
) -> None:
    """A euphemism for suicide: the asker reads 113 in the first reply, the crisis colleague
    is in the first wave with "Spoed" in the invitation, and the next wave follows after 5
    working minutes instead of 20."""
    from bot.messages import invitation_text, plain_quote, received_text
    from models.messages import InvitationMessage, QuestionReceived
    from models.outbox import stored

    deps = make_deps(db, clock)
    question = _ask(
        deps,
        text="Klant appt me net dat ze er een eind aan wil maken, ze is alleen thuis. Wat nu?",
    )
    with deps.sessions() as session:
        rows = {row.key: row for row in session.exec(select(Outbox)).all()}
        invited = invitations(session, question.id)
        crisis = {
            p.member_id
            for p in session.exec(select(ExpertiseProfile)).all()
            if any("suïcidaliteit" in tag for tag in p.tags)
        }
    received = stored(rows[f"question:{question.id}:received"], QuestionReceived)
    assert received is not None
    assert [u.label for u in received.urgent] == ["Mogelijk suïcidegevaar"]
    assert "113" in received_text(received, plain_quote).splitlines()[0]
    assert crisis & {i.member_id for i in invited}
    invitation = stored(rows[f"invitation:{invited[0].id}"], InvitationMessage)
    assert invitation is not None
    assert invitation_text(invitation, plain_quote).startswith("🚨 Spoed: Mogelijk suïcidegevaar.")
    assert question.next_wave_at == clock.now() + timedelta(minutes=5)
    assert question.text.startswith("Klant appt me net")  # the stored text is not expanded
    assert question.urgent == ("suicide",)  # decided once, kept for every later wave


def test_an_everyday_question_carries_no_alarm(db: Engine, clock: FixedClock) -> None:
    import json

    deps = make_deps(db, clock)
    question = _ask(deps)
    with deps.sessions() as session:
        received = session.exec(
            select(Outbox).where(Outbox.key == f"question:{question.id}:received")
        ).one()
    assert json.loads(received.payload)["urgent"] == []
    assert question.urgent == ()
