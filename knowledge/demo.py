"""Demo data of Utrecht: the 18 teams and the bundled staff directory, through the importers."""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path

from sqlmodel import Session, select

from knowledge.catalogue import load_modules_csv, load_offers_csv, sync_modules, sync_offers
from knowledge.experts_import import ImportReport, import_experts_csv
from knowledge.teams import all_teams
from models.tables import Team


def demo_path(name: str) -> Path:
    return Path(str(resources.files("knowledge").joinpath(f"data/demo/{name}")))


def demo_experts_path() -> Path:
    return demo_path("experts.csv")


def seed_teams(session: Session) -> int:
    """Create the teams that are missing; returns how many were added."""
    existing = set(session.exec(select(Team.name)).all())
    added = 0
    for team in all_teams():
        if team.name not in existing:
            session.add(Team(name=team.name, wijk=team.wijk, aliases=";".join(team.aliases)))
            added += 1
    return added


def seed_demo(session: Session, now: datetime) -> ImportReport:
    """Teams, staff, the social map and the Buurtacademie catalogue (idempotent)."""
    seed_teams(session)
    report = import_experts_csv(session, demo_experts_path(), now)
    sync_offers(session, *load_offers_csv(demo_path("socialmap.csv")), now)
    sync_modules(session, *load_modules_csv(demo_path("academy.csv")), now)
    return report
