"""Learned expertise on both stores: well-rated answers change who is invited, and fade."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.wiring import Deps
from models.clock import FixedClock
from models.errors import Why
from models.statuses import InvitationState, QuestionStatus
from models.tables import ExpertiseEvidence, ExpertiseProfile, Invitation, Member, Question
from routing.learning import (
    LearningError,
    learn_from_ratings,
    learned_profile,
    record_rating,
    remove_evidence,
    remove_topic,
)
from tests.helpers import ASKER, make_deps

LEARNER = "m047"  # declared: young people without a diploma; nothing about stairlifts
TRAPLIFT = (
    "Welke subsidie is er voor een traplift of woningaanpassing bij een oudere huurder?",
    "Mevrouw kan de trap niet meer op; hoe vraag je een traplift aan via de Wmo?",
    "Mag een huurder zelf een traplift laten plaatsen of moet de corporatie toestemming geven?",
    "Hoe lang duurt de aanvraag van een woningaanpassing zoals een traplift?",
)
NEW_QUESTION = "Meneer heeft een traplift nodig, wie weet hoe dat zit met de aanvraag?"


def answered(session: Session, deps: Deps, text: str, expert: str, grade: int) -> int:
    """A question `expert` answered, closed by the asker with `grade` through the dispatcher."""
    now = deps.clock.now()
    count = len(session.exec(select(Question.id)).all())
    question = Question(
        source_key=f"learn:{count}",
        asker_id=ASKER,
        text=text,
        leefgebieden=("wonen", "lichamelijke_gezondheid"),
        reply_channel="D1",
        reply_thread=str(count),
        status=QuestionStatus.ANSWERED,
        taken_by=expert,
        answered_at=now,
        created_at=now,
    )
    session.add(question)
    session.flush()
    deps.dispatcher.close(session, question.id or 0, ASKER, rating=grade)
    record_rating(session, question.id or 0, now)  # the hook after a rating
    return question.id or 0


def top(deps: Deps, session: Session, n: int = 3, text: str = NEW_QUESTION) -> list[str]:
    picks = deps.finder.find(
        session, text, ["wonen"], exclude={ASKER}, limit=n, now=deps.clock.now()
    )
    return [pick.member_id for pick in picks]


@pytest.fixture
def deps(db: Engine, clock: FixedClock) -> Deps:
    return make_deps(db, clock)


def test_good_answers_route_the_topic_to_the_learner_until_they_fade(
    deps: Deps, clock: FixedClock
) -> None:
    with deps.sessions() as session:
        assert LEARNER not in top(deps, session, 10)
        for text in TRAPLIFT:
            answered(session, deps, text, LEARNER, grade=5)
        session.commit()
        assert LEARNER in top(deps, session)
        clock.advance(timedelta(days=200))  # past one half-life: still evidence
        assert LEARNER in top(deps, session)
        clock.advance(timedelta(days=200))  # past two: it no longer says what they know now
        assert LEARNER not in top(deps, session, 10)


def test_a_mediocre_grade_teaches_nothing(deps: Deps) -> None:
    with deps.sessions() as session:
        for text in TRAPLIFT:
            answered(session, deps, text, LEARNER, grade=3)
        session.commit()
        assert session.exec(select(ExpertiseEvidence)).all() == []
        assert LEARNER not in top(deps, session, 10)


def test_removed_evidence_stops_counting_and_never_comes_back(deps: Deps) -> None:
    with deps.sessions() as session:
        ids = [answered(session, deps, text, LEARNER, grade=5) for text in TRAPLIFT]
        session.commit()
        assert LEARNER in top(deps, session)
        assert remove_topic(session, LEARNER, "traplift", deps.clock.now()) == 4
        session.commit()
        assert LEARNER not in top(deps, session, 10)
        # Replayed ratings and the backfill job find the rows and leave them removed.
        assert [record_rating(session, qid, deps.clock.now()) for qid in ids] == [None] * 4
        assert learn_from_ratings(session, deps.clock.now()) == 0
        session.commit()
        assert learned_profile(session, LEARNER, deps.clock.now()).evidence == ()
        assert LEARNER not in top(deps, session, 10)


def test_the_expert_sees_what_vraagbaak_believes_and_removes_one_item(deps: Deps) -> None:
    with deps.sessions() as session:
        for text in TRAPLIFT:
            answered(session, deps, text, LEARNER, grade=5)
        profile = learned_profile(session, LEARNER, deps.clock.now())
        assert profile.terms[0].label == "traplift"
        assert profile.terms[0].weight == pytest.approx(4.0)
        assert profile.leefgebieden[0].key == "leefgebied:lichamelijke_gezondheid"
        assert [e.weight for e in profile.evidence] == [1.0] * 4
        first = profile.evidence[0]
        with pytest.raises(LearningError, match=Why.LEARNED_TOPIC_UNKNOWN):
            remove_evidence(session, "m001", first.evidence_id, deps.clock.now())
        remove_evidence(session, LEARNER, first.evidence_id, deps.clock.now())
        after = learned_profile(session, LEARNER, deps.clock.now() + timedelta(days=180))
        assert len(after.evidence) == 3
        assert after.terms[0].weight == pytest.approx(1.5, abs=0.01)  # 3 x one half-life
        assert all(e.counts for e in after.evidence)


def test_the_backfill_learns_from_earlier_ratings_once(deps: Deps) -> None:
    with deps.sessions() as session:
        for text in TRAPLIFT[:2]:
            answered(session, deps, text, LEARNER, grade=4)
        session.execute(ExpertiseEvidence.__table__.delete())  # type: ignore[attr-defined]
        assert learn_from_ratings(session, deps.clock.now()) == 2
        assert learn_from_ratings(session, deps.clock.now()) == 0


def test_a_declined_often_expert_is_invited_less(deps: Deps) -> None:
    """Two colleagues with the same profile: the one who keeps declining goes second."""
    with deps.sessions() as session:
        original = session.get(ExpertiseProfile, "m022")
        member = session.get(Member, "m022")
        assert original is not None and member is not None
        session.add(Member(id="m900", display_name="Tweeling", team=member.team, role=member.role))
        session.flush()
        session.add(
            ExpertiseProfile(
                member_id="m900",
                expertise=original.expertise,
                tags=original.tags,
                leefgebieden=original.leefgebieden,
                updated_at=original.updated_at,
            )
        )
        session.commit()
        assert top(deps, session, 2) == ["m022", "m900"]  # a tie: the id decides
        for n in range(4):
            question = Question(
                source_key=f"decline:{n}",
                asker_id=ASKER,
                text="Een vraag over een traplift",
                reply_channel="D1",
                reply_thread=str(n),
                status=QuestionStatus.CLOSED,
                created_at=deps.clock.now() - timedelta(days=n + 1),
            )
            session.add(question)
            session.flush()
            session.add(
                Invitation(
                    question_id=question.id or 0,
                    member_id="m022",
                    wave=1,
                    rank=0,
                    score=0.9,
                    state=InvitationState.DECLINED,
                    created_at=question.created_at,
                    responded_at=question.created_at,
                )
            )
        session.commit()
        assert top(deps, session, 2) == ["m900", "m022"]
