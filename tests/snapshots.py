"""Database states built once per test run and copied into each test's database.

A snapshot is every row of every table, read once through SQLAlchemy Core; restoring it inserts
the same rows (same ids) into an empty database, which takes milliseconds where building the
state again (CSV imports, embedding, the ORM's one-row-at-a-time writes) takes seconds. On
PostgreSQL the id sequences are then set just past the restored ids, so the next insert gets the
id it would have got after building the state for real.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)


def tables() -> Sequence[sa.Table]:
    """Every table of the schema, parents before children."""
    return SQLModel.metadata.sorted_tables


@dataclass(frozen=True)
class Snapshot:
    rows: tuple[tuple[sa.Table, tuple[dict[str, Any], ...]], ...]

    def count(self) -> int:
        return sum(len(rows) for _, rows in self.rows)

    def moments(self) -> set[datetime]:
        """Every date and time stored in the snapshot."""
        return {
            value
            for _, rows in self.rows
            for row in rows
            for value in row.values()
            if isinstance(value, datetime)
        }

    def shifted(self, by: timedelta) -> Snapshot:
        """The same rows with every date and time moved by `by`."""
        if not by:
            return self
        return Snapshot(
            tuple(
                (
                    table,
                    tuple(
                        {
                            name: value + by if isinstance(value, datetime) else value
                            for name, value in row.items()
                        }
                        for row in rows
                    ),
                )
                for table, rows in self.rows
            )
        )


def take(connection: Connection) -> Snapshot:
    """Every row of every table, in primary-key order."""
    taken = []
    for table in tables():
        query = table.select().order_by(*table.primary_key.columns)
        rows = tuple(dict(row._mapping) for row in connection.execute(query))
        if rows:
            taken.append((table, rows))
    return Snapshot(tuple(taken))


def is_empty(connection: Connection) -> bool:
    """True when no table has a row (one round trip)."""
    counts = [sa.select(sa.func.count()).select_from(table).scalar_subquery() for table in tables()]
    return not any(connection.execute(sa.select(*counts)).one())


def restore(connection: Connection, snapshot: Snapshot) -> None:
    """Insert the snapshot's rows into an empty database."""
    for table, rows in snapshot.rows:
        connection.execute(table.insert(), list(rows))
    if connection.dialect.name == "postgresql":
        _sequences_after_rows(connection)


def empty(connection: Connection) -> None:
    """Remove every row; on PostgreSQL the id sequences start again at 1 too, as on SQLite
    (which reuses ids from max(id) + 1), so every test sees the same ids on both stores.
    DELETE rather than TRUNCATE: it waits for no reader that a test left open."""
    for table in reversed(tables()):
        connection.execute(table.delete())
    if connection.dialect.name == "postgresql":
        _sequences_after_rows(connection)


def _serial_columns() -> list[tuple[sa.Table, sa.Column[Any]]]:
    found = []
    for table in tables():
        column = table.autoincrement_column
        if column is not None:
            found.append((table, column))
    return found


def _sequences_after_rows(connection: Connection) -> None:
    """Point every id sequence just past the largest id in its table (one round trip)."""
    calls = []
    for table, column in _serial_columns():
        name = connection.dialect.identifier_preparer.format_table(table)
        calls.append(
            sa.select(
                sa.func.setval(
                    sa.func.pg_get_serial_sequence(name, column.name),
                    sa.select(sa.func.coalesce(sa.func.max(column), 0) + 1)
                    .select_from(table)
                    .scalar_subquery(),
                    False,
                )
            ).scalar_subquery()
        )
    if calls:
        connection.execute(sa.select(*calls))
