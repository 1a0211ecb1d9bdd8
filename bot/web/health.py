"""Liveness and readiness, for a load balancer or Kubernetes probes.

`/healthz` says the process answers (liveness: restart when it stops). `/readyz` says this
instance can take Slack's traffic now (readiness: send nothing before): the database answers,
its schema is at the newest migration (an instance of an older release must not write to a
newer schema, nor a newer release to an older one), and the models are loaded, so the first
question is not the slow one.

Invariant: the checks only read; a failing check names itself and never raises.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

from models.db import alembic_config


@dataclass
class Readiness:
    """What `/readyz` reports. `models_loaded` is set once the warm-up has finished."""

    engine: Engine
    models_loaded: threading.Event = field(default_factory=threading.Event)

    def check(self) -> dict[str, bool]:
        database, migrated = self._database()
        return {
            "database": database,
            "migrations": migrated,
            "models": self.models_loaded.is_set(),
        }

    def _database(self) -> tuple[bool, bool]:
        try:
            with self.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
                current = set(MigrationContext.configure(connection).get_current_heads())
        except sa.exc.SQLAlchemyError:
            return False, False
        heads = set(ScriptDirectory.from_config(alembic_config(self.engine)).get_heads())
        return True, current == heads
