"""The expert directory kept in memory (routing/directory.py), on both stores: a change made
anywhere is seen by the next question, nothing is rebuilt when nothing changed, and the kept
directory ranks exactly as the rebuild-every-question reference does."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.wiring import Deps
from knowledge.embedders import HashingEmbedder
from models.clock import FixedClock
from models.db import make_engine, session_factory
from models.statuses import InvitationState
from models.tables import ExpertiseEvidence, Invitation, Member, Question
from routing.directory_entries import read_versions
from routing.expert_stats import LoadCache, expert_loads
from routing.experts import RankingExpertFinder, load_candidates
from routing.profiles import update_profile
from tests.helpers import ASKER, make_deps

QUESTIONS = (
    "Wie weet iets van schulden en bewindvoering bij een jonge moeder?",
    "Meneer heeft een traplift nodig, wie weet hoe dat zit met de aanvraag?",
    "Een gezin dreigt uit huis gezet te worden wegens huurachterstand.",
    "Mijn cliënt spreekt alleen Arabisch en heeft vragen over de toeslagen.",
)
WATCHED = ("member", "expertiseprofile", "expertiseevidence", "invitation")


@pytest.fixture
def deps(db: Engine, clock: FixedClock) -> Deps:
    return make_deps(db, clock)


class Counted:
    """Entries rebuilt, as the directory reports them (the injected hook)."""

    def __init__(self) -> None:
        self.rebuilt = 0

    def __call__(self, count: int) -> None:
        self.rebuilt += count


def finder(deps: Deps, *, cached: bool = True, hook: Counted | None = None) -> RankingExpertFinder:
    return RankingExpertFinder(
        HashingEmbedder(), deps.sessions, deps.clock, cached=cached, on_rebuild=hook
    )


def picks(
    f: RankingExpertFinder, session: Session, text: str, n: int = 6
) -> list[tuple[str, float]]:
    found = f.find(session, text, [], exclude={ASKER}, limit=n, now=f._clock.now())
    return [(p.member_id, p.score) for p in found]


def same_as_reference(deps: Deps, *finders: RankingExpertFinder) -> None:
    reference = finder(deps, cached=False)
    with deps.sessions() as session:
        for text in QUESTIONS:
            expected = picks(reference, session, text)
            for f in finders:
                assert picks(f, session, text) == expected, text


def test_every_change_moves_a_counter_in_its_own_transaction(deps: Deps) -> None:
    with deps.sessions() as session:
        before = read_versions(session)
        member = session.get(Member, "m040")
        assert member is not None
        member.daily_cap = 2
        session.add(member)
        session.flush()
        moved = read_versions(session)
        assert moved["directory"] > before.get("directory", 0)
        assert moved.get("loads") == before.get("loads")
        session.rollback()
        assert read_versions(session) == before  # rolled back with the change
    with deps.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            sql = "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"
        else:
            sql = "SELECT event_object_table FROM information_schema.triggers"
        watched = {row[0] for row in connection.execute(sa.text(sql))}
    # A migration that recreates one of these tables must create its triggers again.
    assert set(WATCHED) <= watched


def test_changes_are_seen_by_the_next_question_here_and_in_a_second_process(
    deps: Deps, clock: FixedClock
) -> None:
    here = finder(deps)
    url = deps.engine.url.render_as_string(hide_password=False)
    other_engine = make_engine(url)  # a second instance: its own engine and sessions
    try:
        other = RankingExpertFinder(HashingEmbedder(), session_factory(other_engine), clock)
        same_as_reference(deps, here, other)
        now = clock.now()
        with deps.sessions() as session:  # a profile
            update_profile(
                session, "m047", now=now, expertise="Ik ken alles van trapliften en de Wmo."
            )
            session.commit()
        same_as_reference(deps, here, other)
        with deps.sessions() as session:  # availability
            first = picks(here, session, QUESTIONS[0])[0][0]
            update_profile(session, first, now=now, away_until=now + timedelta(days=3))
            session.commit()
            assert first not in [m for m, _ in picks(here, session, QUESTIONS[0])]
        same_as_reference(deps, here, other)
        with deps.sessions() as session:  # evidence
            question = Question(
                source_key="dir:1",
                asker_id=ASKER,
                text="Traplift aanvragen via de Wmo voor een oudere huurder.",
                leefgebieden=("wonen",),
                reply_channel="D1",
                reply_thread="1",
                created_at=now,
            )
            session.add(question)
            session.flush()
            for member_id in ("m010", "m020"):
                session.add(
                    ExpertiseEvidence(
                        member_id=member_id,
                        question_id=question.id or 0,
                        text=question.text,
                        leefgebieden=question.leefgebieden,
                        score=5,
                        weight_at=now,
                        created_at=now,
                    )
                )
            session.commit()
        same_as_reference(deps, here, other)
    finally:
        other_engine.dispose()


def test_nothing_is_rebuilt_when_nothing_changed(deps: Deps, clock: FixedClock) -> None:
    hook = Counted()
    f = finder(deps, hook=hook)
    with deps.sessions() as session:
        picks(f, session, QUESTIONS[0])
        assert hook.rebuilt > 0  # the first question builds the directory
        built, loads = hook.rebuilt, f.directory.loads.recomputed
        for text in QUESTIONS:
            picks(f, session, text)
        assert (hook.rebuilt, f.directory.loads.recomputed) == (built, loads)
        session.add(
            Invitation(
                question_id=_question(session, clock),
                member_id="m010",
                wave=1,
                rank=1,
                score=0.5,
                created_at=clock.now(),
            )
        )
        session.commit()
        picks(f, session, QUESTIONS[0])  # an invitation: the loads, not the directory
        assert (hook.rebuilt, f.directory.loads.recomputed) == (built, loads + 1)
        update_profile(session, "m047", now=clock.now(), expertise="Trapliften en de Wmo.")
        session.commit()
        picks(f, session, QUESTIONS[0])  # one profile: one entry
        assert hook.rebuilt == built + 1


def _question(session: Session, clock: FixedClock, key: str = "dir:q") -> int:
    question = Question(
        source_key=key,
        asker_id=ASKER,
        text="Een vraag.",
        reply_channel="D1",
        reply_thread=key,
        created_at=clock.now(),
    )
    session.add(question)
    session.flush()
    return question.id or 0


STATES = (
    InvitationState.PENDING,
    InvitationState.ACCEPTED,
    InvitationState.DECLINED,
    InvitationState.EXPIRED,
    InvitationState.ACCEPTED,
)


def test_kept_loads_and_documents_match_the_reference_as_time_passes(
    deps: Deps, clock: FixedClock
) -> None:
    """Invitations of every state and age, evidence that fades: at every moment the kept
    directory's documents, loads and picks are the ones a full rebuild gives."""
    f = finder(deps)
    cache = LoadCache()
    start = clock.now()
    with deps.sessions() as session:
        members = ["m010", "m011", "m012", "m020", "m030", "m040", "m047"]
        for q in range(12):
            question_id = _question(session, clock, key=f"dir:{q}")
            for i, member_id in enumerate(members[: 3 + q % 5]):
                state = STATES[(q + i) % len(STATES)]
                created = start - timedelta(days=8 * q, hours=i)
                session.add(
                    Invitation(
                        question_id=question_id,
                        member_id=member_id,
                        wave=1,
                        rank=i + 1,
                        score=0.5,
                        state=state,
                        created_at=created,
                        responded_at=created + timedelta(minutes=17 * (i + q))
                        if state != InvitationState.PENDING
                        else None,
                    )
                )
            session.add(
                ExpertiseEvidence(
                    member_id=members[q % len(members)],
                    question_id=question_id,
                    text=QUESTIONS[q % len(QUESTIONS)],
                    leefgebieden=("wonen", "geld"),
                    score=5,
                    weight_at=start - timedelta(days=30 * q),
                    created_at=start,
                )
            )
        session.commit()
        for step in (0, 1, 40, 3, 200, 100, 400):
            clock.advance(timedelta(days=step, hours=5))
            now = clock.now()
            version = read_versions(session).get("loads", 0)
            cache.current(session, now, version)
            assert cache.loads == expert_loads(session, now)
            picks(f, session, QUESTIONS[1])
            reference = {c.member_id: c for c in load_candidates(session, now)}
            assert f.ranker._candidates.keys() == reference.keys()
            for member_id, candidate in reference.items():
                kept = f.ranker.document(f.ranker._candidates[member_id])
                assert kept == f.ranker.document(candidate), (step, member_id)
            same_as_reference(deps, f)
