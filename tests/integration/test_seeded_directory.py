"""The test harness itself: the demo directory that `make_deps` copies into a test's database is
exactly the one the importers build, at any clock, and every test starts from an empty one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from models.clock import FixedClock
from models.tables import Team
from tests.helpers import build_directory, make_deps
from tests.snapshots import empty, is_empty, take


def _state(db: Engine) -> tuple[Any, int | None]:
    """Every row, and the id the next new row gets. The directory's change counters are left
    out: triggers count the restore's inserts too, and only their moving means anything
    (routing/directory.py)."""
    with db.connect() as connection:
        rows = tuple(
            (table, rows)
            for table, rows in take(connection).rows
            if table.name != "directoryversion"
        )
    with Session(db) as session:
        team = Team(name="Buurtteam Proef")
        session.add(team)
        session.commit()
        return rows, team.id


def test_a_copied_directory_is_the_directory_the_importers_build(
    db: Engine, clock: FixedClock
) -> None:
    with db.connect() as connection:
        assert is_empty(connection)
    make_deps(db, clock)  # the first one in a run builds the directory, later ones copy it
    with db.begin() as connection:
        empty(connection)

    later = FixedClock(clock.now() + timedelta(days=3, hours=5, minutes=7))
    deps = make_deps(db, later)
    copied = _state(db)
    with db.begin() as connection:
        empty(connection)
        assert is_empty(connection)
    build_directory(deps)
    built = _state(db)

    assert copied == built
    assert copied[0] and copied[1] == 19  # 18 teams, and the embedding cache was filled
    assert any(table.name == "embeddingcache" for table, _ in copied[0])
