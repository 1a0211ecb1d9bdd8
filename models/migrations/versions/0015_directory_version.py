"""Change counters for the in-memory expert directory (routing/directory.py).

Triggers bump "directory" on every insert, update or delete of a member, profile or evidence
row and "loads" on every change to an invitation, in the writer's own transaction: a reader
that sees the change sees the new number, whichever process or code path wrote it. A counter
row is created by its first change (a missing row reads as 0), so a new database has no rows.
On PostgreSQL the triggers fire per statement (a bulk update bumps once). A future
migration that recreates one of these tables (SQLite's batch mode drops its triggers) must
create them again; tests/integration/test_directory_cache.py fails while one is missing.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WATCHED = {
    "member": "directory",
    "expertiseprofile": "directory",
    "expertiseevidence": "directory",
    "invitation": "loads",
}
_EVENTS = ("insert", "update", "delete")


def upgrade() -> None:
    op.create_table(
        "directoryversion",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION bump_directory_version() RETURNS trigger AS $$ BEGIN "
            "INSERT INTO directoryversion (name, version) VALUES (TG_ARGV[0], 1) "
            "ON CONFLICT (name) DO UPDATE SET version = directoryversion.version + 1; "
            "RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for watched, counter in WATCHED.items():
            op.execute(
                f"CREATE TRIGGER {watched}_bumps_{counter} AFTER INSERT OR UPDATE OR DELETE "
                f"ON {watched} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION bump_directory_version('{counter}')"
            )
        return
    for watched, counter in WATCHED.items():
        for event in _EVENTS:
            op.execute(
                f"CREATE TRIGGER {watched}_{event}_bumps_{counter} AFTER {event.upper()} "
                f"ON {watched} BEGIN INSERT INTO directoryversion (name, version) "
                f"VALUES ('{counter}', 1) ON CONFLICT (name) DO UPDATE SET version = version + 1; "
                "END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for watched, counter in WATCHED.items():
            op.execute(f"DROP TRIGGER {watched}_bumps_{counter} ON {watched}")
        op.execute("DROP FUNCTION bump_directory_version()")
    else:
        for watched, counter in WATCHED.items():
            for event in _EVENTS:
                op.execute(f"DROP TRIGGER {watched}_{event}_bumps_{counter}")
    op.drop_table("directoryversion")
