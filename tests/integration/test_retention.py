"""Retention on both stores: each category goes when its period is over, once per day, with
counts (never content) in the log and the audit trail (models/retention.py,
bot/workers/scheduler.py)."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.wiring import Deps
from bot.workers.scheduler import RETENTION_JOB, Scheduler, run_retention_job
from models.audit import ACTOR_SYSTEM, RETENTION, REVEAL, append, query
from models.clock import AMSTERDAM, FixedClock
from models.db import make_engine, session_factory
from models.outbox_redaction import MARKER_PREFIX
from models.retention import RetentionPolicy, due_day, run_daily, sweep
from models.statuses import QuestionStatus
from models.tables import (
    Answer,
    CaseEvent,
    ExpertiseEvidence,
    FeedbackInvitation,
    FeedbackResponse,
    Member,
    Outbox,
    Question,
    RetentionRun,
)
from tests.helpers import ASKER, make_deps
from tests.privacy_data import (
    POLICY as FEEDBACK,
)
from tests.privacy_data import (
    QUESTION,
    answer_survey,
    answered_question,
    closed_case,
    deliver_all,
)

T0 = datetime(2024, 1, 9, 10, 0, tzinfo=AMSTERDAM)  # a Tuesday, working hours
SHORT = RetentionPolicy(
    questions=timedelta(days=10),
    outbox_payloads=timedelta(days=2),
    feedback=timedelta(days=20),
    audit=timedelta(days=30),
    case_events=timedelta(days=40),
)
NOTHING = dict.fromkeys(
    (
        "expertiseevidence",
        "rating",
        "answer",
        "invitation",
        "suggestionfeedback",
        "question",
        "outbox",
        "inbox",
        "feedbackresponse",
        "feedbackinvitation",
        "auditlog",
        "caseevent",
    ),
    0,
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def deps(db: Engine, clock: FixedClock) -> Deps:
    return make_deps(db, clock)


def _sweep(deps: Deps, at: datetime) -> dict[str, int]:
    """Sweep at `at`, then once more: a second sweep at the same moment removes nothing."""
    with deps.sessions() as session:
        counts = sweep(session, at, SHORT)
        session.commit()
        assert sweep(session, at, SHORT) == NOTHING
        session.commit()
    return counts


def _removed(counts: dict[str, int]) -> dict[str, int]:
    return {key: n for key, n in counts.items() if n}


def test_each_category_goes_when_its_own_period_is_over(deps: Deps, clock: FixedClock) -> None:
    story = answered_question(deps)
    with deps.sessions() as session:
        deliver_all(session, T0)
        delivered = len(session.exec(select(Outbox).where(Outbox.status == "sent")).all())
        answered_case = closed_case(session, "4711", T0, registered_by=ASKER)
        closed_case(session, "4712", T0, registered_by=ASKER)
        append(session, actor_id="m001", action=REVEAL, subject="question:1", detail="", now=T0)
        session.commit()
        clock.advance(FEEDBACK.delay)
        answer_survey(session, answered_case, clock.now())  # its mail waits: no SMTP here
    with deps.sessions() as session:  # case 4712 goes on: an event 35 days later
        late = CaseEvent(
            case_ref="4712",
            team="Zuilen",
            kind="kennismaking",
            occurred_at=T0 + timedelta(days=35),
            registered_by=ASKER,
            registered_at=T0 + timedelta(days=35),
            idempotency_key="late",
        )
        session.add(late)
        session.commit()

    assert _sweep(deps, T0 + timedelta(days=1)) == NOTHING
    assert _removed(_sweep(deps, T0 + timedelta(days=3))) == {"outbox": delivered}
    with deps.sessions() as session:
        rows = session.exec(select(Outbox)).all()
    assert all(r.payload.startswith(MARKER_PREFIX) for r in rows if r.status == "sent")
    assert all(not r.payload.startswith(MARKER_PREFIX) for r in rows if r.status == "pending")

    assert _removed(_sweep(deps, T0 + timedelta(days=11))) == {
        "expertiseevidence": 1,
        "rating": 1,
        "answer": 1,
        "invitation": 3,
        "suggestionfeedback": 1,
        "question": 1,
    }
    with deps.sessions() as session:
        assert session.get(Question, story.question_id) is None
        assert session.exec(select(Answer)).all() == []
        assert session.exec(select(ExpertiseEvidence)).all() == []
        assert session.get(Member, story.expert_id) is not None  # people are not retention's

    assert _removed(_sweep(deps, T0 + timedelta(days=21))) == {
        "feedbackresponse": 1,
        "feedbackinvitation": 2,
    }
    assert _removed(_sweep(deps, T0 + timedelta(days=31))) == {"auditlog": 1}
    assert _removed(_sweep(deps, T0 + timedelta(days=41))) == {"caseevent": 2}  # 4711 only
    with deps.sessions() as session:
        assert {e.case_ref for e in session.exec(select(CaseEvent)).all()} == {"4712"}
    assert _removed(_sweep(deps, T0 + timedelta(days=76))) == {"caseevent": 3}  # whole case
    with deps.sessions() as session:
        assert session.exec(select(FeedbackInvitation)).all() == []
        assert session.exec(select(FeedbackResponse)).all() == []


def test_the_daily_run_sweeps_once_a_day_and_audits_counts(deps: Deps, clock: FixedClock) -> None:
    answered_question(deps)
    at = time(3, 30)
    day = T0 + timedelta(days=11)
    early = day.replace(hour=2)  # before 03:30 the day's run is yesterday's
    assert due_day(early, at) == (day - timedelta(days=1)).date()
    assert due_day(day.replace(hour=4), at) == day.date()
    with deps.sessions() as session:
        first = run_daily(session, now=early, at=at, policy=SHORT, claimer="one")
        session.commit()
        again = run_daily(
            session, now=early + timedelta(hours=1), at=at, policy=SHORT, claimer="two"
        )
        session.commit()
        next_day = run_daily(session, now=day.replace(hour=4), at=at, policy=SHORT, claimer="two")
        session.commit()
        runs = session.exec(select(RetentionRun).order_by(col(RetentionRun.run_key))).all()
        (entry,) = query(session, action=RETENTION)
    assert first is not None and first["question"] == 1 and again is None
    assert next_day == NOTHING  # ran, found nothing, and wrote no audit entry
    assert [(r.run_key, r.claimed_by) for r in runs] == [
        ((day - timedelta(days=1)).date().isoformat(), "one"),
        (day.date().isoformat(), "two"),
    ]
    assert json.loads(runs[0].counts) == first
    assert (entry.actor_id, entry.subject) == (ACTOR_SYSTEM, f"retention:{runs[0].run_key}")
    assert json.loads(entry.detail) == _removed(first) | {"total": sum(first.values())}
    assert QUESTION not in entry.detail and QUESTION not in runs[0].counts


def test_two_instances_sweep_once(db: Engine, deps: Deps, clock: FixedClock) -> None:
    answered_question(deps)
    other = make_engine(db.url.render_as_string(hide_password=False))
    factories = [deps.sessions, session_factory(other)]
    results: list[dict[str, int] | None] = []
    start = threading.Barrier(2)

    def instance(index: int) -> None:
        with factories[index]() as session:
            start.wait()
            now = T0 + timedelta(days=11)
            results.append(
                run_daily(session, now=now, at=time(3, 30), policy=SHORT, claimer=str(index))
            )
            session.commit()

    threads = [threading.Thread(target=instance, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    other.dispose()
    assert len(results) == 2 and results.count(None) == 1
    with deps.sessions() as session:
        assert len(session.exec(select(RetentionRun)).all()) == 1
        assert len(query(session, action=RETENTION)) == 1


# --- the job in the scheduler ------------------------------------------------------------------


@pytest.fixture
def schedulers() -> Iterator[list[Scheduler]]:
    started: list[Scheduler] = []
    yield started
    for scheduler in started:
        scheduler.shutdown()


def test_the_scheduler_runs_the_sweep_daily_and_catches_up_after_downtime(
    db: Engine, clock: FixedClock, schedulers: list[Scheduler], caplog: pytest.LogCaptureFixture
) -> None:
    deps = make_deps(db, clock, retention_questions_days=10)
    answered_question(deps)
    clock.advance(timedelta(days=11))  # down over the night the question expired
    caplog.set_level(logging.INFO, logger="bot.workers.scheduler")
    first = Scheduler(deps, claimer="first")
    schedulers.append(first)
    first.start()
    assert first.caught_up.wait(30)
    job = first.aps.get_job(RETENTION_JOB, jobstore="memory")
    assert job is not None and str(job.trigger) == "cron[hour='3', minute='30']"
    assert str(job.trigger.timezone) == "Europe/Amsterdam"
    with deps.sessions() as session:
        assert session.exec(select(Question)).all() == []
    (line,) = [r.getMessage() for r in caplog.records if "retention" in r.getMessage()]
    assert "question=1" in line and "answer=1" in line
    assert QUESTION not in caplog.text and "kantonrechter" not in caplog.text
    first.shutdown()

    second = Scheduler(deps, claimer="second")  # a restart the same day sweeps nothing
    schedulers.append(second)
    second.start()
    assert second.caught_up.wait(30)
    assert run_retention_job(deps, clock.now()) is None
    with deps.sessions() as session:
        (run,) = session.exec(select(RetentionRun)).all()
    assert run.claimed_by == "first"


def test_an_unsent_concept_goes_after_its_own_shorter_period(deps: Deps) -> None:
    """A draft nobody but its asker saw goes after `concepts`; a sent question of the same age
    stays for the questions' period."""
    policy = RetentionPolicy(questions=timedelta(days=30), concepts=timedelta(days=3))
    with deps.sessions() as session:
        for key, status in (("draft", QuestionStatus.CONCEPT), ("sent", QuestionStatus.OPEN)):
            session.add(
                Question(
                    source_key=key,
                    asker_id=ASKER,
                    text=QUESTION,
                    reply_channel="D1",
                    reply_thread=key,
                    created_at=T0,
                    status=status,
                )
            )
        session.commit()
        assert _removed(sweep(session, T0 + timedelta(days=2), policy)) == {}
        assert _removed(sweep(session, T0 + timedelta(days=4), policy)) == {"question": 1}
        session.commit()
        left = session.exec(select(Question)).all()
    assert [(q.source_key, q.status) for q in left] == [("sent", "open")]
