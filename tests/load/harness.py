"""The load and fault harness of issue 14: nothing acknowledged is lost, nothing is done twice.

    .venv/bin/python -m tests.load.harness            # the full run, prints figures
    .venv/bin/python -m tests.load.harness --short    # what tests/load/test_faults.py runs

Two real `vraagbaak serve --http` processes on one PostgreSQL database (a fresh schema in
VRAAGBAAK_TEST_POSTGRES_URL's database: use one of your own), behind a round-robin balancer,
against a fake Slack Web API that answers 10% of posts with 429 and 5% with 500. A burst of
signed question events, clicks and slash commands is sent the way Slack sends them
(tests/load/traffic.py); one process is killed with SIGKILL a third of the way in and restarted,
the other is stopped with SIGTERM two thirds in and restarted. When the inbox and the outbox are
empty, the checks (tests/load/checks.py): every acknowledged request was handled exactly once,
every outgoing message was sent exactly once, nothing is left waiting or given up.

The full run first measures how many requests per second one process acknowledges into the
inbox (events of a type nobody listens to: stored, acked, dropped by a worker).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from tests.load.checks import Outcome, drained, outcome
from tests.load.servers import FlakySlackApi, Instance, fresh_database
from tests.load.traffic import Balancer, Sent, click, command, question_event, send
from tests.slack_requests import JSON, event_body

ASKERS = ("m005", "m001", "m010", "m020", "m030")
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/vraagbaak_load"


@dataclass(frozen=True)
class Plan:
    events: int
    clicks: int
    commands: int
    per_second: float  # all kinds together
    ack_timeout: float  # Slack's three seconds; the short run allows more (a busy CI box)
    ingest: int = 0  # events for the acks/s measurement (0: none)


SHORT = Plan(events=24, clicks=8, commands=6, per_second=8.0, ack_timeout=10.0)
FULL = Plan(events=300, clicks=40, commands=20, per_second=18.0, ack_timeout=3.0, ingest=2000)


def requests_of(plan: Plan, response_url: str) -> list[Sent]:
    """Questions, clicks and commands interleaved evenly."""
    events = [question_event(n, ASKERS[n % len(ASKERS)]) for n in range(plan.events)]
    clicks = [click(n, ASKERS[n % len(ASKERS)], response_url) for n in range(plan.clicks)]
    commands = [command(n, ASKERS[n % len(ASKERS)], response_url) for n in range(plan.commands)]
    total = len(events) + len(clicks) + len(commands)
    slots: list[tuple[float, int, Sent]] = []
    for rank, group in enumerate((events, clicks, commands)):
        slots += [((i + 0.5) / len(group), rank, r) for i, r in enumerate(group)]
    ordered = [r for _, _, r in sorted(slots, key=lambda s: (s[0], s[1]))]
    assert len(ordered) == total
    return ordered


def ingest_rate(instance: Instance, count: int) -> float:
    """Acknowledged requests per second into one process's inbox, 32 connections at once."""
    bodies = [
        event_body(
            {"type": "reaction_added", "user": "U0X", "reaction": "+1", "event_ts": "1.0"},
            event_id=f"EvINGEST{n:06d}",
        )
        for n in range(count)
    ]
    balancer = Balancer([instance])
    limits = httpx.Limits(max_connections=32)
    with httpx.Client(limits=limits) as client, ThreadPoolExecutor(32) as pool:
        started = time.perf_counter()
        sent = [Sent("event", f"ingest{n}", body, JSON) for n, body in enumerate(bodies)]
        list(pool.map(lambda r: send(balancer, r, client, 10.0), sent))
        seconds = time.perf_counter() - started
    return sum(r.acked for r in sent) / seconds


def run(plan: Plan, database_url: str) -> Outcome:
    fresh_database(database_url)
    slack = FlakySlackApi(rate_limited=0.10, failing=0.05)
    with slack:
        first = Instance("a", database_url, slack)
        second = Instance("b", database_url, slack, digest_scheduler="false")
        instances = [first, second]
        try:
            for instance in instances:
                instance.start()
            for instance in instances:
                instance.wait_ready()
            ingest = ingest_rate(first, plan.ingest) if plan.ingest else None
            drained(database_url, seconds=300)  # the burst does not queue behind the ingest
            requests = requests_of(plan, f"{slack.base_url}response_url")
            faults = _burst(plan, Balancer(instances), requests, first, second)
            burst_end = time.monotonic()
            drained(database_url, seconds=300)
            faults["drain_seconds_after_burst"] = time.monotonic() - burst_end
        finally:
            for instance in instances:
                if instance.process is not None and instance.process.poll() is None:
                    instance.terminate()
        return outcome(database_url, slack, requests, faults, ingest)


def _burst(
    plan: Plan, balancer: Balancer, requests: list[Sent], crashed: Instance, stopped: Instance
) -> dict[str, float]:
    """Send `requests` at the plan's rate; crash one instance and stop the other meanwhile."""
    duration = len(requests) / plan.per_second
    faults: dict[str, float] = {}

    def inject() -> None:
        time.sleep(duration / 3)
        faults["sigkill_at"] = time.monotonic()
        crashed.kill()
        crashed.restart()
        time.sleep(max(0.0, duration / 3 - 2))
        faults["sigterm_at"] = time.monotonic()
        faults["sigterm_exit_seconds"] = stopped.terminate()
        stopped.restart()

    injector = threading.Thread(target=inject, name="faults")
    limits = httpx.Limits(max_connections=64)
    with httpx.Client(limits=limits) as client, ThreadPoolExecutor(64) as pool:
        injector.start()
        started = time.monotonic()
        for n, request in enumerate(requests):
            time.sleep(max(0.0, started + n / plan.per_second - time.monotonic()))
            pool.submit(send, balancer, request, client, plan.ack_timeout)
        injector.join()
    return faults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the suite's short run")
    parser.add_argument(
        "--database",
        default=os.environ.get("VRAAGBAAK_LOAD_POSTGRES_URL", DEFAULT_URL),
        help="PostgreSQL URL (its public schema is dropped and recreated)",
    )
    args = parser.parse_args()
    result = run(SHORT if args.short else FULL, args.database)
    print(result.report())
    raise SystemExit(0 if result.ok() else 1)


if __name__ == "__main__":
    main()
