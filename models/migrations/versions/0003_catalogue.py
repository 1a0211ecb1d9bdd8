"""social map, Buurtacademie, suggestion feedback, answer reuse

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "socialmapoffer",
        sa.Column("offer_id", sa.String(), nullable=False),
        sa.Column("organisation", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("wijk", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("audience", sa.String(), nullable=False),
        sa.Column("cost", sa.String(), nullable=False),
        sa.Column("leefgebieden", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("offer_id"),
    )
    op.create_index("ix_socialmapoffer_wijk", "socialmapoffer", ["wijk"], unique=False)
    op.create_table(
        "academymodule",
        sa.Column("module_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("leefgebieden", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("module_id"),
    )
    op.create_table(
        "suggestionfeedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("context_key", sa.String(), nullable=False),
        sa.Column("query_text", sa.Text(), nullable=False),
        sa.Column("item_kind", sa.String(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("context_key", "item_kind", "item_id", "member_id"),
    )
    op.create_index(
        "ix_suggestionfeedback_context_key", "suggestionfeedback", ["context_key"], unique=False
    )
    op.create_index(
        "ix_suggestionfeedback_member_id", "suggestionfeedback", ["member_id"], unique=False
    )
    with op.batch_alter_table("question") as batch_op:
        batch_op.add_column(sa.Column("reused_from", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("question") as batch_op:
        batch_op.drop_column("reused_from")
    op.drop_index("ix_suggestionfeedback_member_id", table_name="suggestionfeedback")
    op.drop_index("ix_suggestionfeedback_context_key", table_name="suggestionfeedback")
    op.drop_table("suggestionfeedback")
    op.drop_table("academymodule")
    op.drop_index("ix_socialmapoffer_wijk", table_name="socialmapoffer")
    op.drop_table("socialmapoffer")
