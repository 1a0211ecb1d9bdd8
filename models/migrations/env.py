"""Alembic environment: the engine is handed in by models.db.upgrade (or built from the URL)."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # running the plain `alembic` CLI
    from models.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///vraagbaak.sqlite3")


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render SQLModel's AutoString as plain sa.String so migrations need no sqlmodel import."""
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
