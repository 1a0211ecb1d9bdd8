""" "Nuttig" / "Niet nuttig" on shown suggestions: stored once per person, read back as evaluation.

The clicks are the only judgement of the search that comes from the people who use it, so they
are kept with the de-identified query that produced the suggestion: every useful click becomes
an evaluation case ("for this question, this offer was right"), and the share of useful clicks
says how often what we show is worth the attention it takes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from models.tables import SuggestionFeedback

ItemKind = Literal["offer", "module", "answer"]
ITEM_KINDS: tuple[ItemKind, ...] = ("offer", "module", "answer")


@dataclass(frozen=True)
class FeedbackSummary:
    useful: int
    not_useful: int

    @property
    def useful_share(self) -> float | None:
        total = self.useful + self.not_useful
        return round(self.useful / total, 4) if total else None


def record_feedback(
    session: Session,
    *,
    context_key: str,
    query_text: str,
    item_kind: str,
    item_id: str,
    member_id: str,
    useful: bool,
    now: datetime,
) -> SuggestionFeedback:
    """Store or change one person's verdict on one shown item (a double tap stores one row)."""
    if item_kind not in ITEM_KINDS:
        raise ValueError(f"unknown item kind {item_kind!r}")
    where = (
        SuggestionFeedback.context_key == context_key,
        SuggestionFeedback.item_kind == item_kind,
        SuggestionFeedback.item_id == item_id,
        SuggestionFeedback.member_id == member_id,
    )
    row = session.exec(select(SuggestionFeedback).where(*where)).first()
    if row is None:
        row = SuggestionFeedback(
            context_key=context_key,
            query_text=query_text,
            item_kind=item_kind,
            item_id=item_id,
            member_id=member_id,
            useful=useful,
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # the same click arrived twice at once: the other one stored it
            row = session.exec(select(SuggestionFeedback).where(*where)).one()
    row.useful = useful
    row.updated_at = now
    session.add(row)
    return row


def feedback_summary(session: Session, item_kind: str) -> FeedbackSummary:
    verdicts = session.exec(
        select(SuggestionFeedback.useful).where(SuggestionFeedback.item_kind == item_kind)
    ).all()
    return FeedbackSummary(sum(verdicts), len(verdicts) - sum(verdicts))


def feedback_cases(session: Session, item_kind: str) -> list[dict[str, Any]]:
    """Evaluation cases from clicks: per query, the items someone found useful.

    Shaped like the dev sets ({"id", "query", "gold"}), so the same scoring applies.
    """
    gold: dict[tuple[str, str], set[str]] = defaultdict(set)
    rows = session.exec(
        select(SuggestionFeedback).where(
            SuggestionFeedback.item_kind == item_kind,
            SuggestionFeedback.useful == True,  # noqa: E712
        )
    ).all()
    for row in rows:
        gold[(row.context_key, row.query_text)].add(row.item_id)
    return [
        {"id": context, "query": query, "gold": sorted(items)}
        for (context, query), items in sorted(gold.items())
    ]
