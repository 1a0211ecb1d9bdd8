"""Ervaringwijzer: feedback invitations, responses and opt-outs

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.tables import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedbackinvitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=True),
        sa.Column("contact", sa.String(), nullable=True),
        sa.Column("contact_hash", sa.String(), nullable=True),
        sa.Column("closed_at", UTCDateTime(), nullable=False),
        sa.Column("send_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("token_hash", sa.String(), nullable=True),
        sa.Column("reminder_token_hash", sa.String(), nullable=True),
        sa.Column("expires_at", UTCDateTime(), nullable=True),
        sa.Column("reminder_at", UTCDateTime(), nullable=True),
        sa.Column("reminded_at", UTCDateTime(), nullable=True),
        sa.Column("responded_at", UTCDateTime(), nullable=True),
        sa.Column("opted_out_at", UTCDateTime(), nullable=True),
        sa.Column("cancelled_at", UTCDateTime(), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=True),
        sa.Column("contact_erased_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reminder_token_hash"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("feedbackinvitation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedbackinvitation_case_ref"), ["case_ref"], unique=True
        )
        batch_op.create_index(
            batch_op.f("ix_feedbackinvitation_contact_hash"), ["contact_hash"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedbackinvitation_reminder_at"), ["reminder_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedbackinvitation_send_at"), ["send_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedbackinvitation_sent_at"), ["sent_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_feedbackinvitation_team"), ["team"], unique=False)
    op.create_table(
        "feedbackresponse",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["invitation_id"], ["feedbackinvitation.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("invitation_id"),
    )
    with op.batch_alter_table("feedbackresponse", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedbackresponse_received_at"), ["received_at"], unique=False
        )
    op.create_table(
        "optout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_hash", sa.String(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("optout", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_optout_contact_hash"), ["contact_hash"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("optout", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_optout_contact_hash"))
    op.drop_table("optout")
    with op.batch_alter_table("feedbackresponse", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedbackresponse_received_at"))
    op.drop_table("feedbackresponse")
    with op.batch_alter_table("feedbackinvitation", schema=None) as batch_op:
        for name in ("team", "sent_at", "send_at", "reminder_at", "contact_hash", "case_ref"):
            batch_op.drop_index(batch_op.f(f"ix_feedbackinvitation_{name}"))
    op.drop_table("feedbackinvitation")
