"""CLI commands for the case event log and the KPI figures; bot/cli/ calls `register`.

vraagbaak import events FILE
vraagbaak export events [--out FILE]
vraagbaak eval kpi --events FILE --quarters 2017-Q1,2017-Q2
vraagbaak eval registrations FILE... [--folds K]
vraagbaak kpi [--team …] --from 2017-01-01 --to 2017-06-30 [--period …] [--format …]
vraagbaak kpi --from … --to … [--period …] --verify   (exit 1 when maintained ≠ recomputed)
vraagbaak kpi --rebuild                               (the case facts again from the log)
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.settings import Settings
from models.clock import SystemClock

if TYPE_CHECKING:
    from casework.kpi.periods import Period
    from models.db import SessionFactory


def _echo_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=None))


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code)


def import_events_command(file: Path) -> None:
    """Importeer casusgebeurtenissen uit JSONL (idempotent; afgewezen regels gemeld)."""
    from casework.events import import_events_file
    from models.db import make_engine, session_factory, upgrade

    if not file.is_file():
        raise _fail(f"Bestand niet gevonden: {file}")
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        report = import_events_file(session, file, now=SystemClock().now())
        session.commit()
    _echo_json(report.as_dict())
    if report.rejected:
        raise typer.Exit(1)


def export_events_command(
    out: Annotated[Path | None, typer.Option("--out", help="bestand; anders stdout")] = None,
) -> None:
    """Exporteer alle geldende casusgebeurtenissen als JSONL (het importformaat); de export
    komt in het auditlog."""
    from bot.cli.privacy import operator_id
    from casework.events import export_events
    from models.audit import EXPORT, append
    from models.db import make_engine, session_factory, upgrade

    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        if out is None:
            count = export_events(session, sys.stdout)
        else:
            with out.open("w", encoding="utf-8") as handle:
                count = export_events(session, handle)
        detail = {"rows": count, "to": "stdout" if out is None else "file"}
        append(
            session,
            actor_id=operator_id(),
            action=EXPORT,
            subject="caseevent",
            detail=detail,
            now=SystemClock().now(),
        )
        session.commit()
    if out is not None:
        typer.echo(f"{count} gebeurtenissen geschreven naar {out}.", err=True)


def eval_kpi_command(
    events: Annotated[Path, typer.Option(help="JSONL met casusgebeurtenissen")],
    quarters: Annotated[str, typer.Option(help="kwartalen, bijv. 2017-Q1,2017-Q2")],
) -> None:
    """KPI's per kwartaal uit een verse, tijdelijke database (formaat kpi_expected)."""
    from casework.events import import_events_file
    from casework.kpi.periods import parse_quarter
    from evaluation.kpi import evaluate_kpis
    from models.db import make_engine, session_factory, upgrade

    labels = [label.strip() for label in quarters.split(",") if label.strip()]
    try:
        labels = [parse_quarter(label).label for label in labels]
    except ValueError as error:
        raise _fail(str(error)) from None
    if not events.is_file():
        raise _fail(f"Bestand niet gevonden: {events}")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/kpi.sqlite3")
        upgrade(engine)
        now = SystemClock().now()
        with session_factory(engine)() as session:
            report = import_events_file(session, events, now=now)
            session.commit()
            if report.rejected:
                typer.echo(f"{len(report.rejected)} regels afgewezen.", err=True)
            result = evaluate_kpis(session, labels, now=now)
        engine.dispose()
    _echo_json(result)


def kpi_command(
    start: Annotated[str, typer.Option("--from", help="eerste dag, bijv. 2017-01-01")] = "",
    end: Annotated[str, typer.Option("--to", help="laatste dag (telt mee)")] = "",
    team: Annotated[str | None, typer.Option(help="één team; anders alle teams")] = None,
    period: Annotated[str, typer.Option(help="week, month of quarter")] = "quarter",
    output: Annotated[str, typer.Option("--format", help="table, json of csv")] = "table",
    verify: Annotated[
        bool, typer.Option("--verify", help="bijgehouden cijfers tegen een herberekening")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="de casusfeiten opnieuw uit de gebeurtenissen")
    ] = False,
) -> None:
    """Kerncijfers per team en voor de stad, per week, maand of kwartaal."""
    if rebuild:
        return _kpi_rebuild()
    from casework.ervaringwijzer.kpi import ErvaringwijzerSource
    from casework.kpi.engine import compute_kpis
    from casework.kpi.format import render_csv, render_table, report_rows
    from casework.kpi.periods import GRANULARITIES, periods_between
    from knowledge.teams import resolve_team
    from models.db import make_engine, session_factory, upgrade

    if period not in GRANULARITIES:
        raise _fail(f"Onbekende periode: {period} (kies week, month of quarter).")
    if output not in ("table", "json", "csv"):
        raise _fail(f"Onbekend formaat: {output} (kies table, json of csv).")
    canonical = resolve_team(team) if team else None
    if team and canonical is None:
        raise _fail(f"Onbekend team: {team}.")
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
        periods = periods_between(first, last, period)
    except ValueError as error:
        raise _fail(f"Ongeldige datum (--from en --to): {error}") from None
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    if verify:
        return _kpi_verify(session_factory(engine), periods)
    with session_factory(engine)() as session:
        teams = [canonical] if canonical else None
        reports = compute_kpis(
            session,
            periods,
            now=SystemClock().now(),
            teams=teams,
            extra_sources=[ErvaringwijzerSource()],
        )
    if output == "json":
        _echo_json([report.as_dict() for report in reports])
    elif output == "csv":
        typer.echo(render_csv(report_rows(reports)), nl=False)
    else:
        typer.echo(render_table(report_rows(reports)))


def _kpi_verify(sessions: SessionFactory, periods: list[Period]) -> None:
    """Exit 1 and name every (period, team) where the maintained tallies differ."""
    from casework.kpi.verify import verify

    with sessions() as session:
        differences = verify(session, periods)
    for d in differences:
        typer.echo(f"verschil {d.period} {d.team}: {', '.join(d.fields())}", err=True)
    if differences:
        raise typer.Exit(1)
    typer.echo(f"Bijgehouden cijfers gelijk aan de herberekening ({len(periods)} perioden).")


def _kpi_rebuild() -> None:
    from casework.kpi.verify import rebuild
    from models.db import make_engine, session_factory, upgrade

    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        rows = rebuild(session)
        session.commit()
    typer.echo(f"Casusfeiten opnieuw opgebouwd: {rows} rijen.")


def eval_registrations_command(
    files: list[Path],
    deduce: Annotated[bool, typer.Option(help="ook deduce gebruiken (zoals in productie)")] = True,
    folds: Annotated[
        int | None,
        typer.Option(
            help="K vouwen: de zekerheid van de synoniemen gekozen op K-1 vouwen en gemeten "
            "op de overige (gemiddelde en spreiding); over alle bestanden samen"
        ),
    ] = None,
) -> None:
    """Snelle registraties: exact_match, nauwkeurigheid per veld, weigeringen (precision/recall)."""
    from casework.registration import RegistrationParser
    from evaluation.registrations import evaluate_registrations, load_cases
    from evaluation.registrations_cv import cross_validate

    missing = [str(file) for file in files if not file.is_file()]
    if missing:
        raise _fail(f"Bestand niet gevonden: {', '.join(missing)}")
    parser = RegistrationParser(use_deduce=deduce)
    cases = [case for file in files for case in load_cases(file)]
    if folds is not None:
        if folds < 2:
            raise _fail("--folds moet minstens 2 zijn.")
        _echo_json(cross_validate(cases, parser, folds))
        return
    _echo_json(evaluate_registrations(cases, parser))


def register(
    app: typer.Typer, import_app: typer.Typer, export_app: typer.Typer, eval_app: typer.Typer
) -> None:
    """Add the casework commands to the `vraagbaak` command and its groups."""
    import_app.command("events")(import_events_command)
    export_app.command("events")(export_events_command)
    eval_app.command("kpi")(eval_kpi_command)
    eval_app.command("registrations")(eval_registrations_command)
    app.command("kpi")(kpi_command)
