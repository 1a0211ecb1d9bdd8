"""What the harness checks after a burst, read from the database and the fake Slack.

- Handled exactly once: every acknowledged request has its inbox row done (not pending, not
  dead), and its effect exists once: the question of an event (Question.source_key
  "slack:<channel>:<ts>") or of a command ("slack:cmd:<trigger id>"), the notice of a click
  (outbox key "notice:action:<user>:<action ts>"). Keys are unique columns, so "once" is
  "exists"; the rows the inbox handled more than once (a crash, a hand-back) are counted.
- Sent exactly once: no outbox row is left pending or dead (no loss), and every message the
  fake Slack posted has its ts recorded by an outbox row (a ts no row knows is a message sent
  twice: a crash between Slack's answer and the commit).
- Acknowledged in time: the share of clicks and commands acknowledged within Slack's three
  seconds, how many commands were answered with their text (not a plain ack after the
  deadline), the distribution of the acknowledgement times per kind, and of the time from a
  question's acknowledgement to the first reply in its thread (figures only).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from models.db import make_engine
from models.inbox import INBOX
from models.outbox_redaction import OUTBOX
from models.statuses import InboxStatus, OutboxStatus
from models.tables import Question
from tests.load.servers import FlakySlackApi
from tests.load.traffic import Sent

QUESTIONS: sa.Table = Question.__table__  # type: ignore[attr-defined]


def drained(database_url: str, *, seconds: float) -> None:
    """Wait until no inbox row and no outbox row is pending."""
    engine = make_engine(database_url)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                waiting = (
                    connection.execute(
                        sa.select(sa.func.count()).where(INBOX.c.status == InboxStatus.PENDING)
                    ).scalar_one()
                    + connection.execute(
                        sa.select(sa.func.count()).where(OUTBOX.c.status == OutboxStatus.PENDING)
                    ).scalar_one()
                )
            if not waiting:
                return
            time.sleep(0.5)
    finally:
        engine.dispose()


@dataclass
class Outcome:
    sent: dict[str, int]
    acked: dict[str, int]
    in_time: dict[str, int]
    ack_seconds: dict[str, list[float]]
    missing_effects: list[str]
    inbox_by_status: dict[str, int]
    handled_again: int
    outbox_by_status: dict[str, int]
    sent_twice: int
    slack_calls: dict[str, int]
    faults: dict[str, float]
    ingest_per_second: float | None
    unacked: list[str] = field(default_factory=list)
    twice_after: list[str] = field(default_factory=list)  # when, relative to the faults
    with_text: int = 0  # commands answered with their ack text
    first_reply: list[float] = field(default_factory=list)  # in the order sent

    def problems(self) -> list[str]:
        found = []
        if self.missing_effects:
            found.append(f"acknowledged but not handled: {self.missing_effects[:5]}")
        if self.inbox_by_status.get("pending") or self.inbox_by_status.get("dead"):
            found.append(f"inbox not drained: {self.inbox_by_status}")
        if self.outbox_by_status.get("pending") or self.outbox_by_status.get("dead"):
            found.append(f"outgoing messages lost: {self.outbox_by_status}")
        if self.sent_twice:
            found.append(f"{self.sent_twice} message(s) sent twice")
        if self.acked.get("event", 0) != self.sent.get("event", 0):
            found.append("an event was never acknowledged, despite Slack's retries")
        return found

    def ok(self) -> bool:
        return not self.problems()

    def report(self) -> str:
        lines = ["kind      sent  acked  ≤3s   p50    p95    p99    max (ack seconds)"]
        for kind, count in sorted(self.sent.items()):
            times = sorted(self.ack_seconds.get(kind, []))
            lines.append(
                f"{kind:8} {count:5} {self.acked.get(kind, 0):6} {self.in_time.get(kind, 0):4}"
                + "".join(f" {_quantile(times, q):6.3f}" for q in (0.5, 0.95, 0.99, 1.0))
            )
        replies = sorted(self.first_reply)
        lines.append(
            f"first reply to a question, after its ack: n={len(replies)}"
            + (f" min={replies[0]:.2f}" if replies else "")
            + "".join(f" p{round(q * 100)}={_quantile(replies, q):.2f}" for q in (0.5, 0.95))
            + f" max={_quantile(replies, 1.0):.2f} s"
        )
        third = max(1, len(self.first_reply) // 3)
        parts = [self.first_reply[i : i + third] for i in range(0, len(self.first_reply), third)]
        lines.append(
            "  median by third of the burst (before the SIGKILL, between, after the SIGTERM): "
            + ", ".join(f"{statistics.median(part):.2f}" for part in parts[:3] if part)
        )
        lines.append(f"commands answered with their text: {self.with_text}")
        if self.ingest_per_second is not None:
            lines.append(f"ingest: {self.ingest_per_second:.0f} acknowledged requests/s")
        lines.append(
            f"inbox rows: {self.inbox_by_status}; handled more than once: {self.handled_again}"
        )
        lines.append(
            f"outbox rows: {self.outbox_by_status}; sent twice: {self.sent_twice}"
            + (f" ({', '.join(self.twice_after)})" if self.twice_after else "")
        )
        lines.append(f"Slack calls: {self.slack_calls}")
        shown = {k: round(v, 2) for k, v in self.faults.items() if not k.endswith("_at")}
        lines.append(f"faults: {shown}; not acknowledged: {self.unacked[:10]}")
        lines.append("problems: " + ("; ".join(self.problems()) or "none"))
        return "\n".join(lines)


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if q >= 1.0 or len(values) < 2:
        return values[-1]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def outcome(
    database_url: str,
    slack: FlakySlackApi,
    requests: list[Sent],
    faults: dict[str, float],
    ingest: float | None,
) -> Outcome:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            questions = set(connection.execute(sa.select(QUESTIONS.c.source_key)).scalars())
            notices = set(connection.execute(sa.select(OUTBOX.c.key)).scalars())
            inbox: dict[Any, Any] = dict(
                connection.execute(
                    sa.select(INBOX.c.status, sa.func.count()).group_by(INBOX.c.status)
                ).all()
            )
            again = connection.execute(
                sa.select(sa.func.count()).where(INBOX.c.attempts > 1)
            ).scalar_one()
            outbox: dict[Any, Any] = dict(
                connection.execute(
                    sa.select(OUTBOX.c.status, sa.func.count()).group_by(OUTBOX.c.status)
                ).all()
            )
            landed = set(
                connection.execute(
                    sa.select(OUTBOX.c.delivered_ts).where(OUTBOX.c.delivered_ts.is_not(None))
                ).scalars()
            )
    finally:
        engine.dispose()
    result = Outcome(
        sent={},
        acked={},
        in_time={},
        ack_seconds={},
        missing_effects=[],
        inbox_by_status={str(k): int(v) for k, v in inbox.items()},
        handled_again=int(again),
        outbox_by_status={str(k): int(v) for k, v in outbox.items()},
        sent_twice=sum(1 for ts in slack.posted_ts if ts not in landed),
        slack_calls=_calls(slack),
        faults=faults,
        ingest_per_second=ingest,
    )
    for ts in slack.posted_ts:
        if ts not in landed:
            result.twice_after.append(_relative(slack.posted_at.get(ts), faults))
    for request in requests:
        kind = request.kind
        result.sent[kind] = result.sent.get(kind, 0) + 1
        if not request.acked:
            result.unacked.append(f"{kind}:{','.join(request.failures)}")
            continue
        result.acked[kind] = result.acked.get(kind, 0) + 1
        seconds = request.ack_seconds or 0.0
        result.ack_seconds.setdefault(kind, []).append(seconds)
        result.in_time[kind] = result.in_time.get(kind, 0) + (seconds <= 3.0)
        result.with_text += kind == "command" and bool(request.answer.strip())
        reply_at = slack.first_post.get(request.thread) if request.thread else None
        if reply_at is not None and request.acked_at is not None:
            result.first_reply.append(max(0.0, reply_at - request.acked_at))
        effect = notices if kind == "action" else questions
        key = f"slack:cmd:{request.key}" if kind == "command" else request.key
        if key not in effect:
            result.missing_effects.append(key)
    return result


def _relative(moment: float | None, faults: dict[str, float]) -> str:
    """A moment against the nearest fault: "-0.03 s from sigkill" (just before it)."""
    if moment is None:
        return "?"
    moments = [(moment - at, name) for name, at in faults.items() if name.endswith("_at")]
    if not moments:
        return "?"
    delay, name = min(moments, key=lambda m: abs(m[0]))
    return f"{delay:+.2f} s from {name.removesuffix('_at')}"


def _calls(slack: FlakySlackApi) -> dict[str, int]:
    counts: dict[str, int] = {}
    for call in slack.calls:
        name = f"{call.method}{' (failed)' if call.failed else ''}"
        counts[name] = counts.get(name, 0) + 1
    return counts
