from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from knowledge.demo import demo_experts_path, seed_teams
from knowledge.experts_import import import_experts_csv
from models.clock import FixedClock
from models.db import session_factory
from models.tables import ExpertiseProfile, Member, Team

HEADER = "member_id,display_name,team,role,expertise,tags,leefgebieden\n"


def test_importing_the_demo_directory_twice_changes_nothing(db: Engine, clock: FixedClock) -> None:
    sessions = session_factory(db)
    with sessions() as session:
        assert seed_teams(session) == 18
        first = import_experts_csv(session, demo_experts_path(), clock.now())
        session.commit()
    with sessions() as session:
        assert seed_teams(session) == 0
        second = import_experts_csv(session, demo_experts_path(), clock.now())
        session.commit()
        assert (first.created, first.rejected) == (90, [])
        assert (second.created, second.updated, second.unchanged) == (0, 0, 90)
        assert len(session.exec(select(Member)).all()) == 90
        assert len(session.exec(select(Team)).all()) == 18
        externals = session.exec(select(Member).where(Member.is_external == True)).all()  # noqa: E712
        assert len(externals) == 10


def test_rejected_rows_are_reported_and_the_rest_imports(
    db: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    csv = tmp_path / "experts.csv"
    csv.write_text(
        HEADER
        + "x1,Ann,Ridi,generalist,Ik ken de WSNP.,wsnp,geld\n"
        + "x2,Bob,Atlantis,generalist,Iets.,,\n"
        + ",Cor,Zuilen,generalist,Iets.,,\n"
        + "x3,Dirk,Zuilen,generalist,Iets.,,toverkunst\n"
        + "x1,Ann,Zuilen,generalist,Dubbel.,,\n",
        encoding="utf-8",
    )
    with session_factory(db)() as session:
        report = import_experts_csv(session, csv, clock.now())
        session.commit()
        assert report.created == 1
        reasons = dict(report.rejected)
        assert set(reasons) == {3, 4, 5, 6}
        assert "onbekend team 'Atlantis'" in reasons[3]
        assert "member_id" in reasons[4]
        assert "toverkunst" in reasons[5]
        assert "twee keer" in reasons[6]
        ann = session.get(Member, "x1")
        assert ann is not None and ann.team == "Dichters- en Rivierenwijk"


def test_a_changed_row_updates_the_profile(db: Engine, clock: FixedClock, tmp_path: Path) -> None:
    csv = tmp_path / "experts.csv"
    csv.write_text(HEADER + "x1,Ann,Zuilen,generalist,Ik ken de WSNP.,wsnp,geld\n", "utf-8")
    sessions = session_factory(db)
    with sessions() as session:
        import_experts_csv(session, csv, clock.now())
        session.commit()
    csv.write_text(
        HEADER + "x1,Ann,Zuilen,generalist,Ik ken de WSNP en bewind.,wsnp;bewind,geld\n", "utf-8"
    )
    with sessions() as session:
        report = import_experts_csv(session, csv, clock.now())
        session.commit()
        assert report.updated == 1
        profile = session.get(ExpertiseProfile, "x1")
        assert profile is not None and profile.tags == "wsnp;bewind"


def test_the_cli_imports_and_reports_json(db: Engine, tmp_path: Path, monkeypatch) -> None:
    url = db.url.render_as_string(hide_password=False)
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", url)
    csv = tmp_path / "experts.csv"
    csv.write_text(
        HEADER + "x1,Ann,Zuilen,generalist,Ik ken de WSNP.,wsnp,geld\n"
        "x2,Bob,Nergens,generalist,Iets.,,\n",
        "utf-8",
    )
    result = CliRunner().invoke(app, ["import", "experts", str(csv)])
    assert result.exit_code == 1  # something was rejected
    report = json.loads(result.stdout)
    assert report["created"] == 1 and report["rejected"][0]["line"] == 3
    again = CliRunner().invoke(app, ["import", "experts", str(csv)])
    assert json.loads(again.stdout)["unchanged"] == 1
