"""Prometheus metrics at /metrics: what an operator watches to know Vraagbaak keeps up.

Two sources:
- this process: Slack requests by kind and status, and how long each took to be answered
  (Slack gives up after three seconds), counted by bot/web/slack_http.py; inbox rows handled
  by kind and outcome, with their processing time (bot/workers/inbox.py);
- the shared database, read at each scrape: inbox rows by status (pending = requests
  acknowledged and not yet handled) and the age of the oldest pending one; outbox rows by
  status (pending = the delivery backlog, sent and dead = deliveries by result), the age of
  the oldest pending row, and questions by status. Every instance reports the same database
  figures; aggregate them with max(), not sum().

Invariants: no label carries a person, a text or an id — only kinds and statuses; a scrape
only reads, and a database that does not answer makes the database gauges absent, never the
scrape fail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.engine import Engine

from bot.workers.voice import VoiceQueueCollector
from models.clock import Clock
from models.inbox import stats as inbox_stats
from models.tables import Outbox, Question

log = logging.getLogger(__name__)

# Slack answers within 3 s or retries: the buckets sit around that line.
ACK_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)


class DatabaseCollector(Collector):
    """Gauges read from the database at scrape time (see the module docstring)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[Metric]:
        outbox_table: sa.Table = Outbox.__table__  # type: ignore[attr-defined]
        question_table: sa.Table = Question.__table__  # type: ignore[attr-defined]
        try:
            with self.engine.connect() as connection:
                outbox = connection.execute(
                    sa.select(
                        outbox_table.c.status,
                        sa.func.count(),
                        sa.func.min(outbox_table.c.created_at),
                    ).group_by(outbox_table.c.status)
                ).all()
                questions = connection.execute(
                    sa.select(question_table.c.status, sa.func.count()).group_by(
                        question_table.c.status
                    )
                ).all()
                inbox = inbox_stats(connection)
        except sa.exc.SQLAlchemyError as error:
            log.warning("metrics: database not readable (%s)", type(error).__name__)
            return
        rows = GaugeMetricFamily(
            "vraagbaak_outbox_messages", "Outgoing messages by status", labels=["status"]
        )
        oldest = GaugeMetricFamily(
            "vraagbaak_outbox_oldest_pending_seconds",
            "Age of the oldest message waiting to be delivered (0 when none waits)",
        )
        age = 0.0
        for status, count, first in outbox:
            rows.add_metric([str(status)], float(count))
            if str(status) == "pending" and first is not None:  # min() keeps the UTC type
                age = max(0.0, (self.clock.now() - first).total_seconds())
        oldest.add_metric([], age)
        by_status = GaugeMetricFamily(
            "vraagbaak_questions", "Questions by status", labels=["status"]
        )
        for status, count in questions:
            by_status.add_metric([str(status)], float(count))
        yield rows
        yield oldest
        yield by_status
        yield from self._inbox(inbox)

    def _inbox(self, inbox: list[tuple[str, int, datetime | None]]) -> Iterator[Metric]:
        rows = GaugeMetricFamily(
            "vraagbaak_inbox_requests", "Stored Slack requests by status", labels=["status"]
        )
        oldest = GaugeMetricFamily(
            "vraagbaak_inbox_oldest_pending_seconds",
            "Age of the oldest acknowledged request not yet handled (0 when none waits)",
        )
        age = 0.0
        for status, count, first in inbox:
            rows.add_metric([status], float(count))
            if status == "pending" and first is not None:
                age = max(0.0, (self.clock.now() - first).total_seconds())
        oldest.add_metric([], age)
        yield rows
        yield oldest


class Metrics:
    """One registry per app (tests build several apps in one process)."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "vraagbaak_slack_requests",
            "Requests from Slack by kind (event, action, command, view, other) and status",
            ["kind", "status"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "vraagbaak_slack_ack_seconds",
            "Time from a Slack request's arrival to its answer",
            ["kind"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.processed = Histogram(
            "vraagbaak_inbox_processing_seconds",
            "Time to handle one stored request, by kind and outcome (done, retry, dead)",
            ["kind", "outcome"],
            buckets=ACK_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(DatabaseCollector(engine, clock))
        self.registry.register(VoiceQueueCollector())  # voice clips waiting in this process

    def observe(self, kind: str, status: int, seconds: float) -> None:
        self.requests.labels(kind=kind, status=str(status)).inc()
        self.ack_seconds.labels(kind=kind).observe(seconds)

    def observe_processing(self, kind: str, outcome: str, seconds: float) -> None:
        self.processed.labels(kind=kind, outcome=outcome).observe(seconds)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)
