"""Start-up and readiness: a Slack that cannot be reached is waited for with one line per try
(never a traceback); /readyz says when the instance can take traffic (bot/web/server.py,
bot/web/health.py)."""

from __future__ import annotations

import logging
import socket
import threading

import pytest
import sqlalchemy as sa
from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from starlette.testclient import TestClient

from bot.slack.app import build_app
from bot.web.health import Readiness
from bot.web.server import starlette_app, wait_for_slack
from models.clock import FixedClock
from tests.fakes.slack_api import FakeSlackApi
from tests.helpers import make_deps
from tests.slack_requests import SIGNING_SECRET


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_unreachable_slack_is_retried_with_one_line_per_try(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    client = WebClient(token="xoxb-test", base_url=f"http://127.0.0.1:{_closed_port()}/api/")
    stop = threading.Event()
    threading.Timer(2.0, stop.set).start()
    assert wait_for_slack(client, stop, first=0.05) is False
    lines = [r.getMessage() for r in caplog.records if "niet bereikbaar" in r.getMessage()]
    assert len(lines) >= 2 and all(r.exc_info is None for r in caplog.records)


def test_a_failing_slack_is_waited_for_and_a_refused_token_ends_the_start() -> None:
    with FakeSlackApi() as api:
        client = WebClient(token="xoxb-test", base_url=api.base_url)
        api.fail_next("auth.test", status=500, times=2)
        assert wait_for_slack(client, threading.Event(), first=0.01) is True
        assert len(api.called("auth.test", include_failed=True)) == 3
        api.fail_next("auth.test", error="invalid_auth")
        with pytest.raises(SystemExit, match="invalid_auth"):
            wait_for_slack(client, threading.Event(), first=0.01)


def test_readyz_waits_for_the_models_and_a_current_schema(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    readiness = Readiness(db)
    with FakeSlackApi() as api:
        bolt = build_app(
            deps,
            client=WebClient(token="xoxb-test", base_url=api.base_url),
            signing_secret=SIGNING_SECRET,
        ).bolt
        client = TestClient(starlette_app(bolt, SIGNING_SECRET, deps, readiness))
        waiting = client.get("/readyz")
        assert waiting.status_code == 503
        assert waiting.json() == {
            "ready": False,
            "database": True,
            "migrations": True,
            "models": False,
        }
        readiness.models_loaded.set()
        assert client.get("/readyz").json()["ready"] is True
        assert client.get("/healthz").text == "ok"


def test_readyz_names_an_unreachable_database() -> None:
    gone = sa.create_engine(f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/x")
    readiness = Readiness(gone)
    readiness.models_loaded.set()
    assert readiness.check() == {"database": False, "migrations": False, "models": True}


def test_warm_up_progress_is_logged_once_per_finished_step(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from bot.web.server import _logged_progress

    with caplog.at_level("INFO", logger="bot.web.server"):
        for step, done, total in [("privacy", 0, 0), ("privacy", 1, 1), ("experts", 64, 445)]:
            _logged_progress(step, done, total)
        _logged_progress("experts", 445, 445)
    assert [r.getMessage() for r in caplog.records] == [
        "warm-up: privacy ready (1)",
        "warm-up: experts ready (445)",
    ]


def test_a_failed_warm_up_is_tried_again_until_ready(caplog: pytest.LogCaptureFixture) -> None:
    """The database restarting while instances start: the warm-up fails once, is logged by
    type (no text) and tried again, and the instance becomes ready."""
    import threading

    from bot.web.server import warm_up_until_ready

    attempts: list[int] = []

    def flaky_warm_up(progress: object) -> None:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("database restarting")

    ready, stop = threading.Event(), threading.Event()
    with caplog.at_level("INFO", logger="bot.web.server"):
        warm_up_until_ready(flaky_warm_up, ready, stop, retry_seconds=0.01)
    assert ready.is_set() and len(attempts) == 2
    assert "warm-up failed (ConnectionError)" in caplog.text
    assert "database restarting" not in caplog.text
