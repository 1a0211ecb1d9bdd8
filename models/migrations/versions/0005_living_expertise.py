"""living expertise: evidence from well-rated answers, languages, profile confirmation

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.add_column(sa.Column("languages", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("expertiseprofile", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_nudged_at", UTCDateTime(), nullable=True))
    op.create_table(
        "expertiseevidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("leefgebieden", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("weight_at", UTCDateTime(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("removed_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.ForeignKeyConstraint(["question_id"], ["question.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("member_id", "question_id"),
    )
    with op.batch_alter_table("expertiseevidence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_expertiseevidence_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_expertiseevidence_question_id"), ["question_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("expertiseevidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expertiseevidence_question_id"))
        batch_op.drop_index(batch_op.f("ix_expertiseevidence_member_id"))
    op.drop_table("expertiseevidence")
    with op.batch_alter_table("expertiseprofile", schema=None) as batch_op:
        batch_op.drop_column("last_nudged_at")
        batch_op.drop_column("confirmed_at")
    with op.batch_alter_table("member", schema=None) as batch_op:
        batch_op.drop_column("languages")
