"""Clicks on suggestions: one verdict per person and item, and read back as evaluation cases."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from knowledge.feedback import feedback_cases, feedback_summary, record_feedback
from models.clock import FixedClock
from models.db import session_factory
from tests.helpers import make_deps


def test_verdicts_are_stored_once_and_become_evaluation_cases(
    db: Engine, clock: FixedClock
) -> None:
    make_deps(db, clock)  # the demo staff: feedback belongs to a member
    sessions = session_factory(db)
    clicks = [
        ("question:1", "taalcafé in de avond", "offer", "o119", "m005", True),
        ("question:1", "taalcafé in de avond", "offer", "o119", "m005", True),  # double tap
        ("question:1", "taalcafé in de avond", "offer", "o052", "m005", False),
        ("question:1", "taalcafé in de avond", "offer", "o052", "m005", True),  # changed mind
        ("search:a", "maatje voor oudere", "offer", "o033", "m006", True),
        ("search:a", "maatje voor oudere", "offer", "o034", "m006", False),
        ("search:b", "dementie herkennen", "module", "b40", "m006", True),
    ]
    with sessions() as session:
        for context, query, kind, item, member, useful in clicks:
            record_feedback(
                session,
                context_key=context,
                query_text=query,
                item_kind=kind,
                item_id=item,
                member_id=member,
                useful=useful,
                now=clock.now(),
            )
            session.commit()
    with sessions() as session:
        cases = feedback_cases(session, "offer")
        offers = feedback_summary(session, "offer")
        modules = feedback_cases(session, "module")
    assert cases == [
        {"id": "question:1", "query": "taalcafé in de avond", "gold": ["o052", "o119"]},
        {"id": "search:a", "query": "maatje voor oudere", "gold": ["o033"]},
    ]
    assert (offers.useful, offers.not_useful, offers.useful_share) == (3, 1, 0.75)
    assert modules == [{"id": "search:b", "query": "dementie herkennen", "gold": ["b40"]}]
