"""slack_sdk logs whole message bodies at DEBUG; in production settings it must not, even when
the root logger runs at DEBUG (real WebClient against the fake Slack Web API)."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.settings import Settings
from bot.web.logs import (
    REDACTED,
    SLACK_LOGGERS,
    JsonFormatter,
    quiet_slack_loggers,
    uvicorn_log_config,
)
from tests.fakes.slack_api import FakeSlackApi

CLIENT_TEXT = "mevrouw Jansen, 06-12345678, heeft schulden"


@pytest.fixture
def slack_levels() -> Iterator[None]:
    """Put the slack loggers' levels back afterwards: other tests share the process."""
    names = [
        name
        for name in logging.root.manager.loggerDict
        if name in SLACK_LOGGERS or name.startswith(tuple(f"{n}." for n in SLACK_LOGGERS))
    ]
    saved = {name: logging.getLogger(name).level for name in [*names, *SLACK_LOGGERS]}
    yield
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def _post(api: FakeSlackApi) -> None:
    WebClient(token="xoxb-test", base_url=api.base_url).chat_postMessage(
        channel="C0TEAM", text=CLIENT_TEXT
    )


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() for record in caplog.records)


def test_production_settings_keep_message_bodies_out_of_a_debug_log(
    slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture, slack_levels: None
) -> None:
    caplog.set_level(logging.DEBUG)  # a deployment that turned everything up
    logging.getLogger("slack_sdk.web.base_client").setLevel(logging.DEBUG)  # even this one
    quiet_slack_loggers(Settings())
    _post(slack_api)
    assert slack_api.called("chat.postMessage")[0]["text"] == CLIENT_TEXT  # it was sent
    logged = _logged(caplog)
    assert "Jansen" not in logged and "06-12345678" not in logged
    assert logging.getLogger("slack_bolt").getEffectiveLevel() == logging.INFO


def test_the_developer_switch_lets_slack_sdk_log_bodies(
    slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture, slack_levels: None
) -> None:
    """The counter-check: without quieting, the same call does put the text in the log."""
    caplog.set_level(logging.DEBUG)
    for name in SLACK_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)
    logging.getLogger("slack_sdk.web.base_client").setLevel(logging.NOTSET)
    quiet_slack_loggers(Settings(slack_debug_logging=True))
    _post(slack_api)
    assert "Jansen" in _logged(caplog)


def test_json_lines_carry_level_logger_message_and_the_error_type() -> None:
    formatter = JsonFormatter()
    try:
        raise ValueError("kapot")
    except ValueError:
        record = logging.getLogger("vraagbaak.test").makeRecord(
            "vraagbaak.test", logging.ERROR, __file__, 1, "vraag %s mislukt", (12,), sys.exc_info()
        )
    entry = json.loads(formatter.format(record))
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "ERROR",
        "vraagbaak.test",
        "vraag 12 mislukt",
    )
    assert entry["error"] == "ValueError" and "Traceback" in entry["traceback"]
    assert entry["time"].endswith("+00:00")


def test_uvicorn_access_lines_are_json_and_keep_survey_tokens_out() -> None:
    config = uvicorn_log_config(json_lines=True)
    logging.config.dictConfig(config)
    access = logging.getLogger("uvicorn.access")
    stream = io.StringIO()
    (handler,) = access.handlers
    handler.setStream(stream)  # type: ignore[attr-defined]
    access.info(
        '%s - "%s %s HTTP/%s" %d', "10.0.0.1:5", "GET", "/ervaringwijzer/abc123token", "1.1", 200
    )
    entry = json.loads(stream.getvalue().splitlines()[-1])
    assert "abc123token" not in entry["message"] and REDACTED in entry["message"]
