"""`vraagbaak kpi --verify` and `--rebuild` as an operator runs them (SQLite file database)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from bot.cli.casework import register
from models.db import make_engine
from models.kpi_tables import DAYS

EVENTS = Path(__file__).parents[1] / "fixtures" / "kpi" / "case_events_2017.jsonl"
WINDOW = ["--from", "2017-04-01", "--to", "2017-06-30", "--period", "month"]


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    app = typer.Typer()
    groups = {name: typer.Typer() for name in ("import", "export", "eval")}
    for name, group in groups.items():
        app.add_typer(group, name=name)
    register(app, groups["import"], groups["export"], groups["eval"])
    return app


def test_verify_passes_fails_on_a_difference_and_rebuild_repairs(
    cli: typer.Typer, tmp_path: Path
) -> None:
    runner = CliRunner()
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    small = tmp_path / "events.jsonl"
    small.write_text("\n".join(line for line in lines if '"2017-0' in line) + "\n", "utf-8")
    assert runner.invoke(cli, ["import", "events", str(small)]).exit_code == 0

    ok = runner.invoke(cli, ["kpi", *WINDOW, "--verify"])
    assert ok.exit_code == 0, ok.output
    assert "gelijk" in ok.stdout

    engine = make_engine(f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    with engine.begin() as connection:  # a change the facts did not follow
        connection.execute(sa.update(DAYS).values(hbh_aanvragen=DAYS.c.hbh_aanvragen + 1))
    engine.dispose()
    broken = runner.invoke(cli, ["kpi", *WINDOW, "--verify"])
    assert broken.exit_code == 1
    assert "hbh_aanvragen" in broken.output

    rebuilt = runner.invoke(cli, ["kpi", "--rebuild"])
    assert rebuilt.exit_code == 0 and "opnieuw opgebouwd" in rebuilt.stdout
    assert runner.invoke(cli, ["kpi", *WINDOW, "--verify"]).exit_code == 0

    missing = runner.invoke(cli, ["kpi", "--verify"])
    assert missing.exit_code == 2 and "--from" in missing.output
