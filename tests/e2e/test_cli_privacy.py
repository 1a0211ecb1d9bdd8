"""`vraagbaak privacy erase`, `privacy retention`, `audit` and the audited `export events`, run
as a privacy officer runs them, on both stores."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from typer.testing import CliRunner

from bot.cli import app
from bot.wiring import Deps
from models.audit import REVEAL, append
from models.clock import AMSTERDAM, FixedClock
from models.tables import CaseEvent, ExpertiseProfile, FeedbackInvitation, Member, Question
from tests.helpers import ASKER, make_deps
from tests.privacy_data import POLICY, answer_survey, answered_question, closed_case


@pytest.fixture
def deps(db: Engine, monkeypatch: pytest.MonkeyPatch) -> Deps:
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", db.url.render_as_string(hide_password=False))
    return make_deps(db, FixedClock(datetime.now(AMSTERDAM) - timedelta(days=1)))


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def fails(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 2, result.output
    return result.stderr


def audit_json(*args: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = json.loads(run("audit", "--format", "json", *args))
    return rows


def test_erasing_a_case_twice_reports_what_went_and_then_that_nothing_is_left(
    deps: Deps,
) -> None:
    clock = deps.clock
    assert isinstance(clock, FixedClock)
    with deps.sessions() as session:
        invitation = closed_case(session, "4711", clock.now(), registered_by=ASKER)
        clock.advance(POLICY.delay)
        answer_survey(session, invitation, clock.now())

    first = run("privacy", "erase", "--case", "4711", "--door", "privacy-officer")
    assert "Gewist voor casus 4711, per tabel:" in first
    assert "casusgebeurtenissen verwijderd [caseevent]: 2" in first
    assert "Ervaringwijzer-uitnodigingen (met contactgegeven) verwijderd" in first
    assert "Ervaringwijzer-antwoorden verwijderd [feedbackresponse]: 1" in first
    assert "Vastgelegd in het auditlog (case:4711, door privacy-officer)." in first
    with deps.sessions() as session:
        assert session.exec(select(CaseEvent)).all() == []
        assert session.exec(select(FeedbackInvitation)).all() == []

    second = run("privacy", "erase", "--case", "4711")
    assert "Niets (meer) te wissen voor casus 4711" in second and "[caseevent]" not in second
    entries = audit_json("--action", "erase_case")
    assert [(e["actor"], e["subject"]) for e in entries][0] == ("privacy-officer", "case:4711")
    assert str(entries[1]["actor"]).startswith("cli:")
    assert entries[1]["detail"] == {"total": 0}
    assert entries[0]["detail"]["caseevent"] == 2  # type: ignore[index]


def test_erasing_a_colleague_twice(deps: Deps) -> None:
    story = answered_question(deps)
    first = run("privacy", "erase", "--member", story.expert_id)
    assert f"Gewist voor collega {story.expert_id}, per tabel:" in first
    assert "antwoorden: auteur gepseudonimiseerd [answer.member_id]: 1" in first
    assert "expertiseprofiel verwijderd [expertiseprofile]: 1" in first
    assert "collega gedeactiveerd [member.is_active]: 1" in first
    assert "Slack-id gewist [member.chat_user_id]: 1" in first
    assert "pseudoniem-" not in first  # nothing in the report links the pseudonym back
    with deps.sessions() as session:
        member = session.get(Member, story.expert_id)
        assert member is not None and not member.is_active and member.chat_user_id is None
        assert session.get(ExpertiseProfile, story.expert_id) is None
        question = session.get(Question, story.question_id)
        assert question is not None and question.taken_by != story.expert_id

    second = run("privacy", "erase", "--member", story.expert_id)
    assert f"Niets (meer) te wissen voor collega {story.expert_id}" in second
    subjects = [e["subject"] for e in audit_json("--action", "erase_member")]
    assert subjects == [f"member:{story.expert_id}"] * 2


def test_erase_refuses_what_it_cannot_do(deps: Deps) -> None:
    assert "Kies precies een van --case en --member." in fails("privacy", "erase")
    both = fails("privacy", "erase", "--case", "1", "--member", ASKER)
    assert "Kies precies een" in both
    assert "Onbekende collega 'm999'." in fails("privacy", "erase", "--member", "m999")
    assert audit_json() == []  # a refusal writes nothing


def test_the_audit_log_lists_reveals_erasures_role_changes_and_exports(
    deps: Deps, tmp_path: Path
) -> None:
    with deps.sessions() as session:
        old = datetime(2026, 1, 5, 9, 0, tzinfo=AMSTERDAM)
        append(
            session, actor_id="m001", action=REVEAL, subject="question:7", detail="zorgen", now=old
        )
        closed_case(session, "4711", deps.clock.now(), registered_by=ASKER)
        session.commit()
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(app, ["export", "events", "--out", str(out)])
    assert result.exit_code == 0 and len(out.read_text().splitlines()) == 2
    exported = run("export", "events")
    assert exported.count('"case_ref": "4711"') == 2  # stdout is the export itself
    csv = tmp_path / "experts.csv"
    csv.write_text(
        "member_id,display_name,team,role,expertise,tags,leefgebieden,coordinator\n"
        "m001,Coördinator,Zuilen,teamcoach,Ik coördineer.,,,ja\n",
        "utf-8",
    )
    run("import", "experts", str(csv))  # the other 89 colleagues are no longer in the file
    run("privacy", "erase", "--case", "4711")

    everything = audit_json()
    actions = [e["action"] for e in everything]
    assert actions[:3] == ["reveal_asker", "export", "export"]
    assert actions.count("role_change") == 90 and actions[-1] == "erase_case"
    assert everything[1]["detail"] == {"rows": 2, "to": "file"}
    assert everything[2]["detail"] == {"rows": 2, "to": "stdout"}
    assert everything[0]["detail"] == "zorgen"

    since = audit_json("--since", datetime.now(AMSTERDAM).date().isoformat())
    assert "reveal_asker" not in [e["action"] for e in since] and len(since) == len(actions) - 1
    roles = audit_json("--action", "role_change")
    assert {"subject": "member:m001", "detail": {"is_coordinator": True}}.items() <= roles[
        0
    ].items()
    table = run("audit", "--action", "reveal_asker")
    header, line = table.splitlines()
    assert header.split() == ["tijdstip", "door", "actie", "onderwerp", "details"]
    assert line.split() == ["2026-01-05", "09:00", "m001", "reveal_asker", "question:7", "zorgen"]
    assert "Geen regels" in run("audit", "--since", "2999-01-01")
    assert "Onbekende actie: kijken" in fails("audit", "--action", "kijken")
    assert "Ongeldige datum: gisteren" in fails("audit", "--since", "gisteren")
    assert "Onbekend formaat: xml" in fails("audit", "--format", "xml")


def test_privacy_retention_removes_what_is_past_its_period(
    db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VRAAGBAAK_DATABASE_URL", db.url.render_as_string(hide_password=False))
    long_ago = FixedClock(datetime.now(AMSTERDAM) - timedelta(days=800))
    deps = make_deps(db, long_ago)
    answered_question(deps)
    removed = run("privacy", "retention")
    assert "omdat de bewaartermijn voorbij is" in removed
    assert "vragen verwijderd [question]: 1" in removed
    assert "antwoorden verwijderd [answer]: 1" in removed
    assert "Niets over de bewaartermijn" in run("privacy", "retention")
    (entry,) = audit_json("--action", "retention")
    assert entry["detail"]["question"] == 1  # type: ignore[index]
    monkeypatch.setenv("VRAAGBAAK_RETENTION_AUDIT_DAYS", "1")
    with deps.sessions() as session:  # an entry older than the audit period goes too
        append(
            session,
            actor_id="m001",
            action=REVEAL,
            subject="question:1",
            detail="",
            now=long_ago.now(),
        )
        session.commit()
    assert "auditregels verwijderd [auditlog]: 1" in run("privacy", "retention")
