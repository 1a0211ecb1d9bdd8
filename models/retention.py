"""Retention: remove what is past its period (AVG art. 5(1)(e), storage limitation).

One sweep, in the caller's transaction, per category of docs/privacy.md:
- questions and answers: a question older than `questions` goes, with its answers,
  invitations, rating, the expertise evidence learned from it and the "Nuttig" clicks on its
  suggestions (clicks on searches go by their own last change);
- unsent concepts: a question still waiting for its asker's "Versturen" (status `concept`,
  routing/dispatch.py) after `concepts` goes the same way — nobody but the asker ever saw it,
  and a draft the asker abandoned has no purpose left;
- outbox payloads: a delivered or given-up message older than `outbox_payloads` keeps its row
  but loses its content (models/outbox_redaction.py);
- the inbox: a stored Slack request older than `outbox_payloads` goes (its body is emptied
  as soon as it is handled; the rest only recognises a late retry: models/inbox.py);
- Ervaringwijzer: an invitation older than `feedback` goes, with the client's response;
- audit entries older than `audit` go;
- case events: a case goes as a whole once its last event (by moment and by registration) is
  older than `case_events`, so no figure ever sees half a case.

Invariants: idempotent (a second sweep at the same moment removes nothing); the report holds
counts per table, never content; `run_daily` runs the sweep once per day across any number of
instances — the RetentionRun row of that day is inserted with insert-or-nothing in the
transaction that deletes, so a failed sweep leaves no claim and the next try redoes it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from models.audit import ACTOR_SYSTEM, RETENTION, append, count_detail
from models.clock import AMSTERDAM
from models.inbox import sweep as sweep_inbox
from models.kpi_facts import forget_cases
from models.outbox_redaction import OUTBOX, redact_payloads, rowcount
from models.statuses import OutboxStatus, QuestionStatus
from models.tables import (
    Answer,
    AuditLog,
    CaseEvent,
    ExpertiseEvidence,
    FeedbackInvitation,
    FeedbackResponse,
    Invitation,
    Question,
    Rating,
    RetentionRun,
    SuggestionFeedback,
)

__all__ = ["RetentionPolicy", "apply_retention", "due_day", "run_daily", "sweep"]

REASON = "bewaartermijn"


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


_Q, _A, _I, _R = (_table(m) for m in (Question, Answer, Invitation, Rating))
_EVIDENCE, _CLICKS = _table(ExpertiseEvidence), _table(SuggestionFeedback)
_INVITES, _RESPONSES = _table(FeedbackInvitation), _table(FeedbackResponse)
_EVENTS, _AUDIT, _RUNS = _table(CaseEvent), _table(AuditLog), _table(RetentionRun)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each category is kept; the defaults are the settings' (docs/privacy.md)."""

    questions: timedelta = timedelta(days=730)
    concepts: timedelta = timedelta(days=7)
    outbox_payloads: timedelta = timedelta(days=30)
    feedback: timedelta = timedelta(days=730)
    audit: timedelta = timedelta(days=1825)
    case_events: timedelta = timedelta(days=2555)


def _delete(session: Session, table: sa.Table, condition: sa.ColumnElement[bool]) -> int:
    return rowcount(session.execute(sa.delete(table).where(condition)))


def _questions(
    session: Session, expired: sa.ColumnElement[bool], cutoff: datetime
) -> dict[str, int]:
    old = sa.select(_Q.c.id).where(expired)
    keys = sa.select(sa.literal("question:") + sa.cast(_Q.c.id, sa.String)).where(expired)
    counts = {
        "expertiseevidence": _delete(session, _EVIDENCE, _EVIDENCE.c.question_id.in_(old)),
        "rating": _delete(session, _R, _R.c.question_id.in_(old)),
        "answer": _delete(session, _A, _A.c.question_id.in_(old)),
        "invitation": _delete(session, _I, _I.c.question_id.in_(old)),
        "suggestionfeedback": _delete(
            session,
            _CLICKS,
            sa.or_(_CLICKS.c.context_key.in_(keys), _CLICKS.c.updated_at < cutoff),
        ),
    }
    counts["question"] = _delete(session, _Q, expired)
    return counts


def _feedback(session: Session, cutoff: datetime) -> dict[str, int]:
    old = sa.select(_INVITES.c.id).where(_INVITES.c.created_at < cutoff)
    responses = _delete(session, _RESPONSES, _RESPONSES.c.invitation_id.in_(old))
    invitations = _delete(session, _INVITES, _INVITES.c.created_at < cutoff)
    return {"feedbackresponse": responses, "feedbackinvitation": invitations}


def _case_events(session: Session, cutoff: datetime) -> int:
    expired = (
        sa.select(_EVENTS.c.case_ref)
        .group_by(_EVENTS.c.case_ref)
        .having(
            sa.and_(
                sa.func.max(_EVENTS.c.occurred_at) < cutoff,
                sa.func.max(_EVENTS.c.registered_at) < cutoff,
            )
        )
    )
    # the KPI facts and day sums first: deleting the events cascades to the facts
    forget_cases(session, session.execute(expired).scalars())
    return _delete(session, _EVENTS, _EVENTS.c.case_ref.in_(expired))


def sweep(session: Session, now: datetime, policy: RetentionPolicy) -> dict[str, int]:
    """Remove (or empty) what is past its period; rows touched per table, every table named."""
    expired = sa.or_(
        _Q.c.created_at < now - policy.questions,
        sa.and_(_Q.c.status == QuestionStatus.CONCEPT, _Q.c.created_at < now - policy.concepts),
    )
    counts = _questions(session, expired, now - policy.questions)
    delivered = sa.and_(
        OUTBOX.c.status.in_((OutboxStatus.SENT, OutboxStatus.DEAD)),
        sa.func.coalesce(OUTBOX.c.sent_at, OUTBOX.c.created_at) < now - policy.outbox_payloads,
    )
    counts["outbox"] = redact_payloads(session, delivered, reason=REASON)
    counts["inbox"] = sweep_inbox(session.connection(), now - policy.outbox_payloads)
    counts |= _feedback(session, now - policy.feedback)
    counts["auditlog"] = _delete(session, _AUDIT, _AUDIT.c.at < now - policy.audit)
    counts["caseevent"] = _case_events(session, now - policy.case_events)
    return counts


def due_day(now: datetime, at: time) -> date:
    """The Amsterdam day of the last daily moment `at` at or before `now`."""
    local = now.astimezone(AMSTERDAM)
    return local.date() if local.time() >= at else local.date() - timedelta(days=1)


def _claim(session: Session, run_key: str, now: datetime, claimer: str) -> bool:
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    claim = module.insert(_RUNS).on_conflict_do_nothing(index_elements=["run_key"])
    values = {"run_key": run_key, "claimed_by": claimer, "claimed_at": now, "counts": ""}
    # RETURNING says whether this statement inserted (rowcount is -1 for it on psycopg)
    return session.execute(claim.values(**values).returning(_RUNS.c.id)).first() is not None


def apply_retention(
    session: Session, *, now: datetime, policy: RetentionPolicy, actor_id: str, subject: str
) -> dict[str, int]:
    """Sweep and, when anything was removed, write an audit entry with the counts (the privacy
    officer sees every sweep that removed data); the caller commits."""
    counts = sweep(session, now, policy)
    if any(counts.values()):
        detail = count_detail(counts)
        append(
            session, actor_id=actor_id, action=RETENTION, subject=subject, detail=detail, now=now
        )
    return counts


def run_daily(
    session: Session, *, now: datetime, at: time, policy: RetentionPolicy, claimer: str
) -> dict[str, int] | None:
    """The day's sweep by the system, unless it ran already (None); the caller commits. The
    counts are also kept on the day's RetentionRun."""
    run_key = due_day(now, at).isoformat()
    if not _claim(session, run_key, now, claimer):
        return None
    counts = apply_retention(
        session, now=now, policy=policy, actor_id=ACTOR_SYSTEM, subject=f"retention:{run_key}"
    )
    session.execute(
        sa.update(_RUNS).where(_RUNS.c.run_key == run_key).values(counts=json.dumps(counts))
    )
    return counts
