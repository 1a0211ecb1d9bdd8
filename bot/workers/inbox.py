"""Working the inbox (models/inbox.py): bulk threads for events, a pool for interactive requests,
and a stop that hands back what it cannot finish.

Two ways in, one way out:
- the transport stores a request and acknowledges it; an event (bulk work: a question costs
  half a second of CPU) is then taken by one of the bulk threads, oldest first;
- a click, command or modal (interactive: Slack waits for its acknowledgement, which may carry
  content) is stored *claimed* and run at once in the interactive pool, which bulk work never
  occupies; the transport waits for its answer up to a deadline (`run_interactive`). The
  handler gives the answer as soon as it has one (`early`: a listener's ack, from cheap work),
  and goes on with the rest of the work in the same thread; the row is done when all is;
- every row that is pending and free (an event, or an interactive row whose process crashed or
  whose try failed) is taken by a bulk thread; the acknowledgement of such a late run is
  discarded, its effects are what counts;
- interactive first: threads of one process share one interpreter lock, so while an
  interactive request runs, the bulk threads take no new row (up to `yield_seconds`; the row
  in hand is finished).

A renewal thread extends the claims of the rows in hand every third of the lease, so only a
process that died (or hangs) loses its rows to another.

`stop(timeout)` stops taking rows, waits up to `timeout` for the rows in hand, then releases
every claim this instance still holds, so another instance (or the next start) takes them at
once instead of after the lease. A row that was released while its thread still ran may run
twice; the request's effects are keyed by the request, so it writes nothing twice.

Invariants: a handler's exception never stops a thread; a row is tried at most `max_attempts`
times (a row that keeps killing its process counts too: the try is counted when it is
claimed) and is then dead, its body emptied; nothing here logs a body.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine

from models.clock import Clock, SystemClock
from models.inbox import (
    Claimed,
    claim,
    describe,
    finish,
    give_up,
    record,
    release,
    renew,
    retry_later,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
Observer = Callable[[str, str, float], None]  # (kind, outcome, seconds)


def instance_name() -> str:
    """Who holds a claim: host, process and a random part (a restarted pid is someone new)."""
    return f"{socket.gethostname()}:{os.getpid()}:{os.urandom(3).hex()}"


class InboxWorkers(Generic[T]):
    """The inbox of one process. `handle(claimed, early)` runs one stored request (raising
    makes it retry) and may pass the transport's answer to `early` before it returns."""

    def __init__(
        self,
        engine: Engine,
        handle: Callable[[Claimed, Callable[[T], None]], T],
        *,
        clock: Clock | None = None,
        bulk_threads: int = 2,
        interactive_threads: int = 4,
        lease: timedelta = timedelta(seconds=60),
        max_attempts: int = 5,
        idle_seconds: float = 1.0,
        observe: Observer | None = None,
    ) -> None:
        self.engine = engine
        self.handle = handle
        self.clock = clock or SystemClock()
        self.instance = instance_name()
        self.bulk_threads = bulk_threads
        self.lease = lease
        self.max_attempts = max_attempts
        self.idle_seconds = idle_seconds
        self.observe = observe
        self.interactive = ThreadPoolExecutor(
            interactive_threads, thread_name_prefix="vraagbaak-interactive"
        )
        self._stopping = threading.Event()
        self._wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._busy = 0
        self._held: set[int] = set()
        self._interactive_busy = 0
        self._busy_lock = threading.Lock()
        self._idle = threading.Condition(self._busy_lock)
        self.yield_seconds = 1.0

    # -- the way in ----------------------------------------------------------------------------
    def store(
        self, *, key: str, kind: str, body: str, content_type: str, claim: bool
    ) -> int | None:
        """Record a request (committed when this returns); its row id, or None for a retry of
        a stored one. With `claim` the row is held by this instance for `run_interactive`."""
        with self.engine.begin() as connection:
            row_id = record(
                connection,
                key=key,
                kind=kind,
                body=body,
                content_type=content_type,
                now=self.clock.now(),
                claimed_by=self.instance if claim else None,
                lease=self.lease,
            )
        if row_id is not None and not claim:
            self._wake.set()
        return row_id

    def run_interactive(self, claimed: Claimed) -> Future[T | None]:
        """Run a row stored claimed, in the interactive pool; the future holds the handler's
        answer as soon as it gives one (else its result), or None when it failed (the row
        then waits for a retry by a bulk thread)."""
        answer: Future[T | None] = Future()
        with self._busy_lock:
            self._interactive_busy += 1
        try:
            run = self.interactive.submit(self._run, claimed, answer)
        except RuntimeError:  # the pool is shut down: stopping; the claim is handed back
            self._interactive_done(None)
            answer.set_result(None)
            return answer
        run.add_done_callback(self._interactive_done)
        return answer

    def _interactive_done(self, _: object) -> None:
        with self._busy_lock:
            self._interactive_busy -= 1
            self._idle.notify_all()

    def _after_interactive(self) -> None:
        """Wait (a bounded while) until no interactive request runs in this process."""
        deadline = time.monotonic() + self.yield_seconds
        with self._busy_lock:
            while self._interactive_busy and time.monotonic() < deadline:
                self._idle.wait(max(0.0, deadline - time.monotonic()))

    @property
    def accepting(self) -> bool:
        return not self._stopping.is_set()

    # -- the bulk threads ----------------------------------------------------------------------
    def start(self) -> None:
        for number in range(self.bulk_threads):
            thread = threading.Thread(
                target=self._loop, name=f"vraagbaak-inbox-{number}", daemon=True
            )
            thread.start()
            self._threads.append(thread)
        renewal = threading.Thread(target=self._renew, name="vraagbaak-inbox-lease", daemon=True)
        renewal.start()

    def _renew(self) -> None:
        while not self._stopping.wait(self.lease.total_seconds() / 3):
            with self._busy_lock:
                held = sorted(self._held)
            try:
                with self.engine.begin() as connection:
                    renew(connection, self.instance, held, self.clock.now() + self.lease)
            except Exception as error:
                log.warning("inbox: claims not renewed (%s)", type(error).__name__)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._after_interactive()
            try:
                claimed = self._claim()
            except Exception as error:  # the database is away: wait, never stop the thread
                log.warning("inbox: no row claimed (%s); trying again", type(error).__name__)
                self._stopping.wait(self.idle_seconds)
                continue
            if claimed is None:
                self._wake.wait(self.idle_seconds)
                self._wake.clear()
                continue
            self._run(claimed)

    def _claim(self) -> Claimed | None:
        with self.engine.begin() as connection:
            return claim(connection, worker=self.instance, now=self.clock.now(), lease=self.lease)

    def _run(self, claimed: Claimed, answer: Future[T | None] | None = None) -> T | None:
        result: T | None = None
        try:
            result = self._handled(claimed, answer)
        finally:
            if answer is not None and not answer.done():
                answer.set_result(result)
        return result

    def _handled(self, claimed: Claimed, answer: Future[T | None] | None) -> T | None:
        def early(value: T) -> None:
            if answer is not None and not answer.done():
                answer.set_result(value)

        with self._busy_lock:
            self._busy += 1
            self._held.add(claimed.id)
        started = time.perf_counter()
        outcome = "done"
        try:
            if claimed.attempts > self.max_attempts:
                outcome = "dead"
                self._fail(claimed, RuntimeError("too many attempts"), final=True)
                return None
            try:
                result = self.handle(claimed, early)
            except Exception as error:
                log.exception("inbox row %s (%s) failed", claimed.id, claimed.kind)
                outcome = "retry"
                self._fail(claimed, error, final=claimed.attempts >= self.max_attempts)
                return None
            with self.engine.begin() as connection:
                finish(connection, claimed.id, self.clock.now())
            return result
        except Exception as error:  # the database went away while finishing: the lease retries
            log.warning("inbox row %s not finished (%s)", claimed.id, type(error).__name__)
            outcome = "retry"
            return None
        finally:
            if self.observe is not None:
                self.observe(claimed.kind, outcome, time.perf_counter() - started)
            with self._busy_lock:
                self._busy -= 1
                self._held.discard(claimed.id)
                self._idle.notify_all()

    def _fail(self, claimed: Claimed, error: Exception, *, final: bool) -> None:
        now = self.clock.now()
        with self.engine.begin() as connection:
            if final:
                give_up(connection, claimed.id, now, describe(error))
                log.error("inbox row %s given up after %s tries", claimed.id, claimed.attempts)
            else:
                wait = timedelta(seconds=min(300, 2**claimed.attempts))
                retry_later(connection, claimed.id, now + wait, describe(error))

    # -- the way out ---------------------------------------------------------------------------
    def stop(self, timeout: float) -> int:
        """Take no new rows, wait up to `timeout` seconds for the rows in hand, then hand back
        every claim still held; returns how many were handed back."""
        deadline = time.monotonic() + timeout
        self._stopping.set()
        self._wake.set()
        self.interactive.shutdown(wait=False, cancel_futures=True)
        with self._busy_lock:
            while self._busy and time.monotonic() < deadline:
                self._idle.wait(max(0.0, deadline - time.monotonic()))
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        try:
            with self.engine.begin() as connection:
                released = release(connection, self.instance)
        except Exception as error:
            log.warning("inbox: claims not handed back (%s); leases run out", type(error).__name__)
            return 0
        log.info("inbox stopped; %s request(s) handed back", released)
        return released
