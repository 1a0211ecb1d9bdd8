"""Shared fixtures: the two stores (SQLite and PostgreSQL), a fixed clock, fast seams.

Every test that takes `db` runs once on SQLite and once on PostgreSQL. PostgreSQL is skipped
only when it is unreachable and VRAAGBAAK_REQUIRE_POSTGRES is unset; CI sets it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

import models.tables  # noqa: F401
from models.clock import AMSTERDAM, FixedClock
from models.db import make_engine, upgrade
from tests.embedding_memo import remembered_embeddings
from tests.snapshots import empty

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
for _name in list(os.environ):  # tests never read a developer's real tokens or database
    if _name.startswith(("VRAAGBAAK_", "SLACK_")) and _name not in (
        "VRAAGBAAK_TEST_POSTGRES_URL",
        "VRAAGBAAK_REQUIRE_POSTGRES",
        "VRAAGBAAK_REQUIRE_BROWSER",
    ):
        del os.environ[_name]

PG_URL = os.environ.get(
    "VRAAGBAAK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/vraagbaak_test"
)
# A Tuesday morning: inside working hours, so wave timers run at once.
TUESDAY_10 = datetime(2026, 11, 24, 10, 0, tzinfo=AMSTERDAM)


def _postgres_engine() -> Engine:
    url = sa.engine.make_url(PG_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": url.database}
            ).first()
            if not exists:
                connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    finally:
        admin.dispose()
    engine = make_engine(PG_URL)
    sa.event.listen(engine, "connect", _no_waiting_for_the_disk)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    return engine


def _no_waiting_for_the_disk(dbapi_connection: Any, _record: object) -> None:
    """A test database need not survive a power cut: commits do not wait for the disk.
    Transactions, locks and what other connections see are unchanged."""
    cursor = dbapi_connection.cursor()
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor.execute("PRAGMA synchronous=OFF")
    else:
        cursor.execute("SET synchronous_commit TO off")
        dbapi_connection.commit()
    cursor.close()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        created = make_engine(f"sqlite:///{path}")
        sa.event.listen(created, "connect", _no_waiting_for_the_disk)
    else:
        try:
            created = _postgres_engine()
        except sa.exc.OperationalError as error:
            if os.environ.get("VRAAGBAAK_REQUIRE_POSTGRES"):
                pytest.fail(f"PostgreSQL is required but unreachable: {error}")
            pytest.skip("PostgreSQL unreachable")
    upgrade(created)
    yield created
    created.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Engine]:
    """A migrated, empty database; emptied again after the test."""
    yield engine
    with engine.begin() as connection:
        empty(connection)


@pytest.fixture(scope="session", autouse=True)
def each_text_embedded_once() -> Iterator[None]:
    """The real model's vectors are remembered for the run (tests/embedding_memo.py)."""
    with remembered_embeddings():
        yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TUESDAY_10)
