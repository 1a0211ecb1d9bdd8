"""Alembic environment: the engine is handed in by models.db.upgrade (or built from the URL)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import models.tables  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # running the plain `alembic` CLI
    from models.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///vraagbaak.sqlite3")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
