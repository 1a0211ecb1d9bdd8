"""What the process logs about the people it serves: nothing personal, whatever the log level.

Two leaks are closed here, both for the running service (`vraagbaak serve`, bot/web/server.py):

- uvicorn's access log writes every request line, and an Ervaringwijzer address carries the
  client's survey token (`/ervaringwijzer/<token>`, `/ervaringwijzer/afmelden/<token>`).
  `SurveyTokenFilter` sits on the `uvicorn.access` logger (so every handler sees the redacted
  line) and replaces the token segment with REDACTED before any handler formats the record.
- slack_sdk and slack_bolt log whole request and response bodies at DEBUG (chat.postMessage
  with the question, events with what people typed, Socket Mode envelopes). Questions and
  registrations are about clients, so in production those loggers never log below INFO, even
  when the root logger runs at DEBUG. `Settings.slack_debug_logging` lifts this for a
  developer on test data; it is off unless set.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

from bot.settings import Settings
from bot.web.survey import PREFIX

REDACTED = "[verborgen]"
SLACK_LOGGERS = ("slack_sdk", "slack_bolt")
# The segment after the prefix (and after "afmelden/"), unless it is the thanks page.
_TOKEN = re.compile(rf"({re.escape(PREFIX)}/(?:afmelden/)?)(?!bedankt(?:[/?#\s\"]|$))[^/?#\s\"]+")


def redact_survey_tokens(text: str) -> str:
    return _TOKEN.sub(rf"\g<1>{REDACTED}", text)


class SurveyTokenFilter(logging.Filter):
    """Redacts survey tokens in a log record's message and arguments; never drops a record.

    uvicorn's access formatter unpacks `record.args` (client, method, path, version, status),
    so the arguments are redacted in place and keep their shape.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_survey_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_survey_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line (time, level, logger, message; the exception type and its
    traceback when there is one), for a log collector. The message is what the code logs:
    ids, counts and kinds, never client text (the rest of this module keeps it so)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def use_json_logs() -> None:
    """Every handler of the root logger writes JSON lines (settings.log_format == "json")."""
    for handler in logging.root.handlers:
        handler.setFormatter(JsonFormatter())


def uvicorn_log_config(*, json_lines: bool = False) -> dict[str, Any]:
    """uvicorn's own logging configuration, with SurveyTokenFilter on its access logger.

    Passed to uvicorn.run(log_config=...): uvicorn applies its configuration when it starts,
    so a filter added beforehand could be configured away; this way it is part of it.
    """
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    if json_lines:
        for formatter in config["formatters"].values():
            formatter.clear()
            formatter["()"] = JsonFormatter
    config.setdefault("filters", {})["survey_token"] = {"()": SurveyTokenFilter}
    access = config["loggers"]["uvicorn.access"]
    access["filters"] = [*access.get("filters", []), "survey_token"]
    return config


def quiet_slack_loggers(settings: Settings) -> None:
    """In production, slack_sdk and slack_bolt log at INFO at most verbose: their DEBUG lines
    carry message bodies (client data). Loggers below them that were set to DEBUG explicitly
    are raised too. With `settings.slack_debug_logging` nothing is changed."""
    if settings.slack_debug_logging:
        return
    for name in SLACK_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    for name, logger in list(logging.root.manager.loggerDict.items()):
        if (
            isinstance(logger, logging.Logger)
            and name.startswith(tuple(f"{n}." for n in SLACK_LOGGERS))
            and logging.NOTSET < logger.level < logging.INFO
        ):
            logger.setLevel(logging.INFO)
