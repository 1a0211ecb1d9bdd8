"""The casework commands as a user runs them: import, export, the KPI evaluation and table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.casework import register

FIXTURES = Path(__file__).parents[1] / "fixtures" / "kpi"
EVENTS = FIXTURES / "case_events_2017.jsonl"


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    groups = {name: typer.Typer() for name in ("import", "export", "eval")}
    for name, group in groups.items():
        app.add_typer(group, name=name)
    register(app, groups["import"], groups["export"], groups["eval"])
    return app


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", f"sqlite:///{path}")
    return path


def _small_file(tmp_path: Path) -> Path:
    lines = EVENTS.read_text(encoding="utf-8").splitlines()
    picked = [line for line in lines if '"2017-05' in line or '"2017-04' in line]
    bad = json.dumps({"case_ref": "x", "team": "Atlantis", "kind": "aanmelding",
                      "occurred_at": "2017-05-01T09:00:00"})  # fmt: skip
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join([*picked, bad]) + "\n", encoding="utf-8")
    return path


def test_import_reports_and_fails_on_rejected_rows_then_export_round_trips(
    cli: typer.Typer, database: Path, tmp_path: Path
) -> None:
    source = _small_file(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["import", "events", str(source)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["rejected"] == [{"line": report["read"], "reason": "onbekend team: 'Atlantis'"}]
    assert report["imported"] + report["duplicates"] == report["read"] - 1

    exported = runner.invoke(cli, ["export", "events"])
    assert exported.exit_code == 0
    assert len(exported.stdout.splitlines()) == report["imported"]
    out = tmp_path / "out.jsonl"
    assert runner.invoke(cli, ["export", "events", "--out", str(out)]).exit_code == 0
    again = runner.invoke(cli, ["import", "events", str(out)])
    assert again.exit_code == 0
    assert json.loads(again.stdout)["imported"] == 0

    missing = runner.invoke(cli, ["import", "events", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2 and "niet gevonden" in missing.stderr


def test_eval_kpi_prints_the_expected_format_from_a_fresh_database(
    cli: typer.Typer, database: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["eval", "kpi", "--events", str(EVENTS), "--quarters", "2017-Q1,2017-Q2"]
    )
    assert result.exit_code == 0, result.output
    expected = json.loads((FIXTURES / "kpi_expected_2017.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == expected
    assert not database.exists()  # the evaluation never touches the configured database


def test_kpi_table_json_and_csv(cli: typer.Typer, database: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    runner.invoke(cli, ["import", "events", str(_small_file(tmp_path))])
    window = ["--from", "2017-04-01", "--to", "2017-05-31", "--period", "month"]

    table = runner.invoke(cli, ["kpi", *window, "--team", "OV Centrum"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split()[:4] == ["Periode", "Team", "Gestart", "Lopend"]
    assert "Gem. tijd (dagen)" in lines[0]
    assert [line.split("  ")[0] for line in lines[2:]] == [
        "2017-04",
        "2017-04",
        "2017-05",
        "2017-05",
    ]
    assert "Overvecht Centrum" in lines[2] and "Stad Utrecht" in lines[3]

    data = json.loads(runner.invoke(cli, ["kpi", *window, "--format", "json"]).stdout)
    assert [report["periode"] for report in data] == ["2017-04", "2017-05"]
    assert len(data[0]["teams"]) == 18
    april = data[0]
    assert april["stad"]["casussen"]["gestart"] == sum(
        team["casussen"]["gestart"] for team in april["teams"].values()
    )
    # the Ervaringwijzer figures ride along (none sent in 2017)
    assert april["stad"]["ervaringwijzer"]["uitnodigingen"] == 0

    csv_out = runner.invoke(cli, ["kpi", *window, "--format", "csv", "--team", "Zuilen"])
    rows = csv_out.stdout.splitlines()
    assert rows[0].startswith("Periode,Team,Gestart,Lopend,Afgesloten")
    assert len(rows) == 1 + 2 * 2

    unknown = runner.invoke(cli, ["kpi", *window, "--team", "Atlantis"])
    assert unknown.exit_code == 2 and "Onbekend team" in unknown.stderr
