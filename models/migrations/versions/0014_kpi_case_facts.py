"""KPI case facts and their sums per team and day (models/kpi_tables.py): what each live case
event means for the figures, kept up to date with every write, so the figures need no pass
over the raw event log.

The facts of the events already stored are built here, from the event log, in the migration's
transaction. If the fact columns ever change, a later revision must rebuild them (and this one
then only creates the table it knows).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.kpi_facts import rebuild_all
from models.kpi_tables import DAY_COLUMNS

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "kpicasefact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("case_ref", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("prev_day", sa.Integer(), nullable=True),
        sa.Column("close_day", sa.Integer(), nullable=True),
        sa.Column("prev_close_day", sa.Integer(), nullable=True),
        sa.Column("measured_day", sa.Integer(), nullable=True),
        sa.Column("seconds", sa.Integer(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("zelfstandig", sa.Boolean(), nullable=True),
        sa.Column("volgens_plan", sa.Boolean(), nullable=True),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("irregular", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["event_id"], ["caseevent.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kpicasefact_case_ref", "kpicasefact", ["case_ref"])
    op.create_index("ix_kpicasefact_event_id", "kpicasefact", ["event_id"])
    for column in ("day", "close_day", "measured_day"):
        op.create_index(
            f"ix_kpicasefact_kind_irregular_{column}", "kpicasefact", ["kind", "irregular", column]
        )
    op.create_table(
        "kpiday",
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in DAY_COLUMNS),
        sa.PrimaryKeyConstraint("team", "day"),
    )
    op.create_table(
        "kpidaylabel",
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("team", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "team", "label", "day"),
    )
    op.create_index("ix_kpiday_day", "kpiday", ["day"])
    op.create_index(  # covering: the figures read it without touching the table
        "ix_kpidaylabel_kind_day", "kpidaylabel", ["kind", "day", "team", "label", "n"]
    )
    rebuild_all(op.get_bind())


def downgrade() -> None:
    op.drop_table("kpidaylabel")
    op.drop_table("kpiday")
    op.drop_table("kpicasefact")
