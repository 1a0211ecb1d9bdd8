"""Building the real collaborators for tests, with fast seams (hashing embedder, own detectors)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.settings import Settings
from bot.wiring import Deps, build_deps
from knowledge.demo import seed_demo
from knowledge.embedders import Embedder, HashingEmbedder
from knowledge.privacy import Deidentifier
from models.clock import Clock
from models.tables import Invitation, Member, Outbox, Question
from routing.experts import AvailabilityProbe

ASKER = "m005"


def chat_id(member_id: str) -> str:
    return "U" + member_id.upper()


def make_deps(
    engine: Engine,
    clock: Clock,
    *,
    embedder: Embedder | None = None,
    deidentifier: Deidentifier | None = None,
    probe: AvailabilityProbe | None = None,
    **settings: object,
) -> Deps:
    deps = build_deps(
        Settings(**settings),  # type: ignore[arg-type]
        clock=clock,
        embedder=embedder or HashingEmbedder(),
        deidentifier=deidentifier or Deidentifier(use_deduce=False),
        probe=probe,
        engine=engine,
        migrate=False,
    )
    with deps.sessions() as session:
        seed_demo(session, clock.now())
        for member in session.exec(select(Member)).all():
            member.chat_user_id = chat_id(member.id)
            session.add(member)
        session.commit()
    return deps


def make_coordinator(deps: Deps, member_id: str) -> None:
    """Give a demo member the coordinator flag (the demo data has no coordinators)."""
    with deps.sessions() as session:
        member = session.get(Member, member_id)
        assert member is not None
        member.is_coordinator = True
        session.add(member)
        session.commit()


def buttons(message: dict[str, Any], action_id: str) -> list[str]:
    """The values of the buttons with `action_id` in a Block Kit message, in order."""
    return [
        element["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("action_id") == action_id
    ]


def invitations(session: Session, question_id: int | None = None) -> list[Invitation]:
    query = select(Invitation).order_by(Invitation.id)  # type: ignore[arg-type]
    if question_id is not None:
        query = query.where(Invitation.question_id == question_id)
    return list(session.exec(query).all())


def only_question(session: Session) -> Question:
    questions = session.exec(select(Question)).all()
    assert len(questions) == 1, questions
    return questions[0]


def outbox(session: Session) -> list[Outbox]:
    return list(session.exec(select(Outbox).order_by(Outbox.id)).all())  # type: ignore[arg-type]
