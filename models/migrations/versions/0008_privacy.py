"""Privacy duties: pseudonym members, retention runs, audit actors that are not members

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# 0007 created the foreign key without a name: PostgreSQL named it by its own convention;
# SQLite has no name, so batch mode gets one from this convention to find it.
_SQLITE_FK = "fk_auditlog_actor_id_member"
_NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def _actor_fk_name() -> str:
    return _SQLITE_FK if op.get_bind().dialect.name == "sqlite" else "auditlog_actor_id_fkey"


def upgrade() -> None:
    op.create_table(
        "retentionrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_key", sa.String(), nullable=False),
        sa.Column("claimed_by", sa.String(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retentionrun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_retentionrun_run_key"), ["run_key"], unique=True)
    with op.batch_alter_table("auditlog", schema=None, naming_convention=_NAMING) as batch_op:
        batch_op.drop_constraint(_actor_fk_name(), type_="foreignkey")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_pseudonym", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("is_pseudonym")
    # fails while the log names actors that are not members ("cli:…", "systeem"), as it should
    with op.batch_alter_table("auditlog", schema=None, naming_convention=_NAMING) as batch_op:
        batch_op.create_foreign_key(_actor_fk_name(), "member", ["actor_id"], ["id"])
    with op.batch_alter_table("retentionrun", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_retentionrun_run_key"))
    op.drop_table("retentionrun")
