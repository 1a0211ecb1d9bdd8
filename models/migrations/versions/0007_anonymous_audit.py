"""Anonymous questions, external experts on request, coordinators and the audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_coordinator", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("anonymous", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("include_external", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "auditlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditlog_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditlog_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditlog_subject"), ["subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditlog_subject"))
        batch_op.drop_index(batch_op.f("ix_auditlog_at"))
        batch_op.drop_index(batch_op.f("ix_auditlog_actor_id"))
    op.drop_table("auditlog")
    with op.batch_alter_table("question", schema=None) as batch_op:
        batch_op.drop_column("include_external")
        batch_op.drop_column("anonymous")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("is_coordinator")
