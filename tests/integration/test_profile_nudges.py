"""The background tick nudges stale profiles once a working day at most, each person at most
once a month."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.wiring import Deps
from models.clock import FixedClock
from models.tables import ExpertiseProfile, Outbox
from tests.helpers import make_deps


def _nudges(deps: Deps) -> list[str]:
    with deps.sessions() as session:
        rows = session.exec(select(Outbox).where(Outbox.template == "profile.nudge")).all()
        return sorted(row.key for row in rows)


def test_a_stale_profile_is_nudged_once_a_month_and_only_in_working_hours(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    with deps.sessions() as session:
        profile = session.get(ExpertiseProfile, "m047")
        assert profile is not None
        profile.updated_at = clock.now() - timedelta(days=200)
        profile.confirmed_at = None
        session.add(profile)
        session.commit()
    clock.set(clock.now().replace(hour=7))  # before working hours: nothing yet
    deps.tick()
    assert _nudges(deps) == []
    clock.set(clock.now().replace(hour=10))
    deps.tick()
    deps.tick()
    assert _nudges(deps) == ["profile-nudge:m047:2026-11"]
    clock.advance(timedelta(days=7))
    deps.tick()
    assert _nudges(deps) == ["profile-nudge:m047:2026-11"]  # not again within the month
