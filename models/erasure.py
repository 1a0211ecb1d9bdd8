"""Erasure on request (AVG art. 17): a client's case, or a colleague who left or asked.

`erase_case` removes every case event of the case and its Ervaringwijzer invitation,
response and contact, and empties the outbox messages about it (the registration cards, the
survey link, a mail not sent yet: those stop). `erase_member` pseudonymises a colleague:

- their questions, answers, invitations, ratings, clicks and registrations move to a new
  pseudonym member (Member.is_pseudonym, "Oud-collega", same team so the team figures stay
  right). Its id is random and stored nowhere else: nothing links it back to the colleague;
- their expertise profile and the evidence learned from their answers are removed;
- the member row stays as a deactivated directory entry (the audit log names its actors), with
  its Slack id, languages and absence cleared and the coordinator right withdrawn;
- messages to them that wait in the outbox stop, and stored messages naming them are emptied;
- requests of theirs that wait in the inbox (seconds, normally) are emptied and not handled;
  the same for a request naming an erased case (models/inbox.py). "inbox" is counted only
  when it found one: a handled request keeps no body.

Invariants: idempotent — a second erasure finds nothing and reports zeros (no pseudonym is
made when nothing would move to it); every erasure writes one audit entry with the counts per
table, in the caller's transaction; neither the report nor the entry holds content or the
pseudonym's id.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from models.audit import ERASE_CASE, ERASE_MEMBER, append, count_detail
from models.errors import DomainError, Why
from models.inbox import forget_pending
from models.kpi_facts import forget_cases
from models.outbox_redaction import OUTBOX, redact_payloads, rowcount
from models.statuses import OutboxStatus
from models.tables import (
    Answer,
    CaseEvent,
    DigestSchedule,
    ExpertiseEvidence,
    ExpertiseProfile,
    FeedbackInvitation,
    FeedbackResponse,
    Invitation,
    Member,
    Question,
    Rating,
    SuggestionFeedback,
)

__all__ = ["PSEUDONYM_NAME", "Erasure", "ErasureRefused", "erase_case", "erase_member"]

PSEUDONYM_NAME = "Oud-collega"
REASON = "gewist op verzoek"
MIN_NAME_IN_TEXT = 5

# Every column that names a member by id, as "table.column": these move to the pseudonym.
_REFERENCES: tuple[tuple[Any, str], ...] = (
    (Question, "asker_id"),
    (Question, "taken_by"),
    (Answer, "member_id"),
    (Invitation, "member_id"),
    (Invitation, "forwarded_by"),
    (Rating, "member_id"),
    (SuggestionFeedback, "member_id"),
    (CaseEvent, "registered_by"),
    (FeedbackInvitation, "requested_by"),
    (DigestSchedule, "updated_by"),
)


class ErasureRefused(DomainError):
    """Nothing can be erased for this request."""


@dataclass(frozen=True)
class Erasure:
    subject: str  # "case:4711" or "member:m017", as in the audit entry
    counts: dict[str, int]  # rows per "table" or "table.column"; never content

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


def _fragment(key: str, value: str) -> str:
    """How `"key": "value"` appears in a stored payload (json.dumps, as models/outbox.py)."""
    return json.dumps({key: value}, ensure_ascii=False)[1:-1]


def _delete(session: Session, model: Any, condition: sa.ColumnElement[bool]) -> int:
    return rowcount(session.execute(sa.delete(_table(model)).where(condition)))


def erase_case(session: Session, case_ref: str, *, actor_id: str, now: datetime) -> Erasure:
    """Remove everything stored about one case; the caller commits."""
    ref = case_ref.strip()
    if not ref:
        raise ErasureRefused(Why.ERASE_NEEDS_CASE)
    invites, events = _table(FeedbackInvitation), _table(CaseEvent)
    ids = [i for (i,) in session.execute(sa.select(invites.c.id).where(invites.c.case_ref == ref))]
    about_case = [OUTBOX.c.payload.contains(_fragment("case_ref", ref), autoescape=True)]
    about_case += [OUTBOX.c.key.startswith(f"ervaringwijzer:{i}:") for i in ids]
    counts = {
        "outbox": redact_payloads(session, sa.or_(*about_case), reason=REASON),
        "feedbackresponse": _delete(
            session, FeedbackResponse, _table(FeedbackResponse).c.invitation_id.in_(ids)
        ),
        "feedbackinvitation": _delete(session, FeedbackInvitation, invites.c.case_ref == ref),
        # the KPI facts and day sums first: deleting the events cascades to the facts
        "kpicasefact": forget_cases(session, [ref]),
        "caseevent": _delete(session, CaseEvent, events.c.case_ref == ref),
    }
    if waiting := forget_pending(session.connection(), [ref], now):
        counts["inbox"] = waiting
    subject = f"case:{ref}"
    detail = count_detail(counts)
    append(session, actor_id=actor_id, action=ERASE_CASE, subject=subject, detail=detail, now=now)
    return Erasure(subject, counts)


def new_pseudonym_id() -> str:
    return f"pseudoniem-{secrets.token_hex(6)}"


def _references(session: Session, member_id: str) -> int:
    total = 0
    for model, name in _REFERENCES:
        column = _table(model).c[name]
        total += session.execute(sa.select(sa.func.count()).where(column == member_id)).scalar_one()
    return total


def _pseudonymise(session: Session, member: Member, new_id: Callable[[], str]) -> dict[str, int]:
    counts = {f"{_table(m).name}.{name}": 0 for m, name in _REFERENCES}
    if _references(session, member.id) == 0:
        return counts
    pseudonym = Member(
        id=new_id(),
        display_name=PSEUDONYM_NAME,
        team=member.team,
        is_external=member.is_external,
        is_active=False,
        is_pseudonym=True,
        daily_cap=0,
    )
    session.add(pseudonym)
    session.flush()
    for model, name in _REFERENCES:
        table = _table(model)
        moved = session.execute(
            sa.update(table).where(table.c[name] == member.id).values({name: pseudonym.id})
        )
        counts[f"{table.name}.{name}"] = rowcount(moved)
    return counts


def _outbox(session: Session, member: Member) -> int:
    """Stop what waits for them, empty what names them."""
    ids = [("to_member", member.id), ("private_to", member.id), ("member_id", member.id)]
    if member.chat_user_id:
        ids.append(("channel", member.chat_user_id))
    payload = OUTBOX.c.payload
    to_them = sa.or_(*(payload.contains(_fragment(k, v), autoescape=True) for k, v in ids))
    emptied = redact_payloads(session, to_them, reason=REASON)
    # ids and the name as whole JSON values; the name also inside a text once it is long
    # enough not to hit other words (LIKE ignores case on SQLite: "Ann" is in "januari")
    names = [json.dumps(v, ensure_ascii=False) for v in (member.id, member.display_name)]
    names += [json.dumps(member.chat_user_id)] if member.chat_user_id else []
    if len(member.display_name) >= MIN_NAME_IN_TEXT:
        names.append(json.dumps(member.display_name, ensure_ascii=False)[1:-1])
    naming = sa.or_(*(payload.contains(name, autoescape=True) for name in names))
    delivered = sa.and_(naming, OUTBOX.c.status != OutboxStatus.PENDING)
    return emptied + redact_payloads(session, delivered, reason=REASON)


def _clear_member(member: Member) -> dict[str, int]:
    cleared = {
        "member.is_active": member.is_active,
        "member.is_coordinator": member.is_coordinator,
        "member.chat_user_id": member.chat_user_id is not None,
        "member.languages": member.languages != (),
        "member.away_until": member.away_until is not None,
    }
    member.is_active = member.is_coordinator = False
    member.chat_user_id = member.away_until = None
    member.languages = ()
    return {key: int(changed) for key, changed in cleared.items()}


def erase_member(
    session: Session,
    member_id: str,
    *,
    actor_id: str,
    now: datetime,
    new_id: Callable[[], str] = new_pseudonym_id,
) -> Erasure:
    """Pseudonymise one colleague and remove their profile; the caller commits."""
    member = session.get(Member, member_id.strip())
    if member is None:
        raise ErasureRefused(Why.ERASE_UNKNOWN_MEMBER, member=member_id.strip())
    if member.is_pseudonym:
        raise ErasureRefused(Why.ERASE_ALREADY_PSEUDONYM, member=member.id)
    counts = {"outbox": _outbox(session, member)}
    if waiting := forget_pending(session.connection(), [member.chat_user_id or ""], now):
        counts["inbox"] = waiting
    counts |= _pseudonymise(session, member, new_id)
    counts["expertiseevidence"] = _delete(
        session, ExpertiseEvidence, _table(ExpertiseEvidence).c.member_id == member.id
    )
    counts["expertiseprofile"] = _delete(
        session, ExpertiseProfile, _table(ExpertiseProfile).c.member_id == member.id
    )
    counts |= _clear_member(member)
    session.add(member)
    session.flush()
    subject = f"member:{member.id}"
    detail = count_detail(counts)
    append(session, actor_id=actor_id, action=ERASE_MEMBER, subject=subject, detail=detail, now=now)
    return Erasure(subject, counts)
