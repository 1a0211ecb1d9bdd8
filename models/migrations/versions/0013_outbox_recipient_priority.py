"""Outbox rows name their queue (`recipient`) and `priority`, so delivery takes the first row
of every recipient in priority order instead of the oldest rows of all (bot/workers/delivery.py).

Rows still pending get both from their payload; sent and dead rows keep NULL (never read).

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("recipient", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="2"))
        batch_op.create_index("ix_outbox_recipient", ["recipient"])
    outbox = sa.table(
        "outbox",
        sa.column("id", sa.Integer),
        sa.column("key", sa.String),
        sa.column("payload", sa.Text),
        sa.column("status", sa.String),
        sa.column("recipient", sa.String),
    )
    connection = op.get_bind()
    pending = connection.execute(
        sa.select(outbox.c.id, outbox.c.key, outbox.c.payload).where(outbox.c.status == "pending")
    ).all()
    for row_id, key, payload in pending:
        connection.execute(
            outbox.update().where(outbox.c.id == row_id).values(recipient=_recipient(key, payload))
        )


def _recipient(key: str, payload: str) -> str:
    """As models/outbox.py recipient_of, from the payload's flat address keys."""
    try:
        data = json.loads(payload)
    except ValueError:
        return f"own:{key}"
    if data.get("to_member"):
        return f"member:{data['to_member']}"
    if data.get("channel"):
        return f"conversation:{data['channel']}"
    return f"own:{key}"


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_recipient")
        batch_op.drop_column("priority")
        batch_op.drop_column("recipient")
