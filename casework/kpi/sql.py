"""SQL building blocks that behave the same on SQLite and PostgreSQL.

The two stores differ exactly where KPI arithmetic lives: date differences (julianday/strftime
versus EXTRACT(EPOCH)) and division (integer versus numeric). So SQL here only ever returns
integers — counts and sums of whole epoch seconds — and Python does every division and
rounding; the figures are then identical on both stores by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from casework.kpi.periods import Period
from models.tables import CaseEvent, UTCDateTime

EVENTS: sa.Table = CaseEvent.__table__  # type: ignore[attr-defined]


class epoch_seconds(FunctionElement[int]):
    """Whole seconds since 1970 of a stored UTC moment."""

    type = sa.BigInteger()
    name = "epoch_seconds"
    inherit_cache = True


@compiles(epoch_seconds, "sqlite")
def _epoch_sqlite(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    # stored as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (UTCDateTime); strftime reads it as UTC
    return f"CAST(strftime('%s', {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(epoch_seconds, "postgresql")
def _epoch_postgresql(element: epoch_seconds, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST(EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)}) AS BIGINT)"


def periods_cte(periods: Sequence[Period]) -> sa.CTE:
    """The periods as a small table (idx, start, end), so one query serves all of them."""
    selects = [
        sa.select(
            sa.cast(sa.literal(index), sa.Integer).label("idx"),
            sa.literal(period.start, UTCDateTime()).label("start"),
            sa.literal(period.end, UTCDateTime()).label("end"),
        )
        for index, period in enumerate(periods)
    ]
    union = selects[0] if len(selects) == 1 else sa.union_all(*selects)
    return union.cte("periods")


def live(alias: sa.FromClause) -> sa.ColumnElement[bool]:
    """Retracted registrations count nowhere."""
    return alias.c.retracted_at.is_(None)


def of_kind(alias: sa.FromClause, kind: str) -> sa.ColumnElement[bool]:
    return sa.and_(alias.c.kind == kind, live(alias))


def within(column: sa.ColumnElement[Any], periods: sa.CTE) -> sa.ColumnElement[bool]:
    return sa.and_(column >= periods.c.start, column < periods.c.end)


def first_after(
    anchor: sa.FromClause, kind: str, *, inclusive: bool = True
) -> sa.ScalarSelect[Any]:
    """The first event of `kind` of the same case at or after the anchor event."""
    other = EVENTS.alias()
    since = (
        other.c.occurred_at >= anchor.c.occurred_at
        if inclusive
        else other.c.occurred_at > anchor.c.occurred_at
    )
    return (
        sa.select(sa.func.min(other.c.occurred_at))
        .where(other.c.case_ref == anchor.c.case_ref, of_kind(other, kind), since)
        .scalar_subquery()
    )


def last_before(anchor: sa.FromClause, kind: str) -> sa.ScalarSelect[Any]:
    """The last event of `kind` of the same case at or before the anchor event."""
    other = EVENTS.alias()
    return (
        sa.select(sa.func.max(other.c.occurred_at))
        .where(
            other.c.case_ref == anchor.c.case_ref,
            of_kind(other, kind),
            other.c.occurred_at <= anchor.c.occurred_at,
        )
        .scalar_subquery()
    )


def count_true(column: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((column.is_(True), 1), else_=0)), 0)


def total(expression: sa.ColumnElement[Any]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(expression), 0)
