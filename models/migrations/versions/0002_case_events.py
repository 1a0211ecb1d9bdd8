"""case events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 19:49:57.968652
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "caseevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("melder", sa.String(), nullable=True),
        sa.Column("reden", sa.String(), nullable=True),
        sa.Column("zelfstandig_verder", sa.Boolean(), nullable=True),
        sa.Column("volgens_plan", sa.Boolean(), nullable=True),
        sa.Column("ervaringwijzer", sa.Boolean(), nullable=True),
        sa.Column("rapportcijfer", sa.Integer(), nullable=True),
        sa.Column("extra", sa.Text(), nullable=True),
        sa.Column("registered_by", sa.String(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("idempotency_key", sa.String(), nullable=False),
        sa.Column("retracted_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("caseevent", schema=None) as batch_op:
        batch_op.create_index(
            "ix_caseevent_case_ref_kind", ["case_ref", "kind", "occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_caseevent_idempotency_key"), ["idempotency_key"], unique=True
        )
        batch_op.create_index(
            "ix_caseevent_kind_occurred_at", ["kind", "occurred_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("caseevent", schema=None) as batch_op:
        batch_op.drop_index("ix_caseevent_kind_occurred_at")
        batch_op.drop_index(batch_op.f("ix_caseevent_idempotency_key"))
        batch_op.drop_index("ix_caseevent_case_ref_kind")

    op.drop_table("caseevent")
