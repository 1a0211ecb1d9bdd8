"""The digest scheduler over the app's database: persistent jobs, restarts, two schedulers.

The clock is a FixedClock; APScheduler's own timer runs on wall time, so the one test that
lets APScheduler fire moves the stored run time into the (wall-clock) past and waits briefly.
"""

from __future__ import annotations

import dataclasses
import threading
import time as wall
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.wiring import Deps
from bot.workers.scheduler import Scheduler, run_digest_job, start_scheduler
from models.clock import AMSTERDAM, FixedClock
from models.db import make_engine, session_factory
from models.tables import DigestRun, DigestSchedule, Outbox, Team
from tests.helpers import make_deps

SUNDAY = datetime(2026, 11, 29, 12, 0, tzinfo=AMSTERDAM)  # 6 days after the last Monday
MONDAY_0830 = datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)
JOB = "digest:Lunetten"


@pytest.fixture
def deps(db: Engine) -> Deps:
    made = make_deps(db, FixedClock(SUNDAY))
    with made.sessions() as session:
        team = session.exec(select(Team).where(Team.name == "Lunetten")).one()
        team.channel_id = "C0LUNETTEN"
        session.add(team)
        session.commit()
    return made


@pytest.fixture
def schedulers() -> Iterator[list[Scheduler]]:
    started: list[Scheduler] = []
    yield started
    for scheduler in started:
        scheduler.shutdown()


def _start(deps: Deps, started: list[Scheduler], claimer: str | None = None) -> Scheduler:
    scheduler = Scheduler(deps, claimer=claimer) if claimer else start_scheduler(deps)
    if claimer:
        scheduler.start()
    started.append(scheduler)
    assert scheduler.caught_up.wait(30)
    return scheduler


def _sent(deps: Deps) -> list[tuple[str, str]]:
    with deps.sessions() as session:
        rows = session.exec(select(Outbox.key, Outbox.template).order_by(Outbox.key)).all()
    return [(key, template) for key, template in rows]


def _clock(deps: Deps) -> FixedClock:
    assert isinstance(deps.clock, FixedClock)
    return deps.clock


def test_each_team_with_a_channel_gets_a_weekly_cron_job(
    deps: Deps, schedulers: list[Scheduler]
) -> None:
    scheduler = _start(deps, schedulers)
    jobs = {job.id: job for job in scheduler.aps.get_jobs(jobstore="default")}
    assert list(jobs) == [JOB]  # Zuilen and the others have no channel yet
    assert str(jobs[JOB].trigger) == "cron[day_of_week='0', hour='8', minute='30']"
    assert str(jobs[JOB].trigger.timezone) == "Europe/Amsterdam"
    assert (jobs[JOB].coalesce, jobs[JOB].misfire_grace_time) == (True, 48 * 3600)
    assert _sent(deps) == []  # Sunday: last Monday's digest is outside the catch-up window


def test_a_digest_missed_during_downtime_is_sent_once_after_restart(
    deps: Deps, schedulers: list[Scheduler]
) -> None:
    first = _start(deps, schedulers)
    stored = first.aps.get_job(JOB).next_run_time
    first.shutdown()
    _clock(deps).set(MONDAY_0830 + timedelta(hours=2, minutes=5))  # down over Monday 08:30

    second = _start(deps, schedulers)
    assert second.aps.get_job(JOB).next_run_time == stored  # the stored job, not a new one
    assert _sent(deps) == [("digest:Lunetten:2026-W48", "digest.team")]
    second.shutdown()

    _clock(deps).advance(timedelta(hours=1))
    _start(deps, schedulers)  # restarting again sends nothing new
    assert _sent(deps) == [("digest:Lunetten:2026-W48", "digest.team")]
    with deps.sessions() as session:
        run = session.exec(select(DigestRun)).one()
    assert (run.period_key, run.claimed_by) == ("2026-W48", second.claimer)
    assert run.computed_at == MONDAY_0830 + timedelta(hours=2, minutes=5)


def test_two_schedulers_over_one_database_send_once(
    db: Engine, deps: Deps, schedulers: list[Scheduler]
) -> None:
    """Two "processes" (separate engines) start at the same time, both catching up."""
    second_engine = make_engine(db.url.render_as_string(hide_password=False))
    other = dataclasses.replace(deps, engine=second_engine, sessions=session_factory(second_engine))
    _clock(deps).set(MONDAY_0830 + timedelta(minutes=1))
    one, two = Scheduler(deps, claimer="one"), Scheduler(other, claimer="two")
    schedulers += [one, two]
    for scheduler in (one, two):
        threading.Thread(target=scheduler.start).start()
    assert one.caught_up.wait(30) and two.caught_up.wait(30)
    assert _sent(deps) == [("digest:Lunetten:2026-W48", "digest.team")]
    one.shutdown()
    two.shutdown()
    second_engine.dispose()


def test_apscheduler_firing_the_stored_job_claims_the_digest_once(
    deps: Deps, schedulers: list[Scheduler]
) -> None:
    one, two = _start(deps, schedulers, "one"), _start(deps, schedulers, "two")
    assert _sent(deps) == []
    _clock(deps).set(MONDAY_0830)
    # make the stored job due by wall time; both schedulers see it in the shared job store
    one.aps.modify_job(
        JOB, jobstore="default", next_run_time=datetime.now(UTC) - timedelta(seconds=1)
    )
    one.aps.wakeup()
    two.aps.wakeup()
    deadline = wall.monotonic() + 10
    while not _sent(deps) and wall.monotonic() < deadline:
        wall.sleep(0.05)
    wall.sleep(0.3)  # a tiny grace for a second, wrong, send to show up
    assert _sent(deps) == [("digest:Lunetten:2026-W48", "digest.team")]
    assert one.aps.get_job(JOB).next_run_time > datetime.now(UTC)  # rescheduled, not removed


def test_calling_the_job_twice_at_once_sends_once(deps: Deps) -> None:
    now = MONDAY_0830 + timedelta(minutes=2)
    start, results = threading.Barrier(2), []

    def run(claimer: str) -> None:
        start.wait()
        results.append(run_digest_job(deps, "Lunetten", now, claimer=claimer))

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results) == [False, True]
    assert run_digest_job(deps, "Lunetten", now + timedelta(days=1)) is False  # same period


def test_a_changed_schedule_moves_the_job_and_the_due_period(
    deps: Deps, schedulers: list[Scheduler]
) -> None:
    scheduler = _start(deps, schedulers)
    with deps.sessions() as session:
        session.add(DigestSchedule(team="Lunetten", weekday=1, time="09:00", updated_at=SUNDAY))
        session.commit()
    scheduler.sync()
    job = scheduler.aps.get_job(JOB)
    assert str(job.trigger) == "cron[day_of_week='1', hour='9', minute='0']"
    # Monday 10:00: under the Tuesday schedule nothing new is due (last Tuesday is too old)
    assert not run_digest_job(deps, "Lunetten", MONDAY_0830 + timedelta(hours=1, minutes=30))
    assert run_digest_job(deps, "Lunetten", datetime(2026, 12, 1, 9, 0, tzinfo=AMSTERDAM))
    assert _sent(deps) == [("digest:Lunetten:2026-W48", "digest.team")]


def test_a_team_that_loses_its_channel_loses_its_job(
    deps: Deps, schedulers: list[Scheduler]
) -> None:
    scheduler = _start(deps, schedulers)
    with Session(deps.engine) as session:
        team = session.exec(select(Team).where(Team.name == "Lunetten")).one()
        team.channel_id = None
        session.add(team)
        session.commit()
    scheduler.sync()
    assert scheduler.aps.get_jobs(jobstore="default") == []


def test_shutdown_does_not_wait_longer_than_its_bound_for_a_running_job(deps: Deps) -> None:
    """A job still running when the bound is spent is left behind (it commits under its claim
    or not at all); shutdown returns instead of holding the deploy."""
    import threading

    scheduler = Scheduler(deps)
    scheduler.start()
    running, release = threading.Event(), threading.Event()

    def slow_job() -> None:
        running.set()
        release.wait(30)

    scheduler.aps.add_job(slow_job, id="slow", jobstore="memory")
    assert running.wait(10)
    scheduler.shutdown(timeout=0.2)
    assert not release.is_set() and running.is_set()  # returned while the job still runs
    release.set()
