"""Erasure on request on both stores: a client's case, and a colleague (models/erasure.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.wiring import Deps
from models.audit import ERASE_CASE, ERASE_MEMBER, query
from models.clock import FixedClock
from models.erasure import PSEUDONYM_NAME, ErasureRefused, erase_case, erase_member
from models.errors import Why
from models.messages import Address, Notice
from models.outbox import enqueue
from models.outbox_redaction import MARKER_PREFIX
from models.tables import (
    CaseEvent,
    ExpertiseEvidence,
    ExpertiseProfile,
    FeedbackInvitation,
    FeedbackResponse,
    Invitation,
    Member,
    Outbox,
    Question,
    Rating,
    SuggestionFeedback,
    Team,
)
from tests.helpers import ASKER, make_deps
from tests.privacy_data import (
    POLICY,
    QUESTION,
    TEAM,
    answer_authors,
    answer_survey,
    answered_question,
    closed_case,
    deliver_all,
    email_of,
    invitation_of,
)

OFFICER = "cli:privacy"


@pytest.fixture
def deps(db: Engine, clock: FixedClock) -> Deps:
    made = make_deps(db, clock)
    with made.sessions() as session:
        team = session.exec(select(Team).where(Team.name == TEAM)).one()
        team.channel_id = "C0ZUILEN"  # a remark in the survey is shared with the team
        session.add(team)
        session.commit()
    return made


def _payload(deps: Deps, key: str) -> tuple[str, str]:
    with deps.sessions() as session:
        row = session.exec(select(Outbox).where(Outbox.key == key)).one()
    return row.status, row.payload


# --- a client's case -------------------------------------------------------------------------


def test_erasing_a_case_removes_its_events_feedback_contact_and_messages(
    deps: Deps, clock: FixedClock
) -> None:
    with deps.sessions() as session:
        erased = closed_case(session, "4711", clock.now(), registered_by=ASKER)
        kept = closed_case(session, "4712", clock.now(), registered_by=ASKER)
        clock.advance(POLICY.delay)
        answer_survey(session, erased, clock.now())
        answer_survey(session, kept, clock.now())
    mail_key = f"ervaringwijzer:{erased}:uitnodiging"
    status, payload = _payload(deps, mail_key)
    assert status == "pending" and email_of("4711") in payload  # the mail waits with the address

    with deps.sessions() as session:
        erasure = erase_case(session, " 4711 ", actor_id=OFFICER, now=clock.now())
        session.commit()
    assert erasure.subject == "case:4711"
    assert erasure.counts == {
        "outbox": 3,  # the mail, the remark shared with the team, the registration card
        "feedbackresponse": 1,
        "feedbackinvitation": 1,
        "kpicasefact": 2,  # the KPI facts the two events made (models/kpi_tables.py)
        "caseevent": 2,
    }
    with deps.sessions() as session:
        assert invitation_of(session, "4711") is None
        assert {e.case_ref for e in session.exec(select(CaseEvent)).all()} == {"4712"}
        assert len(session.exec(select(FeedbackResponse)).all()) == 1  # the other case's
        assert invitation_of(session, "4712") is not None
        rows = session.exec(select(Outbox)).all()
    status, payload = _payload(deps, mail_key)
    assert status == "dead" and payload.startswith(MARKER_PREFIX)  # never sent now
    assert not any("4711" in row.payload or email_of("4711") in row.payload for row in rows)
    assert any("4712" in row.payload for row in rows)  # the other case is untouched

    with deps.sessions() as session:
        again = erase_case(session, "4711", actor_id=OFFICER, now=clock.now())
        session.commit()
        entries = query(session, action=ERASE_CASE)
    assert again.total == 0
    assert [(e.actor_id, e.subject) for e in entries] == [(OFFICER, "case:4711")] * 2
    assert json.loads(entries[0].detail) == {**erasure.counts, "total": 9}
    assert json.loads(entries[1].detail) == {"total": 0}
    assert all("4711" not in e.detail for e in entries)


def test_an_empty_case_number_is_refused(deps: Deps, clock: FixedClock) -> None:
    with deps.sessions() as session:
        with pytest.raises(ErasureRefused, match=Why.ERASE_NEEDS_CASE):
            erase_case(session, "  ", actor_id=OFFICER, now=clock.now())
        assert query(session) == []


# --- a colleague -------------------------------------------------------------------------------


def test_erasing_an_expert_pseudonymises_their_work_and_removes_their_profile(
    deps: Deps, clock: FixedClock
) -> None:
    story = answered_question(deps)
    expert = story.expert_id
    with deps.sessions() as session:
        assert _ranked(deps, session)[0] == expert
        session.add(
            CaseEvent(  # a registration they made
                case_ref="4711",
                team=TEAM,
                kind="aanmelding",
                occurred_at=clock.now(),
                registered_by=expert,
                registered_at=clock.now(),
                idempotency_key="erasure-test",
            )
        )
        member = session.get(Member, expert)
        assert member is not None
        member.is_coordinator, member.languages = True, ("arabisch",)
        member.away_until = clock.now() + timedelta(days=3)
        session.add(member)
        session.commit()
        name, team = member.display_name, member.team
        assert session.exec(select(ExpertiseEvidence)).all()  # the 5 taught their profile
    with deps.sessions() as session:
        deliver_all(session, clock.now())  # what was said so far is delivered
        waiting = enqueue(  # and a message to them waits
            session,
            key="notice:test",
            message=Notice(to=Address.member(expert), text="Je profiel is bijgewerkt."),
            now=clock.now(),
        )
        session.commit()
    with deps.sessions() as session:
        erasure = erase_member(session, expert, actor_id=OFFICER, now=clock.now())
        session.commit()
    counts = erasure.counts
    assert counts["answer.member_id"] == 1 and counts["rating.member_id"] == 1
    assert counts["question.taken_by"] == 1 and counts["invitation.member_id"] == 1
    assert counts["suggestionfeedback.member_id"] == 1 and counts["caseevent.registered_by"] == 1
    assert counts["expertiseprofile"] == 1 and counts["expertiseevidence"] == 1
    assert counts["question.asker_id"] == 0  # they did not ask
    assert {k: counts[k] for k in counts if k.startswith("member.")} == {
        "member.is_active": 1,
        "member.is_coordinator": 1,
        "member.chat_user_id": 1,
        "member.languages": 1,
        "member.away_until": 1,
    }
    assert counts["outbox"] > 0

    with deps.sessions() as session:
        member = session.get(Member, expert)
        assert member is not None and member.display_name == name  # the directory entry stays
        assert (member.is_active, member.is_coordinator, member.chat_user_id) == (
            False,
            False,
            None,
        )
        assert (member.languages, member.away_until) == ((), None)
        assert session.get(ExpertiseProfile, expert) is None
        assert session.exec(select(ExpertiseEvidence)).all() == []
        (pseudonym_id,) = set(answer_authors(session))
        pseudonym = session.get(Member, pseudonym_id)
        assert pseudonym is not None and pseudonym.is_pseudonym and not pseudonym.is_active
        assert (pseudonym.display_name, pseudonym.team) == (PSEUDONYM_NAME, team)
        assert expert not in pseudonym_id and pseudonym.chat_user_id is None
        for model, column in (
            (Question, "taken_by"),
            (Invitation, "member_id"),
            (Rating, "member_id"),
            (SuggestionFeedback, "member_id"),
            (CaseEvent, "registered_by"),
        ):
            table = model.__table__  # type: ignore[union-attr]
            left = session.execute(sa.select(sa.func.count()).where(table.c[column] == expert))
            assert left.scalar_one() == 0, (model, column)
        questions = session.exec(select(Question)).all()
        assert {q.asker_id for q in questions} == {ASKER}  # the asker is not touched
        rows = session.exec(select(Outbox)).all()
    status, payload = _payload(deps, waiting.key)
    assert status == "dead" and payload.startswith(MARKER_PREFIX)  # it waited for them
    delivered = [r for r in rows if r.status == "sent"]
    assert delivered and not any(name in r.payload for r in delivered)
    assert not any(f'"{expert}"' in r.payload or f'"U{expert.upper()}"' in r.payload for r in rows)

    with deps.sessions() as session:
        again = erase_member(session, expert, actor_id=OFFICER, now=clock.now())
        session.commit()
        pseudonyms = session.exec(select(Member).where(Member.is_pseudonym == True)).all()  # noqa: E712
        entries = query(session, action=ERASE_MEMBER)
    assert again.total == 0 and len(pseudonyms) == 1  # nothing moved, no second pseudonym
    assert [e.subject for e in entries] == [f"member:{expert}"] * 2
    assert json.loads(entries[1].detail) == {"total": 0}
    assert all(pseudonym_id not in e.detail and name not in e.detail for e in entries)

    with deps.sessions() as session:  # an erased colleague is never invited again
        assert expert not in _ranked(deps, session, 90)


def _ranked(deps: Deps, session: Session, limit: int = 3) -> list[str]:
    picks = deps.finder.find(
        session, QUESTION, ["geld"], exclude={ASKER}, limit=limit, now=deps.clock.now()
    )
    return [pick.member_id for pick in picks]


def test_erasing_an_asker_keeps_the_team_figures(deps: Deps, clock: FixedClock) -> None:
    story = answered_question(deps)
    with deps.sessions() as session:
        asker = session.get(Member, ASKER)
        assert asker is not None
        team = asker.team
        erasure = erase_member(session, ASKER, actor_id=OFFICER, now=clock.now())
        session.commit()
        question = session.get(Question, story.question_id)
        assert question is not None and question.asker_id != ASKER
        pseudonym = session.get(Member, question.asker_id)
    assert erasure.counts["question.asker_id"] == 1
    assert pseudonym is not None and pseudonym.team == team  # the figures count the same team


def test_an_unknown_colleague_or_a_pseudonym_is_refused(deps: Deps, clock: FixedClock) -> None:
    answered_question(deps)
    with deps.sessions() as session:
        with pytest.raises(ErasureRefused, match=Why.ERASE_UNKNOWN_MEMBER):
            erase_member(session, "m999", actor_id=OFFICER, now=clock.now())
        erase_member(session, ASKER, actor_id=OFFICER, now=clock.now())
        session.commit()
        pseudonym = session.exec(select(Member).where(Member.is_pseudonym == True)).one()  # noqa: E712
        with pytest.raises(ErasureRefused, match=Why.ERASE_ALREADY_PSEUDONYM):
            erase_member(session, pseudonym.id, actor_id=OFFICER, now=clock.now())
        assert [e.subject for e in query(session)] == [f"member:{ASKER}"]


def test_feedback_of_an_erased_case_is_not_counted_twice_by_a_second_erasure(
    deps: Deps, clock: FixedClock
) -> None:
    """Erasing a case that has only an invitation (no events, not sent yet) is complete too."""
    with deps.sessions() as session:
        invitation_id = closed_case(session, "4713", clock.now(), registered_by=ASKER)
        session.execute(sa.delete(CaseEvent.__table__))  # type: ignore[attr-defined]
        session.commit()
        erasure = erase_case(session, "4713", actor_id=OFFICER, now=clock.now())
        session.commit()
        assert session.get(FeedbackInvitation, invitation_id) is None
    assert erasure.counts == {
        "outbox": 1,  # the registration card; the mail was not due yet
        "feedbackresponse": 0,
        "feedbackinvitation": 1,
        "kpicasefact": 0,
        "caseevent": 0,
    }
