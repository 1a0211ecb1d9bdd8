"""/cijfers through the signed Bolt app and the fake Slack Web API, plus the console form.

Figures arrive privately as one message: the chart uploaded into the DM with the digest text
as its comment. The weekly digest goes the same way into the team channel, once.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.console.chat import ConsoleChat
from bot.slack.listeners.cijfers import register
from bot.workers.scheduler import Scheduler, run_digest_job
from models.clock import AMSTERDAM
from models.tables import DigestSchedule, Team
from tests.e2e.conftest import SlackHarness
from tests.fakes.slack_api import UPLOAD
from tests.helpers import ASKER, chat_id, make_coordinator
from tests.slack_requests import FORM, bolt_request, command_body

# ASKER (m005) is in team Lunetten; the harness clock is Tuesday 24 November 2026 10:00.
# Only a coordinator sets the team's digest: the `instellen` tests make ASKER one first.
COLLEAGUE = "m027"  # also Lunetten, not a coordinator


@pytest.fixture
def cijfers(slack: SlackHarness) -> SlackHarness:
    register(slack.app, slack.deps)
    return slack


@pytest.fixture
def coordinator(cijfers: SlackHarness) -> SlackHarness:
    """The harness with ASKER as the coordinator of Lunetten."""
    make_coordinator(cijfers.deps, ASKER)
    return cijfers


def _set_channel(slack: SlackHarness, team: str, channel: str | None) -> None:
    with slack.deps.sessions() as session:
        row = session.exec(select(Team).where(Team.name == team)).one()
        row.channel_id = channel
        session.add(row)
        session.commit()


def _uploads(slack: SlackHarness) -> list[dict[str, object]]:
    return slack.api.called("files.completeUploadExternal", include_failed=False)


def test_cijfers_sends_last_week_of_the_askers_team_privately_with_the_chart(
    cijfers: SlackHarness,
) -> None:
    response = cijfers.command(ASKER, "", command="/cijfers")
    assert response.status == 200
    assert "Ik zoek de cijfers van Lunetten over week 47 (16 t/m 22 november) op" in response.body
    assert cijfers.api.called("conversations.open")[0]["users"] == chat_id(ASKER)
    (upload,) = _uploads(cijfers)
    assert upload["channel_id"] == "D" + chat_id(ASKER)
    comment = str(upload["initial_comment"])
    assert comment.startswith("*Cijfers Lunetten: week 47 (16 t/m 22 november)*")
    assert "Berekend op dinsdag 24 november 2026 om 10:00" in comment
    assert "• Gestart: *&lt;5*" in comment  # no cases in the demo data: protected
    (raw,) = cijfers.api.called(UPLOAD)
    assert bytes(raw["data"]).startswith(b"\x89PNG")
    assert cijfers.api.called("chat.postMessage") == []  # one message: the chart with text


def test_cijfers_for_another_team_and_period(cijfers: SlackHarness) -> None:
    response = cijfers.command(ASKER, "Ridi november", command="/cijfers")
    assert "Dichters- en Rivierenwijk over november 2026" in response.body
    (upload,) = _uploads(cijfers)
    assert "*Cijfers Dichters- en Rivierenwijk: november 2026*" in str(upload["initial_comment"])
    assert "vorige maand" in str(upload["initial_comment"])


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Atlantis", 'Ik ken geen team "Atlantis".'),
        ("Kanaleneiland", "Bedoel je Kanaleneiland Zuid of Kanaleneiland Noord?"),
        ("Zuilen 2026-13", "Die periode ken ik niet"),
        ("volgende week", "Die periode ken ik niet"),
        ("2027-Q1", "Die periode is nog niet begonnen."),
        ("help", "Met /cijfers zie je de cijfers van je team, privé."),
    ],
)
def test_bad_input_gets_a_dutch_answer_and_sends_nothing(
    cijfers: SlackHarness, text: str, reply: str
) -> None:
    response = cijfers.command(ASKER, text, command="/cijfers")
    assert response.status == 200 and reply in response.body
    assert _uploads(cijfers) == [] and cijfers.api.called("chat.postMessage") == []


def test_an_unknown_person_is_told_so(cijfers: SlackHarness) -> None:
    body = command_body("/cijfers", "", user_id="U0NOBODY", trigger_id="t-unknown")
    response = cijfers.app.dispatch(bolt_request(body, FORM))
    assert "Ik ken je nog niet als collega" in response.body


@pytest.fixture
def scheduler(coordinator: SlackHarness) -> Iterator[Scheduler]:
    cijfers = coordinator
    _set_channel(cijfers, "Lunetten", "C0LUNETTEN")
    cijfers.clock.set(datetime(2026, 11, 29, 12, 0, tzinfo=AMSTERDAM))  # nothing due
    running = Scheduler(cijfers.deps)
    running.start()
    assert running.caught_up.wait(30)
    yield running
    running.shutdown()


def test_instellen_stores_the_schedule_announces_it_and_moves_the_job(
    cijfers: SlackHarness, scheduler: Scheduler
) -> None:
    text = "instellen dinsdag 9:00 <#C0OTHER|lunetten-cijfers>"
    response = cijfers.command(ASKER, text, command="/cijfers")
    assert "Gedaan: het weekoverzicht van Lunetten komt voortaan elke dinsdag om 09:00" in (
        response.body
    )
    with cijfers.deps.sessions() as session:
        stored = session.exec(select(DigestSchedule)).one()
    assert (stored.team, stored.weekday, stored.time, stored.channel_id) == (
        "Lunetten",
        1,
        "09:00",
        "C0OTHER",
    )
    assert stored.updated_by == ASKER
    (notice,) = cijfers.posted("C0OTHER")
    assert "heeft het weekoverzicht van Lunetten ingesteld: elke dinsdag om 09:00" in notice["text"]
    job = scheduler.aps.get_job("digest:Lunetten")
    assert str(job.trigger) == "cron[day_of_week='1', hour='9', minute='0']"


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("instellen morgen 09:00", '"morgen" is geen dag'),
        ("instellen dinsdag", "Schrijf het zo: /cijfers instellen dinsdag 09:00 #kanaal"),
        ("instellen dinsdag 25:00", '"25:00" is geen tijd'),
        ("instellen dinsdag 09:00 #lunetten", 'Ik herken het kanaal "#lunetten" niet'),
    ],
)
def test_instellen_with_bad_input_changes_nothing(
    coordinator: SlackHarness, text: str, reply: str
) -> None:
    cijfers = coordinator
    _set_channel(cijfers, "Lunetten", "C0LUNETTEN")
    assert reply in cijfers.command(ASKER, text, command="/cijfers").body
    with cijfers.deps.sessions() as session:
        assert session.exec(select(DigestSchedule)).all() == []


def test_instellen_without_a_channel_uses_the_channel_it_was_typed_in(
    coordinator: SlackHarness,
) -> None:
    cijfers = coordinator

    def typed_in(channel: str) -> str:
        body = command_body(
            "/cijfers", "instellen vrijdag 16:00", user_id=chat_id(ASKER), channel_id=channel
        )
        return cijfers.app.dispatch(bolt_request(body, FORM)).body

    # in a DM there is no channel to take, and the team has none yet: ask for one
    assert "In welk kanaal" in typed_in("D" + chat_id(ASKER))
    assert "elke vrijdag om 16:00 in <#C0TEAM>" in typed_in("C0TEAM")


def test_the_weekly_digest_reaches_the_team_channel_once(cijfers: SlackHarness) -> None:
    _set_channel(cijfers, "Lunetten", "C0LUNETTEN")
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)
    cijfers.clock.set(monday)  # the delivery worker sends what is due by the clock
    assert run_digest_job(cijfers.deps, "Lunetten", monday)
    assert not run_digest_job(cijfers.deps, "Lunetten", monday + timedelta(minutes=5))
    (upload,) = _uploads(cijfers)
    assert upload["channel_id"] == "C0LUNETTEN"
    assert str(upload["initial_comment"]).startswith("*Weekoverzicht Lunetten: week 48")
    assert upload["files"][0]["title"] == "week 48 (23 t/m 29 november)"  # type: ignore[index]
    assert cijfers.api.called("conversations.open") == []


def test_console_answers_in_plain_text_and_saves_the_chart(
    cijfers: SlackHarness, tmp_path: Path
) -> None:
    out = io.StringIO()
    chat = ConsoleChat(cijfers.deps, ASKER, out, chart_dir=tmp_path)
    chat.handle("/cijfers vorige week")
    answer = out.getvalue()
    assert "Ik zoek de cijfers van Lunetten over week 47 (16 t/m 22 november) op" in answer
    assert "Cijfers Lunetten: week 47 (16 t/m 22 november)" in answer
    chart = tmp_path / "cijfers-lunetten-2026-W47.png"
    assert f"De grafiek staat in {chart}" in answer
    assert chart.read_bytes().startswith(b"\x89PNG")
    chat.handle("/cijfers Atlantis")
    assert "Ik ken geen team" in out.getvalue()
    make_coordinator(cijfers.deps, ASKER)
    before = len(out.getvalue())
    chat.handle("/cijfers instellen woensdag 08:00 C0LUNET1")
    confirm = out.getvalue()[before:]
    assert "Gedaan: het weekoverzicht van Lunetten komt voortaan elke woensdag om 08:00" in confirm


def _schedules(slack: SlackHarness) -> list[DigestSchedule]:
    with slack.deps.sessions() as session:
        return list(session.exec(select(DigestSchedule)).all())


def test_instellen_is_refused_for_a_colleague_who_is_not_a_coordinator(
    cijfers: SlackHarness,
) -> None:
    _set_channel(cijfers, "Lunetten", "C0LUNETTEN")
    text = "instellen dinsdag 9:00 <#C0ELSEWHERE|ergens>"
    body = cijfers.command(COLLEAGUE, text, command="/cijfers").body
    assert "Alleen een coördinator kan het weekoverzicht van het team instellen" in body
    assert _schedules(cijfers) == []
    assert cijfers.posted() == []  # no announcement anywhere
    with cijfers.deps.sessions() as session:
        team = session.exec(select(Team).where(Team.name == "Lunetten")).one()
    assert team.channel_id == "C0LUNETTEN"


def test_a_coordinator_sets_only_the_digest_of_their_own_team(
    coordinator: SlackHarness,
) -> None:
    other = coordinator.command(
        ASKER, "instellen Zuilen dinsdag 9:00 <#C0ZUILEN|zuilen>", command="/cijfers"
    )
    assert "Je kunt alleen het weekoverzicht van je eigen team (Lunetten) instellen" in other.body
    assert _schedules(coordinator) == [] and coordinator.posted() == []
    own = coordinator.command(
        ASKER, "instellen Lunetten dinsdag 9:00 <#C0LUNET2|lunetten>", command="/cijfers"
    )
    assert "Gedaan: het weekoverzicht van Lunetten" in own.body
    (stored,) = _schedules(coordinator)
    assert (stored.team, stored.channel_id, stored.updated_by) == ("Lunetten", "C0LUNET2", ASKER)


def test_the_console_refuses_instellen_the_same_way(cijfers: SlackHarness) -> None:
    out = io.StringIO()
    chat = ConsoleChat(cijfers.deps, COLLEAGUE, out)

    def said(line: str) -> str:
        before = len(out.getvalue())
        chat.handle(line)
        return out.getvalue()[before:]

    assert "Alleen een coördinator" in said("/cijfers instellen woensdag 08:00 C0LUNET1")
    make_coordinator(cijfers.deps, COLLEAGUE)
    other = said("/cijfers instellen Ridi woensdag 08:00 C0LUNET1")
    assert "je eigen team (Lunetten)" in other
    assert _schedules(cijfers) == []
    assert said("/cijfers instellen woensdag 08:00 C0LUNET1").strip().startswith("Gedaan")
    assert [s.updated_by for s in _schedules(cijfers)] == [COLLEAGUE]
