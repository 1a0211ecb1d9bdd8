"""The survey pages through the real ASGI app (bot.web.server.starlette_app) with TestClient:
single-use and expiring links, CSRF, no client data, opt-out by POST only."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from pydantic import SecretStr
from sqlmodel import select
from starlette.testclient import TestClient

from bot.web.server import starlette_app
from bot.web.survey import CSRF_COOKIE
from bot.wiring import Deps
from bot.workers.ervaringwijzer import feedback_policy, send_due_invitations
from casework.ervaringwijzer.invitations import plan_invitation
from models.clock import FixedClock
from models.tables import FeedbackInvitation, FeedbackResponse, OptOut, Outbox, Team
from tests.e2e.conftest import SlackHarness
from tests.slack_requests import SIGNING_SECRET

CLIENT_EMAIL = "j.de.vries@example.org"
CASE_REF = "ZU-2026-0042"


def enable_survey(deps: Deps, base_url: str = "http://testserver") -> None:
    deps.settings.feedback_hash_key = SecretStr("test-key-for-the-survey")
    deps.settings.survey_base_url = base_url


def invite(deps: Deps, clock: FixedClock, case_ref: str = CASE_REF) -> str:
    """Close a case, let the delay pass, and return the token from the e-mail's link."""
    policy = feedback_policy(deps.settings)
    with deps.sessions() as session:
        if session.exec(select(Team).where(Team.name == "Zuilen")).one().channel_id is None:
            team = session.exec(select(Team).where(Team.name == "Zuilen")).one()
            team.channel_id = "C_ZUILEN"
            session.add(team)
        plan_invitation(
            session,
            case_ref=case_ref,
            team="Zuilen",
            channel="email",
            contact=CLIENT_EMAIL,
            closed_at=clock.now(),
            now=clock.now(),
            policy=policy,
        )
        session.commit()
    clock.advance(timedelta(days=1))
    report = send_due_invitations(deps.sessions, clock, deps.settings)  # what the tick calls
    assert report.invitations == 1
    with deps.sessions() as session:
        mail = session.exec(select(Outbox).where(Outbox.key.contains(":uitnodiging"))).all()[-1]  # type: ignore[attr-defined]
    match = re.search(r"/ervaringwijzer/([A-Za-z0-9_-]{43})\n", json.loads(mail.payload)["text"])
    assert match is not None
    return match[1]


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match is not None
    return match[1]


@pytest.fixture
def web(slack: SlackHarness) -> TestClient:
    enable_survey(slack.deps)
    return TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps))


def test_the_page_shows_the_questions_and_no_client_data(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    page = web.get(f"/ervaringwijzer/{token}")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    for words in ("Voelde je je welkom", "samen met jou", "ingezet", "rapportcijfer"):
        assert words in page.text
    for secret in (CLIENT_EMAIL, CASE_REF, "Zuilen", "j.de.vries"):
        assert secret not in page.text
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    assert CSRF_COOKIE in page.cookies
    # every radio button sits inside its label; every question group has a legend
    radios = re.findall(r"<input type=\"radio\"", page.text)
    labelled = re.findall(r'<label class="choice"><input type="radio"', page.text)
    assert len(radios) == len(labelled) == 3 * 3 + 10
    assert (
        page.text.count("<legend>") == 4 and '<label class="block" for="opmerkingen">' in page.text
    )
    assert web.get("/healthz").text == "ok"  # the Slack side of the app is still there


def test_a_submitted_survey_is_stored_once_and_a_reused_link_is_refused(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    page = web.get(f"/ervaringwijzer/{token}")
    form = {"csrf": csrf_of(page.text), "welkom": "ja", "samen": "een_beetje", "cijfer": "8"}
    sent = web.post(f"/ervaringwijzer/{token}", data=form, follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"] == "/ervaringwijzer/bedankt"
    thanks = web.get("/ervaringwijzer/bedankt")
    assert thanks.status_code == 200 and "Bedankt voor je antwoorden" in thanks.text
    again = web.post(f"/ervaringwijzer/{token}", data=form, follow_redirects=False)
    assert again.status_code == 410 and "al ingevuld" in again.text
    assert web.get(f"/ervaringwijzer/{token}").status_code == 410
    with slack.deps.sessions() as session:
        [response] = session.exec(select(FeedbackResponse)).all()
        assert json.loads(response.answers) == {"samen": "een_beetje", "welkom": "ja"}
        assert response.grade == 8


def test_an_expired_or_unknown_link_is_refused(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    slack.clock.advance(timedelta(days=30))
    expired = web.get(f"/ervaringwijzer/{token}")
    assert expired.status_code == 410 and "werkt niet meer" in expired.text
    unknown = web.get("/ervaringwijzer/" + "A" * 43)
    assert unknown.status_code == 404 and "werkt niet" in unknown.text


def test_a_post_without_the_csrf_pair_is_refused(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    page = web.get(f"/ervaringwijzer/{token}")
    forged = web.post(f"/ervaringwijzer/{token}", data={"welkom": "nee"})
    assert forged.status_code == 403
    other = TestClient(web.app)  # another browser: no cookie, a token copied from the page
    stolen = other.post(
        f"/ervaringwijzer/{token}", data={"csrf": csrf_of(page.text), "welkom": "nee"}
    )
    assert stolen.status_code == 403
    with slack.deps.sessions() as session:
        assert session.exec(select(FeedbackResponse)).all() == []


def test_invalid_answers_come_back_with_errors_and_kept_choices(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    page = web.get(f"/ervaringwijzer/{token}")
    form = {"csrf": csrf_of(page.text), "welkom": "ja", "cijfer": "11"}
    answer = web.post(f"/ervaringwijzer/{token}", data=form)
    assert answer.status_code == 422 and 'role="alert"' in answer.text
    assert "Kies een cijfer van 1 tot en met 10." in answer.text
    assert 'id="welkom-ja" checked' in answer.text
    empty = web.post(f"/ervaringwijzer/{token}", data={"csrf": csrf_of(page.text)})
    assert empty.status_code == 422 and "minstens één vraag" in empty.text


def test_opting_out_takes_a_post_and_closes_the_survey(web, slack) -> None:
    token = invite(slack.deps, slack.clock)
    confirm = web.get(f"/ervaringwijzer/afmelden/{token}")
    assert confirm.status_code == 200 and "Ja, meld mij af" in confirm.text
    with slack.deps.sessions() as session:
        assert session.exec(select(OptOut)).all() == []  # a link scanner's GET changes nothing
    done = web.post(f"/ervaringwijzer/afmelden/{token}", data={"csrf": csrf_of(confirm.text)})
    assert done.status_code == 200 and "Je bent afgemeld" in done.text
    assert web.get(f"/ervaringwijzer/{token}").status_code == 410
    with slack.deps.sessions() as session:
        assert len(session.exec(select(OptOut)).all()) == 1
        invitation = session.exec(select(FeedbackInvitation)).one()
        assert invitation.contact is None and invitation.opted_out_at is not None


def test_without_a_hash_key_the_app_serves_slack_only(slack) -> None:
    slack.deps.settings.feedback_hash_key = None  # the e2e harness turns the Ervaringwijzer on
    assert (
        send_due_invitations(slack.deps.sessions, slack.clock, slack.deps.settings).invitations == 0
    )
    client = TestClient(starlette_app(slack.app, SIGNING_SECRET, slack.deps))
    assert client.get("/ervaringwijzer/bedankt").status_code == 404
    assert client.get("/healthz").text == "ok"
