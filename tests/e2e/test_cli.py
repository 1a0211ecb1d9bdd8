"""The `vraagbaak` command as a user runs it: demo, chat and the evaluations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.cli import app
from knowledge.demo_vectors import read_shipped
from models.db import make_engine
from models.tables import EmbeddingCache

EMBEDDINGS: sa.Table = EmbeddingCache.__table__  # type: ignore[attr-defined]

EVAL = Path(__file__).parents[1] / "fixtures" / "eval"


@pytest.mark.slow
def test_the_demo_sets_up_utrecht_and_routes_a_question(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/demo.sqlite3"
    typed = "\n".join(
        [
            "Mevrouw Jansen kan de huur niet betalen en er dreigt een ontruiming. Wie helpt?",
            "/versturen 1",  # a name was removed: the asker sends what they saw
            "/vragen",
            "/stop",
        ]
    )
    result = CliRunner().invoke(app, ["demo", "--database-url", url], input=typed + "\n")
    assert result.exit_code == 0, result.output
    assert "Demo klaar: 90 nieuwe" in result.output
    assert "Jansen" not in result.output.split("/vragen")[-1]
    assert result.output.count("/pak ") == 3
    assert "[open]" in result.output
    assert "Een jaar aan casusgebeurtenissen toegevoegd" in result.output
    model_id, shipped = read_shipped()  # the demo's vectors went into the embedding cache
    with make_engine(url).connect() as connection:
        stored = connection.execute(
            sa.select(sa.func.count()).where(EMBEDDINGS.c.model_id == model_id)
        ).scalar_one()
    assert stored >= len(shipped) > 1000
    typed = "\n".join(["/cijfers", "/als m027", "/cijfers Zuilen", "/stop"])
    again = CliRunner().invoke(app, ["demo", "--database-url", url], input=typed + "\n")
    assert "Demo klaar: 0 nieuwe en 90 bestaande" in again.output
    assert "casusgebeurtenissen toegevoegd" not in again.output  # the history is there once
    figures = again.output.split("/cijfers")[0] if "/cijfers" in again.output else again.output
    assert "Lunetten" in figures and "Gestart" in again.output
    started = [line for line in again.output.splitlines() if "Gestart" in line]
    assert started and not any("<5" in line for line in started), started
    reset = CliRunner().invoke(app, ["demo", "--reset", "--database-url", url], input="/vragen\n")
    assert "Demodatabase weggegooid" in reset.output
    assert "Demo klaar: 90 nieuwe" in reset.output and "Je hebt nog geen vragen" in reset.output
    refused = CliRunner().invoke(
        app, ["demo", "--reset", "--database-url", "postgresql+psycopg://x@localhost/demo"]
    )
    assert refused.exit_code == 1 and "alleen voor een SQLite-bestand" in refused.output


def test_chat_on_an_empty_database_says_what_to_do_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    monkeypatch.setenv("VRAAGBAAK_EMBEDDER", "hashing")
    result = CliRunner().invoke(app, ["chat", "--as", "m005"], input="/stop\n")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Deze database is leeg" in result.output and "vraagbaak demo" in result.output
    assert "Traceback" not in result.output


def test_chat_as_an_unknown_member_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", url)
    monkeypatch.setenv("VRAAGBAAK_EMBEDDER", "hashing")
    runner = CliRunner()
    assert runner.invoke(app, ["import", "experts", str(EVAL / "experts.csv")]).exit_code == 0
    result = runner.invoke(app, ["chat", "--as", "m999"], input="/stop\n")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Onbekende collega 'm999'. 'vraagbaak members' toont wie er zijn" in result.output


def test_members_lists_colleagues_per_team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowledge.demo import demo_experts_path

    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", f"sqlite:///{tmp_path}/x.sqlite3")
    runner = CliRunner()
    empty = runner.invoke(app, ["members"])
    assert empty.exit_code == 1 and "Deze database is leeg" in empty.output
    assert runner.invoke(app, ["import", "experts", str(demo_experts_path())]).exit_code == 0
    everyone = runner.invoke(app, ["members"])
    assert everyone.exit_code == 0 and "90 collega's." in everyone.output
    lunetten = runner.invoke(app, ["members", "--team", "lunetten"])
    assert lunetten.output.splitlines()[0].split()[:3] == ["m005", "Ingrid", "Verhoef"]
    assert "5 collega's." in lunetten.output
    as_json = runner.invoke(app, ["members", "--team", "Lunetten", "--format", "json"])
    rows = json.loads(as_json.stdout)
    assert [r["id"] for r in rows] == ["m005", "m027", "m049", "m068", "m087"]
    assert set(rows[0]) == {"id", "naam", "team", "rol", "coordinator", "extern", "actief"}
    unknown = runner.invoke(app, ["members", "--team", "Atlantis"])
    assert unknown.exit_code == 1 and "Onbekend team: 'Atlantis'." in unknown.output


def test_version_and_help_are_dutch() -> None:
    from importlib.metadata import version

    runner = CliRunner()
    shown = runner.invoke(app, ["--version"])
    assert shown.exit_code == 0 and shown.output.strip() == f"vraagbaak {version('vraagbaak')}"
    for command in (
        [],
        ["demo"],
        ["demo-vectors"],
        ["chat"],
        ["members"],
        ["kpi"],
        ["privacy", "erase"],
    ):
        result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "120"})
        assert result.exit_code == 0, command
        assert "Toon deze hulp en stop." in result.output, command
        for english in ("Show this message", "Options", "[default:", "[required]", "member id"):
            assert english not in result.output, (command, english)


@pytest.mark.slow
def test_eval_routing_prints_one_json_object_with_baselines(tmp_path: Path) -> None:
    # the quality floor itself is asserted on the whole set in test_routing_quality.py
    sample = tmp_path / "questions.jsonl"
    lines = (EVAL / "routing_dev.jsonl").read_text(encoding="utf-8").splitlines()
    sample.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            *("eval", "routing", "--experts", str(EVAL / "experts.csv")),
            *("--questions", str(sample), "--jitter", "0.02", "--seeds", "2"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 12 and set(report["methods"]) == {"hybrid", "lexical", "dense"}
    for method in report["methods"].values():
        assert set(method) == {"hit@1", "hit@3", "hit@6", "hit@9", "mrr"}
        assert 0 <= method["hit@1"] <= method["hit@3"] <= method["hit@6"] <= method["hit@9"] <= 1
    assert 0 <= report["leefgebied_accuracy"] <= 1
    spread = report["jitter"]
    assert (spread["eps"], spread["seeds"]) == (0.02, 2)
    for method, metrics in spread["methods"].items():
        for metric, figure in metrics.items():
            assert 0 <= figure["min"] <= figure["mean"] <= figure["max"] <= 1, (method, metric)
    assert set(spread["leefgebied_accuracy"]) == {"min", "mean", "max"}


@pytest.mark.slow
def test_eval_privacy_prints_recall_per_kind() -> None:
    result = CliRunner().invoke(app, ["eval", "privacy", str(EVAL / "privacy_dev.jsonl")])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # regression floors (one missed span per kind), as in tests/integration/test_privacy_deduce.py
    for kind in ("bsn", "telefoon", "email", "iban", "postcode", "persoon", "adres"):
        assert report["recall"][kind] >= 1 - 1 / report["support"][kind], kind
    assert report["over_redaction"] <= 0.05


def test_serve_needs_exactly_one_mode_and_says_which_token_is_missing(monkeypatch) -> None:
    both = CliRunner().invoke(app, ["serve", "--socket", "--http"])
    assert both.exit_code == 2 and "precies een" in both.output
    missing = CliRunner().invoke(app, ["serve", "--socket"])
    assert missing.exit_code != 0
    assert "VRAAGBAAK_SLACK_BOT_TOKEN ontbreekt" in str(missing.exception)


def test_eval_registrations_prints_the_scores_of_the_readme() -> None:
    result = CliRunner().invoke(
        app,
        ["eval", "registrations", str(EVAL / "registrations_dev.jsonl"), "--no-deduce"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 120
    assert {"exact_match", "field_accuracy", "refusal_precision", "refusal_recall"} <= set(report)
    assert report["exact_match"] >= 0.9 and report["refusal_recall"] >= 0.95


@pytest.mark.slow
def test_eval_academy_reports_the_spread_under_embedding_noise(tmp_path: Path) -> None:
    sample = tmp_path / "questions.jsonl"
    lines = (EVAL / "academy_dev.jsonl").read_text(encoding="utf-8").splitlines()
    sample.write_text("\n".join(lines[:8]) + "\n", encoding="utf-8")
    modules = Path(__file__).parents[2] / "knowledge" / "data" / "demo" / "academy.csv"
    result = CliRunner().invoke(
        app,
        [
            *("eval", "academy", "--modules", str(modules), "--questions", str(sample)),
            *("--jitter", "0.02", "--seeds", "3"),
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 8
    spread = report["jitter"]
    assert spread["seeds"] == 3 and set(spread["methods"]) == set(report["methods"])
    for method, metrics in report["methods"].items():
        for metric, value in metrics.items():
            figure = spread["methods"][method][metric]
            assert figure["min"] <= figure["mean"] <= figure["max"], (method, metric)
            assert 0 <= value <= 1


def test_eval_privacy_lists_misses_by_case_id_and_kind_without_text(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"

    def case(
        case_id: str, text: str, span: tuple[int, int, str] | None, keep: list[str]
    ) -> dict[str, object]:
        spans = [dict(zip(("start", "end", "kind"), span, strict=True))] if span else []
        return {"id": case_id, "text": text, "spans": spans, "keep": keep}

    rows = [
        case("x1", "Bel 0612345678 even", (4, 14, "telefoon"), []),
        case("x2", "Ik bel vandaag terug", (7, 14, "bsn"), []),
        case("x3", "Het gaat om Qzxw Vbnm hier", None, ["Qzxw"]),
    ]
    cases.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    plain = CliRunner().invoke(app, ["eval", "privacy", str(cases)], env={"VRAAGBAAK_DEDUCE": "0"})
    assert plain.exit_code == 0, plain.output
    assert "missed" not in json.loads(plain.stdout)
    result = CliRunner().invoke(
        app, ["eval", "privacy", str(cases), "--misses"], env={"VRAAGBAAK_DEDUCE": "0"}
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {"id": "x2", "kind": "bsn", "start": 7, "end": 14} in report["missed"]
    assert {"id": "x3", "kind": "keep", "keep_index": 0} in report["missed"]
    assert "Qzxw" not in result.stdout and "vandaag" not in result.stdout
    assert report["recall"]["telefoon"] == 1.0


def test_db_leer_learns_from_good_ratings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`vraagbaak db leer`: the backfill of learned expertise, safe to repeat."""
    from datetime import UTC, datetime

    from sqlmodel import Session, select

    from models.db import make_engine
    from models.tables import Answer, ExpertiseEvidence, Question, Rating

    url = f"sqlite:///{tmp_path}/x.sqlite3"
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", url)
    runner = CliRunner()
    assert runner.invoke(app, ["import", "experts", str(EVAL / "experts.csv")]).exit_code == 0
    now = datetime(2026, 11, 2, 10, tzinfo=UTC)
    with Session(make_engine(url)) as session:
        question = Question(
            source_key="k1",
            asker_id="m001",
            text="Hoe werkt beschermingsbewind?",
            reply_channel="D1",
            reply_thread="",
            created_at=now,
            leefgebieden=("geld",),
        )
        session.add(question)
        session.flush()
        session.add(
            Answer(
                question_id=question.id or 0,
                member_id="m002",
                text="Via de kantonrechter.",
                source_key="a1",
                created_at=now,
            )
        )
        session.add(Rating(question_id=question.id or 0, member_id="m002", score=5, created_at=now))
        session.commit()
    first = runner.invoke(app, ["db", "leer"])
    assert first.exit_code == 0, first.output
    assert "1 antwoorden als expertise geleerd." in first.output
    assert "0 antwoorden" in runner.invoke(app, ["db", "leer"]).output
    with Session(make_engine(url)) as session:
        (evidence,) = session.exec(select(ExpertiseEvidence)).all()
    assert (evidence.member_id, evidence.leefgebieden) == ("m002", ("geld",))


def test_eval_registrations_cross_validates_over_several_files(tmp_path: Path) -> None:
    lines = (EVAL / "registrations_dev.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text("\n".join(lines[:12]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[12:20]) + "\n", encoding="utf-8")
    args = ["eval", "registrations", str(first), str(second), "--no-deduce", "--folds", "4"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 20 and len(report["folds"]) == 4
    assert sum(fold["n"] for fold in report["folds"]) == 20
    assert 0.0 <= report["exact_mean"] <= 1.0 and "stdev" in report["exact_spread"]
    too_few = CliRunner().invoke(app, [*args[:-1], "1"])
    assert too_few.exit_code == 2 and "minstens 2" in too_few.output
