"""`vraagbaak demo-vectors`: compute the demo's vectors and write them into the package
(knowledge/demo_vectors.py says why; `vraagbaak demo` loads them)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel import col, select

from bot.settings import Settings
from knowledge.demo_vectors import SHIPPED, write_shipped


def demo_vectors_command(
    output: Annotated[Path, typer.Option(help="waar het bestand komt")] = SHIPPED,
) -> None:
    """Bereken de vectoren van de demoteksten opnieuw (na een wijziging van de demodata of
    het model) en schrijf ze in het pakket."""
    import numpy as np

    from bot.wiring import build_deps
    from knowledge.demo import seed_demo
    from models.clock import SystemClock
    from models.db import make_engine, session_factory, upgrade
    from models.tables import EmbeddingCache

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/vectors.sqlite3"
        engine = make_engine(url)
        upgrade(engine)
        with session_factory(engine)() as session:
            seed_demo(session, SystemClock().now())
            session.commit()
        deps = build_deps(Settings(database_url=url), engine=engine, migrate=False)
        deps.warm_up()
        deps.embedder.flush()
        model_id = deps.embedder.model_id
        with deps.sessions() as session:
            rows = [
                (row.text_hash, np.frombuffer(row.vector, dtype=np.float32))
                for row in session.exec(
                    select(EmbeddingCache).where(col(EmbeddingCache.model_id) == model_id)
                )
            ]
        engine.dispose()
    write_shipped(output, model_id, rows)
    typer.echo(f"{len(rows)} vectoren van {model_id} geschreven naar {output}")


def register(app: typer.Typer) -> None:
    app.command("demo-vectors")(demo_vectors_command)
