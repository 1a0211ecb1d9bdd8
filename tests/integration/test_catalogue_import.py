"""Importing the social map and the academy: a full snapshot, idempotent, only changes embedded."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from knowledge.catalogue import (
    Rejected,
    load_modules_csv,
    load_offers_csv,
    stored_offers,
    sync_modules,
    sync_offers,
)
from knowledge.catalogue_search import CatalogueSearch
from knowledge.demo import demo_path
from knowledge.embedding_cache import CachedEmbedder
from models.clock import FixedClock
from models.db import make_engine, session_factory
from models.tables import SocialMapOffer
from tests.fakes.embedders import CountingEmbedder


def test_a_reimport_updates_changed_removes_withdrawn_and_keeps_rejected(
    db: Engine, clock: FixedClock
) -> None:
    sessions = session_factory(db)
    offers, rejected = load_offers_csv(demo_path("socialmap.csv"))
    assert len(offers) == 220 and not rejected
    with sessions() as session:
        first = sync_offers(session, offers, [], clock.now())
        session.commit()
    assert (first.created, first.updated, first.removed) == (220, 0, 0)

    changed = replace(offers[0], phone="030-0000000")
    snapshot = [changed, *offers[3:]]  # offers[1] withdrawn, offers[2] rejected this time
    bad_row = Rejected(4, offers[2].offer_id, "onbekende wijk 'Atlantis'")
    with sessions() as session:
        second = sync_offers(session, snapshot, [bad_row], clock.now())
        session.commit()
    assert (second.created, second.updated, second.unchanged, second.removed) == (0, 1, 217, 1)
    assert second.rejected == [bad_row]
    with sessions() as session:
        stored = {o.offer_id: o for o in stored_offers(session)}
    assert stored[offers[0].offer_id].phone == "030-0000000"
    assert offers[1].offer_id not in stored
    assert stored[offers[2].offer_id] == offers[2]  # the old version stays

    with sessions() as session:
        third = sync_offers(session, snapshot, [bad_row], clock.now())
        session.commit()
    assert (third.created, third.updated, third.removed) == (0, 0, 0)


def test_the_search_reembeds_only_changed_offers_and_survives_a_restart(
    db: Engine, clock: FixedClock
) -> None:
    sessions = session_factory(db)
    offers, _ = load_offers_csv(demo_path("socialmap.csv"))
    modules, _ = load_modules_csv(demo_path("academy.csv"))
    with sessions() as session:
        sync_offers(session, offers[:40], [], clock.now())
        sync_modules(session, modules, [], clock.now())
        session.commit()
    inner = CountingEmbedder()
    search = CatalogueSearch(CachedEmbedder(inner, sessions))
    with sessions() as session:
        assert search.refresh(session) > 0
        assert search.refresh(session) == 0  # nothing changed: not even a reload
    first = inner.passages

    clock.advance(timedelta(minutes=1))
    with sessions() as session:
        sync_offers(
            session,
            [replace(offers[0], description="Nieuwe omschrijving."), *offers[1:40]],
            [],
            clock.now(),
        )
        session.commit()
        search.refresh(session)
    assert 0 < inner.passages - first <= 3  # the changed offer's passages only

    restarted = CatalogueSearch(CachedEmbedder(inner, sessions))
    before = inner.passages
    with sessions() as session:
        restarted.refresh(session)
    assert inner.passages == before  # every passage came from the embedding cache
    assert len(restarted.offer_index) == 40 and len(restarted.module_index) == len(modules)


def test_the_import_command_reports_rejected_rows_and_is_idempotent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.cli import app

    url = f"sqlite:///{tmp_path / 'kaart.sqlite3'}"
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", url)
    monkeypatch.setenv("VRAAGBAAK_EMBEDDER", "hashing")
    source = demo_path("socialmap.csv").read_text("utf-8").splitlines()
    broken = source[1].replace(",Stad,", ",Atlantis,", 1)
    path = tmp_path / "kaart.csv"
    path.write_text("\n".join([source[0], *source[2:12], broken]) + "\n", "utf-8")

    runner = CliRunner()
    first = runner.invoke(app, ["import", "socialmap", str(path)])
    report = json.loads(first.stdout.strip().splitlines()[-1])
    assert first.exit_code == 1
    assert (report["read"], report["created"], len(report["rejected"])) == (11, 10, 1)
    assert "Atlantis" in report["rejected"][0]["reason"] and report["embedded_passages"] > 0

    again = json.loads(
        runner.invoke(app, ["import", "socialmap", str(path)]).stdout.splitlines()[-1]
    )
    assert (again["created"], again["unchanged"], again["embedded_passages"]) == (0, 10, 0)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        assert len(session.exec(select(SocialMapOffer)).all()) == 10
    engine.dispose()
