from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from knowledge.demo import demo_experts_path, seed_teams
from knowledge.experts_import import import_experts_csv
from models.audit import ROLE_CHANGE, query
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
        assert profile is not None and profile.tags == ("wsnp", "bewind")


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


# --- who is in the file: deactivation, return, coordinators, and the audit trail -------------

ROLES = HEADER.rstrip("\n") + ",coordinator\n"
ANN = "x1,Ann,Zuilen,generalist,Ik ken de WSNP.,wsnp,geld"
BOB = "x2,Bob,Zuilen,generalist,Ik ken de Wmo.,wmo,wonen"


def _import(db: Engine, csv: Path, text: str, clock: FixedClock) -> dict[str, Any]:
    csv.write_text(text, "utf-8")
    with session_factory(db)() as session:
        report = import_experts_csv(session, csv, clock.now(), actor_id="cli:teamcoach")
        session.commit()
    return report.as_dict()


def _role_changes(db: Engine) -> list[tuple[str, str, dict[str, object]]]:
    with session_factory(db)() as session:
        rows = query(session, action=ROLE_CHANGE)
    return [(row.actor_id, row.subject, json.loads(row.detail)) for row in rows]


def _active(db: Engine) -> dict[str, bool]:
    with session_factory(db)() as session:
        return {m.id: m.is_active for m in session.exec(select(Member).order_by(Member.id))}


def test_a_colleague_missing_from_the_file_is_deactivated_and_returns_later(
    db: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    csv = tmp_path / "experts.csv"
    assert _import(db, csv, HEADER + ANN + "\n" + BOB + "\n", clock)["created"] == 2
    gone = _import(db, csv, HEADER + ANN + "\n", clock)
    assert (gone["unchanged"], gone["deactivated"], gone["reactivated"]) == (1, 1, 0)
    assert _active(db) == {"x1": True, "x2": False}
    with session_factory(db)() as session:
        assert session.get(ExpertiseProfile, "x2") is not None  # history stays
    again = _import(db, csv, HEADER + ANN + "\n", clock)
    assert (again["unchanged"], again["deactivated"]) == (1, 0)  # idempotent
    back = _import(db, csv, HEADER + ANN + "\n" + BOB + "\n", clock)
    assert (back["updated"], back["unchanged"], back["reactivated"]) == (1, 1, 1)
    assert _active(db) == {"x1": True, "x2": True}
    assert _role_changes(db) == [
        ("cli:teamcoach", "member:x2", {"is_active": False}),
        ("cli:teamcoach", "member:x2", {"is_active": True}),
    ]


def test_the_coordinator_column_sets_the_flag_and_each_change_is_audited(
    db: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    csv = tmp_path / "experts.csv"
    first = _import(db, csv, ROLES + ANN + ",ja\n" + BOB + ",nee\n", clock)
    assert (first["created"], first["coordinators_added"]) == (2, 1)
    swap = _import(db, csv, ROLES + ANN + ",False\n" + BOB + ",1\n", clock)
    assert (swap["updated"], swap["coordinators_added"], swap["coordinators_removed"]) == (2, 1, 1)
    same = _import(db, csv, ROLES + ANN + ",0\n" + BOB + ",TRUE\n", clock)
    assert (same["unchanged"], same["coordinators_added"], same["coordinators_removed"]) == (
        2,
        0,
        0,
    )
    empty = _import(db, csv, ROLES + ANN + ",\n" + BOB + ",true\n", clock)
    assert empty["unchanged"] == 2  # an empty cell is nee
    without = _import(db, csv, HEADER + ANN + "\n" + BOB + "\n", clock)
    assert without["unchanged"] == 2  # no column: the flags stay as they are
    with session_factory(db)() as session:
        flags = {m.id: m.is_coordinator for m in session.exec(select(Member))}
    assert flags == {"x1": False, "x2": True}
    assert _role_changes(db) == [
        ("cli:teamcoach", "member:x1", {"is_coordinator": True}),
        ("cli:teamcoach", "member:x1", {"is_coordinator": False}),
        ("cli:teamcoach", "member:x2", {"is_coordinator": True}),
    ]


def test_a_rejected_row_or_a_broken_file_deactivates_nobody(
    db: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    csv = tmp_path / "experts.csv"
    _import(db, csv, ROLES + ANN + ",ja\n" + BOB + ",nee\n", clock)
    typo = _import(db, csv, ROLES + ANN + ",ja\n" + BOB + ",misschien\n", clock)
    assert typo["rejected"] == [
        {"line": 3, "reason": "coordinator 'misschien' is geen ja/nee, true/false of 1/0"}
    ]
    assert typo["deactivated"] == 0  # Bob is named, only his row is wrong
    broken = _import(db, csv, ROLES + "x3,,Zuilen,generalist,,,\n", clock)
    assert (broken["deactivated"], len(broken["rejected"])) == (0, 1)  # no valid row at all
    assert _import(db, csv, "naam;team\n", clock)["deactivated"] == 0  # not even a header
    assert _active(db) == {"x1": True, "x2": True}
    assert _role_changes(db) == [("cli:teamcoach", "member:x1", {"is_coordinator": True})]


def test_the_pseudonym_of_an_erased_colleague_is_neither_deactivated_nor_imported(
    db: Engine, clock: FixedClock, tmp_path: Path
) -> None:
    csv = tmp_path / "experts.csv"
    _import(db, csv, HEADER + ANN + "\n" + BOB + "\n", clock)
    with session_factory(db)() as session:
        session.add(
            Member(
                id="pseudoniem-1",
                display_name="Oud-collega",
                team="Zuilen",
                is_active=False,
                is_pseudonym=True,
            )
        )
        session.commit()
    report = _import(db, csv, HEADER + ANN + "\n" + "pseudoniem-1,Eve,Zuilen,x,Iets.,,\n", clock)
    assert report["rejected"] == [
        {"line": 3, "reason": "member_id 'pseudoniem-1' is een pseudoniem van een gewiste collega"}
    ]
    assert report["deactivated"] == 1  # Bob; the pseudonym was never active
    with session_factory(db)() as session:
        pseudonym = session.get(Member, "pseudoniem-1")
    assert pseudonym is not None and pseudonym.display_name == "Oud-collega"
    assert not pseudonym.is_active


def test_the_cli_names_its_user_in_the_audit_trail(db: Engine, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", db.url.render_as_string(hide_password=False))
    csv = tmp_path / "experts.csv"
    csv.write_text(ROLES + ANN + ",ja\n", "utf-8")
    result = CliRunner().invoke(app, ["import", "experts", str(csv)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["coordinators_added"] == 1
    ((actor, subject, detail),) = _role_changes(db)
    assert actor.startswith("cli:") and (subject, detail) == ("member:x1", {"is_coordinator": True})
