"""Anonymous asking on both stores: what experts see, the daily limit, the audited reveal (own
team only, de-identified reason, once per cause, the asker told) and forwarding that never
points at the asker."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.refusals import refusal_text
from bot.wiring import Deps
from models.clock import FixedClock
from models.errors import Why
from models.tables import AuditLog, Invitation, Member, Outbox, Question
from routing.anonymity import ForwardRefused, Revealed, RevealRefused, claim_forward, reveal_asker
from routing.dispatch import Inbound
from routing.intake import IntakeRefused
from tests.helpers import ASKER, invitations, make_coordinator, make_deps

QUESTION = "Hoe werkt beschermingsbewind en budgetbeheer voor iemand met schulden?"


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
    with pytest.raises(IntakeRefused, match=Why.ANONYMOUS_LIMIT) as refused:
        _ask(deps, "q3", "anoniem: " + QUESTION)
    assert "vandaag al 3 anonieme vragen" in refusal_text(refused.value)
    with deps.sessions() as session:
        assert len(session.exec(select(Question)).all()) == 3
        assert len(session.exec(select(Outbox)).all()) == outbox_before
    _ask(deps, "q4", QUESTION)  # a named question is not limited
    clock.advance(timedelta(days=1))
    assert _ask(deps, "q5", "anoniem: " + QUESTION).anonymous  # a new day, a new allowance


def test_the_daily_allowance_is_a_setting(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock, anonymous_per_day=1)
    _ask(deps, "q0", "anoniem: " + QUESTION)
    with pytest.raises(IntakeRefused, match=Why.ANONYMOUS_LIMIT) as refused:
        _ask(deps, "q1", "anoniem: " + QUESTION + " (2)")
    assert "vandaag al 1 anonieme" in refusal_text(refused.value)


COORDINATOR = "m027"  # coordinator of Lunetten, the asker's team
OTHER_COORDINATOR = "m001"  # coordinator of Kanaleneiland Noord
REASON = "zorgen over de veiligheid van een kind"


def _reveal(deps: Deps, question_id: int, who: str, reason: str, cause: str) -> Revealed:
    with deps.sessions() as session:
        revealed = reveal_asker(
            session,
            question_id,
            who,
            reason,
            deps.clock.now(),
            cause=cause,
            deidentifier=deps.deidentifier,
        )
        session.commit()
        return revealed


def _audit(deps: Deps) -> list[AuditLog]:
    with deps.sessions() as session:
        return list(session.exec(select(AuditLog)).all())


def _outbox_keys(deps: Deps) -> set[str]:
    with deps.sessions() as session:
        return {row.key for row in session.exec(select(Outbox)).all()}


def test_reveal_is_refused_for_a_colleague_who_is_not_a_coordinator(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    keys = _outbox_keys(deps)
    with pytest.raises(RevealRefused, match=Why.REVEAL_COORDINATORS_ONLY):
        _reveal(deps, question.id or 0, "m049", REASON, "onthul:t1")  # Lunetten, no coordinator
    assert _audit(deps) == [] and _outbox_keys(deps) == keys


def test_a_coordinator_reveals_with_a_reason_and_it_is_audited(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    make_coordinator(deps, COORDINATOR)
    with pytest.raises(RevealRefused, match=Why.REVEAL_NEEDS_REASON):
        _reveal(deps, question.id or 0, COORDINATOR, "  ", "onthul:t0")
    revealed = _reveal(deps, question.id or 0, COORDINATOR, REASON, "onthul:t1")
    assert revealed.asker_name == _asker(deps).display_name and not revealed.already
    (row,) = _audit(deps)
    assert (row.actor_id, row.action, row.subject) == (
        COORDINATOR,
        "reveal_asker",
        f"question:{question.id}",
    )
    assert row.detail == REASON and row.at == clock.now()


def test_reveal_is_only_for_anonymous_questions_of_the_coordinators_own_team(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    anonymous = _ask(deps, "q1", "anoniem: " + QUESTION)
    named = _ask(deps, "q2", QUESTION + " (2)")
    make_coordinator(deps, COORDINATOR)
    make_coordinator(deps, OTHER_COORDINATOR)
    keys = _outbox_keys(deps)
    refusals = []
    for question_id, who in (
        (anonymous.id or 0, OTHER_COORDINATOR),  # another team's question
        (named.id or 0, COORDINATOR),  # not anonymous
        (9999, COORDINATOR),  # unknown
    ):
        with pytest.raises(RevealRefused) as refused:
            _reveal(deps, question_id, who, REASON, f"onthul:{question_id}:{who}")
        refusals.append(refusal_text(refused.value).replace(str(question_id), "V"))
    # one wording for the three: a refusal tells nothing about a question you may not see
    assert len(set(refusals)) == 1 and "anonieme vraag van je eigen team" in refusals[0]
    assert _asker(deps).display_name not in refusals[0]
    assert _audit(deps) == [] and _outbox_keys(deps) == keys


def test_the_reason_is_de_identified_logged_once_per_cause_and_the_asker_is_told(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    make_coordinator(deps, COORDINATOR)
    reason = "melding over mevrouw Jansen, bel haar via 06-12345678 of jansen@example.org"
    first = _reveal(deps, question.id or 0, COORDINATOR, reason, "onthul:trigger-1")
    again = _reveal(deps, question.id or 0, COORDINATOR, reason, "onthul:trigger-1")
    assert again.already and (again.asker_name, again.reason) == (first.asker_name, first.reason)
    (row,) = _audit(deps)
    for personal in ("Jansen", "06-12345678", "jansen@example.org"):
        assert personal not in row.detail and personal not in first.reason
    assert "[telefoonnummer]" in row.detail and "[e-mailadres]" in row.detail
    with deps.sessions() as session:
        rows = {r.key: r for r in session.exec(select(Outbox)).all()}
    answer, told = rows["onthul:trigger-1"], rows["onthul:trigger-1:vrager"]
    assert json.loads(answer.payload)["to_member"] == COORDINATOR
    payload = json.loads(told.payload)
    coordinator = "Eva Janssen"
    assert (payload["to_member"], payload["coordinator_name"]) == (ASKER, coordinator)
    assert payload["reason"] == row.detail and "Jansen" not in told.payload
    # a second command (another cause) is a second reveal, logged again
    _reveal(deps, question.id or 0, COORDINATOR, reason, "onthul:trigger-2")
    assert len(_audit(deps)) == 2


def test_forwarding_never_points_at_the_asker_and_only_a_pending_invitation_moves(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    with deps.sessions() as session:
        first, second, third = invitations(session, question.id)
    asker = _asker(deps)
    reasons = set()
    for colleague in (ASKER, first.member_id, second.member_id):  # asker, self, already invited
        with deps.sessions() as session:
            with pytest.raises(ForwardRefused) as refused:
                claim_forward(session, first.id or 0, first.member_id, colleague, clock.now())
            reasons.add(refusal_text(refused.value))
    assert len(reasons) == 1
    (reason,) = reasons
    assert "vrager" not in reason and asker.display_name not in reason
    invited = {first.member_id, second.member_id, third.member_id, ASKER}
    colleague, *others = [m for m in ("m050", "m051", "m052", "m053") if m not in invited]
    with deps.sessions() as session:
        claim_forward(session, first.id or 0, first.member_id, colleague, clock.now())
        deps.dispatcher.forward(session, first.id or 0, first.member_id, colleague)
        session.commit()
    for other in others:  # the same invitation again: refused, nothing moves
        with (
            deps.sessions() as session,
            pytest.raises(ForwardRefused, match=Why.FORWARD_NOT_PENDING),
        ):
            claim_forward(session, first.id or 0, first.member_id, other, clock.now())
    with deps.sessions() as session:
        forwarded = [i for i in invitations(session, question.id) if i.forwarded_by]
    assert [i.member_id for i in forwarded] == [colleague]


def test_of_two_concurrent_forwards_of_one_invitation_only_one_wins(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, "q1", "anoniem: " + QUESTION)
    with deps.sessions() as session:
        first = invitations(session, question.id)[0]
    late = deps.sessions()
    assert late.get(Invitation, first.id) is not None  # read while it was still pending
    with deps.sessions() as session:
        claim_forward(session, first.id or 0, first.member_id, "m050", clock.now())
        session.commit()
    with pytest.raises(ForwardRefused, match=Why.FORWARD_NOT_PENDING):
        claim_forward(late, first.id or 0, first.member_id, "m053", clock.now())
    late.close()
