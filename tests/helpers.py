"""Building the real collaborators for tests, with fast seams (hashing embedder, own detectors)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.settings import Settings
from bot.wiring import Deps, build_deps
from knowledge.catalogue_search import CatalogueSearch
from knowledge.demo import seed_demo
from knowledge.embedders import Embedder, HashingEmbedder
from knowledge.embedding_cache import CachedEmbedder
from knowledge.privacy import Deidentifier
from models.clock import Clock
from models.tables import Invitation, Member, Outbox, Question
from routing.experts import AvailabilityProbe, RankingExpertFinder
from tests.snapshots import Snapshot, is_empty, restore, take

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
    seed_directory(deps)
    return deps


@dataclass(frozen=True)
class _Directory:
    seeded_at: datetime
    snapshot: Snapshot
    # True when every stored moment is the moment of seeding: then the state seeded at another
    # moment is this one with the moments moved, so one snapshot serves every clock.
    movable: bool


# The seeded demo directory per database, built by the first test that asks for it and copied
# into the (empty) database of every later one.
_DIRECTORIES: dict[str, _Directory] = {}


def seed_directory(deps: Deps) -> None:
    """The demo teams, staff (with chat ids), social map and Buurtacademie, and the embedding
    cache filled for them as after a first start. On an empty database the state is copied
    from the first test that built it; otherwise it is imported (idempotently) as before."""
    now = deps.clock.now()
    url = deps.engine.url.render_as_string(hide_password=False)
    directory = _DIRECTORIES.get(url)
    with deps.engine.begin() as connection:
        pristine = is_empty(connection)
        if pristine and directory and (directory.movable or directory.seeded_at == now):
            restore(connection, directory.snapshot.shifted(now - directory.seeded_at))
            return
    build_directory(deps, warm=pristine)
    if pristine and directory is None:
        with deps.engine.connect() as connection:
            snapshot = take(connection)
        _DIRECTORIES[url] = _Directory(now, snapshot, snapshot.moments() <= {now})


def build_directory(deps: Deps, *, warm: bool = True) -> None:
    """Seed the demo directory through the importers (what `seed_directory` copies); `warm`
    fills the embedding cache too."""
    now = deps.clock.now()
    with deps.sessions() as session:
        seed_demo(session, now)
        for member in session.exec(select(Member)).all():
            member.chat_user_id = chat_id(member.id)
            session.add(member)
        session.commit()
    if warm:
        _warm_embedding_cache(deps)


def _warm_embedding_cache(deps: Deps) -> None:
    """Store the passage vectors a first question needs (the expert directory, the leefgebied
    classifier, offers and modules) for the default test embedder, as a running instance has
    them after its first start."""
    cached = CachedEmbedder(HashingEmbedder(), deps.sessions)
    RankingExpertFinder(cached, deps.sessions, deps.clock).suggest_leefgebieden("warm")
    with deps.sessions() as session:
        CatalogueSearch(cached).refresh(session)


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
