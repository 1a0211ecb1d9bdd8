"""CLI commands for the AVG duties; bot/cli/ calls `register`.

vraagbaak privacy erase --case REF | --member ID [--door WIE]
vraagbaak privacy retention [--door WIE]
vraagbaak privacy train [--folds K] [--write]
vraagbaak audit [--since DATE] [--action ACTION] [--format table|json]

Every command that changes or exports personal data writes an audit entry; the actor of a
command is `cli:<os user>` unless `--door` names someone (the privacy officer's member id).
Reports hold counts per table, never content.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Annotated

import typer

from bot.settings import Settings
from models.clock import AMSTERDAM, SystemClock

privacy_app = typer.Typer(
    help="AVG: wissen op verzoek en bewaartermijnen handhaven.", no_args_is_help=True
)

# What each count of a report is about, in the words of docs/privacy.md.
LABELS = {
    "caseevent": "casusgebeurtenissen verwijderd",
    "feedbackinvitation": "Ervaringwijzer-uitnodigingen (met contactgegeven) verwijderd",
    "feedbackresponse": "Ervaringwijzer-antwoorden verwijderd",
    "outbox": "berichten in de outbox leeggemaakt",
    "question": "vragen verwijderd",
    "answer": "antwoorden verwijderd",
    "invitation": "uitnodigingen verwijderd",
    "rating": "beoordelingen verwijderd",
    "suggestionfeedback": "'Nuttig'-klikken verwijderd",
    "auditlog": "auditregels verwijderd",
    "expertiseevidence": "geleerde expertise verwijderd",
    "expertiseprofile": "expertiseprofiel verwijderd",
    "question.asker_id": "vragen: vrager gepseudonimiseerd",
    "question.taken_by": "vragen: oppakker gepseudonimiseerd",
    "answer.member_id": "antwoorden: auteur gepseudonimiseerd",
    "invitation.member_id": "uitnodigingen: genodigde gepseudonimiseerd",
    "invitation.forwarded_by": "uitnodigingen: doorsturer gepseudonimiseerd",
    "rating.member_id": "beoordelingen: deskundige gepseudonimiseerd",
    "suggestionfeedback.member_id": "'Nuttig'-klikken gepseudonimiseerd",
    "caseevent.registered_by": "registraties: registrant gepseudonimiseerd",
    "feedbackinvitation.requested_by": "Ervaringwijzer: aanvrager gepseudonimiseerd",
    "digestschedule.updated_by": "weekoverzicht-instelling: wijziger gepseudonimiseerd",
    "member.is_active": "collega gedeactiveerd",
    "member.is_coordinator": "coördinatorrecht ingetrokken",
    "member.chat_user_id": "Slack-id gewist",
    "member.languages": "talen gewist",
    "member.away_until": "afwezigheid gewist",
}

Door = Annotated[
    str | None,
    typer.Option("--door", help="wie dit uitvoert (voor het auditlog); anders cli:<gebruiker>"),
]


def operator_id(door: str | None = None) -> str:
    """The actor of a command line action: who runs it, as the audit log will name them."""
    if door and door.strip():
        return door.strip()
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli:onbekend"


def report_lines(counts: Mapping[str, int]) -> list[str]:
    """One line per table that changed: the Dutch label, the table, the count."""
    return [f"  {LABELS.get(key, key)} [{key}]: {n}" for key, n in counts.items() if n]


@privacy_app.command("erase")
def erase_command(
    case: Annotated[str | None, typer.Option("--case", help="casusnummer van de cliënt")] = None,
    member: Annotated[
        str | None, typer.Option("--member", help="id van de collega, bijv. m005")
    ] = None,
    door: Door = None,
) -> None:
    """Wis op verzoek: een casus (--case) of een collega (--member); herhalen is veilig."""
    from bot.refusals import refusal_text
    from models.db import make_engine, session_factory, upgrade
    from models.erasure import ErasureRefused, erase_case, erase_member

    if (case is None) == (member is None):
        typer.echo("Kies precies een van --case en --member.", err=True)
        raise typer.Exit(2)
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    actor, now = operator_id(door), SystemClock().now()
    with session_factory(engine)() as session:
        try:
            if case is not None:
                erasure = erase_case(session, case, actor_id=actor, now=now)
                what = f"casus {erasure.subject.removeprefix('case:')}"
            else:
                erasure = erase_member(session, member or "", actor_id=actor, now=now)
                what = f"collega {erasure.subject.removeprefix('member:')}"
        except ErasureRefused as refused:
            typer.echo(refusal_text(refused), err=True)
            raise typer.Exit(2) from None
        session.commit()
    if erasure.total == 0:
        typer.echo(f"Niets (meer) te wissen voor {what}: er was niets (meer) opgeslagen.")
    else:
        typer.echo(f"Gewist voor {what}, per tabel:")
        typer.echo("\n".join(report_lines(erasure.counts)))
    typer.echo(f"Vastgelegd in het auditlog ({erasure.subject}, door {actor}).")


@privacy_app.command("retention")
def retention_command(door: Door = None) -> None:
    """Handhaaf de bewaartermijnen nu (de dagelijkse taak doet hetzelfde)."""
    from models.db import make_engine, session_factory, upgrade
    from models.retention import apply_retention

    settings = Settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    actor, now = operator_id(door), SystemClock().now()
    with session_factory(engine)() as session:
        counts = apply_retention(
            session,
            now=now,
            policy=settings.retention_policy(),
            actor_id=actor,
            subject=f"retention:{now.astimezone(AMSTERDAM).date().isoformat()}",
        )
        session.commit()
    if not any(counts.values()):
        typer.echo("Niets over de bewaartermijn: er is niets verwijderd.")
        return
    typer.echo("Verwijderd of leeggemaakt omdat de bewaartermijn voorbij is, per tabel:")
    typer.echo("\n".join(report_lines(counts)))
    typer.echo(f"Vastgelegd in het auditlog (door {actor}).")


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(0), tzinfo=AMSTERDAM)
    except ValueError:
        typer.echo(f"Ongeldige datum: {text} (schrijf bijvoorbeeld 2026-11-01).", err=True)
        raise typer.Exit(2) from None


def _table(rows: list[dict[str, object]]) -> str:
    header = ("tijdstip", "door", "actie", "onderwerp", "details")
    cells = [header] + [
        (
            datetime.fromisoformat(str(r["at"])).astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M"),
            str(r["actor"]),
            str(r["action"]),
            str(r["subject"]),
            r["detail"] if isinstance(r["detail"], str) else json.dumps(r["detail"]),
        )
        for r in rows
    ]
    widths = [max(len(str(row[i])) for row in cells) for i in range(len(header) - 1)]
    return "\n".join(
        "  ".join(str(c).ljust(w) for c, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in cells
    )


def audit_command(
    since: Annotated[
        str | None, typer.Option("--since", help="vanaf deze dag, bijv. 2026-11-01")
    ] = None,
    action: Annotated[str | None, typer.Option("--action", help="alleen deze actie")] = None,
    output: Annotated[str, typer.Option("--format", help="table of json")] = "table",
) -> None:
    """Het auditlog voor de privacy officer: onthullingen, wissingen, rollen, exports."""
    from models.audit import ACTIONS, detail_of, query
    from models.db import make_engine, session_factory, upgrade

    if output not in ("table", "json"):
        typer.echo(f"Onbekend formaat: {output} (kies table of json).", err=True)
        raise typer.Exit(2)
    if action is not None and action not in ACTIONS:
        typer.echo(f"Onbekende actie: {action} (kies uit {', '.join(ACTIONS)}).", err=True)
        raise typer.Exit(2)
    start = _since(since)
    engine = make_engine(Settings().database_url)
    upgrade(engine)
    with session_factory(engine)() as session:
        rows = [
            {
                "id": row.id,
                "at": row.at.isoformat(),
                "actor": row.actor_id,
                "action": row.action,
                "subject": row.subject,
                "detail": detail_of(row),
            }
            for row in query(session, since=start, action=action)
        ]
    if output == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False))
    elif not rows:
        typer.echo("Geen regels in het auditlog voor deze keuze.")
    else:
        typer.echo(_table(rows))


@privacy_app.command("train")
def train_command(
    folds: Annotated[
        int | None,
        typer.Option(
            help="K vouwen over hele teksten; zonder: elke set één vouw (leave-one-set-out)"
        ),
    ] = None,
    write: Annotated[
        bool, typer.Option(help="schrijf het getrainde model naar knowledge/privacy/")
    ] = False,
) -> None:
    """Het geleerde detectiemodel: kruisvalidatie per soort (gemiddelde en spreiding), drempels,
    en met --write het model getraind op alle ontwikkelsets."""
    import hashlib

    from evaluation.privacy_cv import train_and_report
    from evaluation.privacy_train import load_texts, rule_spans
    from knowledge.privacy import Deidentifier
    from knowledge.privacy.learned import MODEL_FILE, model_bytes

    rules = Deidentifier(use_deduce=Settings().deduce, use_learned=False)
    model, report = train_and_report(load_texts(rule_spans(rules)), folds)
    if write:
        raw = model_bytes(model)
        MODEL_FILE.write_bytes(raw)
        report["model"] = {"file": MODEL_FILE.name, "sha256": hashlib.sha256(raw).hexdigest()}
    typer.echo(json.dumps(report, ensure_ascii=False, indent=1))


def register(app: typer.Typer) -> None:
    """Add `privacy` and `audit` to the `vraagbaak` command."""
    app.add_typer(privacy_app, name="privacy")
    app.command("audit")(audit_command)
