"""Weekly team digests on APScheduler 3.x, with its jobs stored in the app's database.

One cron job per team with a channel ("digest:<team>", default Monday 08:30 Amsterdam time,
per team `/cijfers instellen`). Exactly once per team and period holds whatever the timers do:
a job only *claims* the digest that was due (casework.digest.claim_digest), so a second
scheduler, a restart or a catch-up finds the claim taken and sends nothing.

After downtime a missed digest is sent once, by two routes that meet at the same claim:
APScheduler runs a job whose stored run time has passed (coalesce, misfire grace = the
catch-up window), and `catch_up` asks, by the injected clock, which digest was last due for
every team. Jobs are only replaced when a team's schedule changed, because replacing one
recomputes its next run time and would forget the missed run.

The job store keeps the function by name and the team as argument; the running Scheduler of
this process (one per process, see ARCHITECTURE "Scaling out") supplies the collaborators.

The daily retention sweep (models/retention.py) runs here too, at `retention_time`: an
in-memory cron job plus the same catch-up at start, meeting at one claim per day (a
RetentionRun row), so several instances or a restart sweep once. Its log line holds counts.
"""

from __future__ import annotations

import itertools
import logging
import os
import socket
import threading
import time
from datetime import datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.wiring import Deps
from casework.digest import DigestError, claim_digest
from casework.digest_schedule import (
    Schedule,
    last_due,
    parse_time,
    period_due,
    schedule_for,
    scheduled_teams,
)
from models.clock import AMSTERDAM
from models.retention import run_daily

log = logging.getLogger(__name__)
JOB_PREFIX = "digest:"
SYNC_JOB = "digest-sync"
RETENTION_JOB = "retention"
_sequence = itertools.count(1)
_current: Scheduler | None = None
_current_lock = threading.Lock()


class _SharedEngineJobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """The engine belongs to the app: stopping the scheduler must not dispose of it."""

    def shutdown(self) -> None:
        pass


def team_schedule(deps: Deps, team: str) -> Schedule:
    settings = deps.settings
    with deps.sessions() as session:
        return schedule_for(
            session,
            team,
            weekday=settings.digest_weekday,
            at=parse_time(settings.digest_time),
            timezone=settings.digest_timezone,
        )


def default_claimer() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def run_digest_job(deps: Deps, team: str, now: datetime, *, claimer: str | None = None) -> bool:
    """Send the team's digest that was due at or before `now`, unless it was sent already or
    is older than the catch-up window; True when this call claimed it. Safe to call any
    number of times from any number of processes."""
    due = last_due(team_schedule(deps, team), now)
    if now - due > timedelta(hours=deps.settings.digest_catch_up_hours):
        log.info("digest of %s due %s is past the catch-up window; skipped", team, due)
        return False
    period = period_due(due)
    try:
        with deps.sessions() as session:
            claimed = claim_digest(session, team, period.label, now, claimer or default_claimer())
            session.commit()
    except DigestError as error:
        log.warning("no digest for %s: %s", team, error)
        return False
    if claimed:
        log.info("digest of %s for %s claimed", team, period.label)
        deps.after_commit()
    return claimed


def fire_digest(team: str) -> None:
    """The stored job's function: run by APScheduler, looked up by name after a restart."""
    scheduler = _current
    if scheduler is None:
        log.warning("digest job for %s fired without a running scheduler", team)
        return
    try:
        run_digest_job(scheduler.deps, team, scheduler.deps.clock.now(), claimer=scheduler.claimer)
    except Exception:
        log.exception("digest job for %s failed; the catch-up or next run retries", team)


def run_retention_job(
    deps: Deps, now: datetime, *, claimer: str | None = None
) -> dict[str, int] | None:
    """The day's retention sweep unless an instance did it already (None). Safe to call any
    number of times from any number of processes; logs counts only, never content."""
    settings = deps.settings
    with deps.sessions() as session:
        counts = run_daily(
            session,
            now=now,
            at=parse_time(settings.retention_time),
            policy=settings.retention_policy(),
            claimer=claimer or default_claimer(),
        )
        session.commit()
    if counts is not None:
        log.info("retention sweep: %s", " ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def fire_retention() -> None:
    """The retention job's function (APScheduler calls it daily)."""
    scheduler = _current
    if scheduler is None:
        log.warning("retention job fired without a running scheduler")
        return
    try:
        run_retention_job(scheduler.deps, scheduler.deps.clock.now(), claimer=scheduler.claimer)
    except Exception:
        log.exception("retention sweep failed; the next start or day retries")


def trigger_for(schedule: Schedule) -> CronTrigger:
    return CronTrigger(
        day_of_week=schedule.weekday,
        hour=schedule.at.hour,
        minute=schedule.at.minute,
        timezone=schedule.zone,
    )


class Scheduler:
    def __init__(self, deps: Deps, *, claimer: str | None = None) -> None:
        self.deps = deps
        self.claimer = claimer or f"{default_claimer()}:{next(_sequence)}"
        grace = deps.settings.digest_catch_up_hours * 3600
        self.aps = BackgroundScheduler(
            jobstores={
                "default": _SharedEngineJobStore(engine=deps.engine),
                "memory": MemoryJobStore(),
            },
            job_defaults={"coalesce": True, "misfire_grace_time": grace, "max_instances": 1},
            timezone=AMSTERDAM,
        )
        self.caught_up = threading.Event()
        self._catch_up_thread: threading.Thread | None = None

    def start(self) -> None:
        global _current
        self.aps.start()
        with _current_lock:
            _current = self
        self.sync()
        # another instance may have handled `/cijfers instellen`: pick changes up every minute
        self.aps.add_job(
            self.sync, "interval", minutes=1, id=SYNC_JOB, jobstore="memory", replace_existing=True
        )
        at = parse_time(self.deps.settings.retention_time)
        self.aps.add_job(
            fire_retention,
            CronTrigger(hour=at.hour, minute=at.minute, timezone=AMSTERDAM),
            id=RETENTION_JOB,
            name="bewaartermijnen",
            jobstore="memory",
            replace_existing=True,
        )
        self._catch_up_thread = threading.Thread(
            target=self._catch_up_in_background, name="vraagbaak-digest-catch-up", daemon=True
        )
        self._catch_up_thread.start()

    def sync(self) -> None:
        """Make the stored jobs match the teams' schedules in the database."""
        with self.deps.sessions() as session:
            wanted = {JOB_PREFIX + team: team for team in scheduled_teams(session)}
        for job in self.aps.get_jobs(jobstore="default"):
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                job.remove()
        for job_id, team in wanted.items():
            trigger = trigger_for(team_schedule(self.deps, team))
            job = self.aps.get_job(job_id, jobstore="default")
            if job is None:
                self.aps.add_job(
                    fire_digest,
                    trigger,
                    id=job_id,
                    name=f"weekoverzicht {team}",
                    kwargs={"team": team},
                    jobstore="default",
                    replace_existing=True,
                )
            elif repr(job.trigger) != repr(trigger):
                self.aps.reschedule_job(job_id, jobstore="default", trigger=trigger)

    def catch_up(self) -> list[str]:
        """Send every digest that is due by the clock and not sent yet; returns the teams."""
        now = self.deps.clock.now()
        with self.deps.sessions() as session:
            teams = scheduled_teams(session)
        sent = []
        for team in teams:
            try:
                if run_digest_job(self.deps, team, now, claimer=self.claimer):
                    sent.append(team)
            except Exception:
                log.exception("catching up the digest of %s failed", team)
        return sent

    def _catch_up_in_background(self) -> None:
        try:
            self.catch_up()
            self.catch_up_retention()
        finally:
            self.caught_up.set()

    def catch_up_retention(self) -> dict[str, int] | None:
        """The sweep that was due last (today's or yesterday's), unless it ran already."""
        try:
            return run_retention_job(self.deps, self.deps.clock.now(), claimer=self.claimer)
        except Exception:
            log.exception("catching up the retention sweep failed")
            return None

    def shutdown(self, timeout: float = 60.0) -> None:
        """Stop taking jobs and give a running one (a digest, the catch-up) up to `timeout`
        seconds in all. A job cut off by the process ending never ran in part: each runs in
        one transaction under its claim, which a later run (here or in another instance) finds
        unclaimed or done."""
        global _current
        deadline = time.monotonic() + timeout
        if self._catch_up_thread is not None:
            self._catch_up_thread.join(timeout=max(0.0, deadline - time.monotonic()))
        if self.aps.running:
            stopper = threading.Thread(
                target=self.aps.shutdown, kwargs={"wait": True}, name="scheduler-stop", daemon=True
            )
            stopper.start()
            stopper.join(timeout=max(0.0, deadline - time.monotonic()))
            if stopper.is_alive():
                log.warning("a scheduled job still ran after %.0f s: left to the next run", timeout)
        with _current_lock:
            if _current is self:
                _current = None


def start_scheduler(deps: Deps) -> Scheduler:
    """Start the digest scheduler of this process (call once, after the app is built)."""
    scheduler = Scheduler(deps)
    scheduler.start()
    return scheduler


def schedules_changed() -> None:
    """A schedule was stored: reschedule now when this process runs the scheduler (others
    pick it up within a minute)."""
    scheduler = _current
    if scheduler is not None:
        scheduler.sync()
