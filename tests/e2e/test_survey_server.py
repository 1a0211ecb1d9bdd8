"""The survey pages behind a real uvicorn server, configured as `vraagbaak serve --http` does:
bodies are capped before they are read (413 in Dutch), and the access log never shows a token.

The cap is also checked at the ASGI boundary, counting how many chunks of a streamed body the
app pulls: it must stop right after the cap, however long the stream is.
"""

from __future__ import annotations

import asyncio
import io
import logging
import socket
import threading
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from bot.web.logs import REDACTED, uvicorn_log_config
from bot.web.server import starlette_app
from bot.web.survey import MAX_BODY
from tests.e2e.conftest import SlackHarness
from tests.e2e.test_survey_pages import enable_survey, invite
from tests.slack_requests import SIGNING_SECRET


class Lines(logging.Handler):
    """Every access-log line as uvicorn's own access formatter writes it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@dataclass
class Served:
    base_url: str
    port: int
    access: Lines  # a handler of ours on uvicorn.access
    printed: io.StringIO  # what uvicorn's own access handler wrote


@pytest.fixture
def served(slack: SlackHarness) -> Iterator[Served]:
    enable_survey(slack.deps)
    config = uvicorn.Config(
        starlette_app(slack.app, SIGNING_SECRET, slack.deps),
        log_config=uvicorn_log_config(),
        lifespan="off",
    )
    server = uvicorn.Server(config)  # configures logging as `serve --http` does
    logger = logging.getLogger("uvicorn.access")
    printed = io.StringIO()
    for handler in logger.handlers:  # uvicorn's own access handler: read what it prints
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(printed)
    access = Lines()
    access.setFormatter(uvicorn.logging.AccessFormatter('%(client_addr)s - "%(request_line)s"'))
    logger.addHandler(access)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    try:
        yield Served(f"http://127.0.0.1:{port}", port, access, printed)
    finally:
        server.should_exit = True
        thread.join(10)
        logger.removeHandler(access)
        listener.close()


def _raw(port: int, head: str, chunks: list[bytes] | None = None) -> bytes:
    """Send a request head (and optional raw body pieces) and read the answer until the
    server closes the connection or a full answer head and some body arrived."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(head.encode("ascii"))
        for chunk in chunks or []:
            connection.sendall(chunk)
        answer = b""
        while b"</html>" not in answer:
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    return answer


def test_a_declared_100_mb_body_is_refused_before_any_of_it_is_read(served: Served) -> None:
    head = (
        "POST /ervaringwijzer/some-token HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
    )
    answer = _raw(served.port, head)  # not one byte of the body is ever sent
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"Te veel tekst" in answer and b"no-store" in answer


def test_a_chunked_body_is_abandoned_once_it_passes_the_cap(served: Served) -> None:
    head = (
        "POST /ervaringwijzer/afmelden/some-token HTTP/1.1\r\nHost: localhost\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    )
    piece = b"x" * 8192
    chunks = [b"%x\r\n%s\r\n" % (len(piece), piece)] * (MAX_BODY // len(piece) + 2)
    # The body never ends (no closing 0-chunk): only a server that stops reading answers.
    answer = _raw(served.port, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413")


def test_a_normal_answer_still_goes_through(served: Served, slack: SlackHarness) -> None:
    token = invite(slack.deps, slack.clock)
    with httpx.Client(base_url=served.base_url) as client:
        page = client.get(f"/ervaringwijzer/{token}")
        assert page.status_code == 200


def test_the_access_log_never_shows_a_survey_token(served: Served, slack: SlackHarness) -> None:
    token = invite(slack.deps, slack.clock)
    with httpx.Client(base_url=served.base_url) as client:
        assert client.get(f"/ervaringwijzer/{token}").status_code == 200
        assert client.get(f"/ervaringwijzer/afmelden/{token}?x=1").status_code == 200
        assert client.get("/ervaringwijzer/bedankt").status_code == 200
        assert client.post(f"/ervaringwijzer/{token}", data={"a": "b"}).status_code == 403
    deadline = time.monotonic() + 5
    while len(served.access.lines) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    lines = served.access.lines
    assert len(lines) == 4, lines
    assert f'"GET /ervaringwijzer/{REDACTED} HTTP/1.1"' in lines[0]
    assert f'"GET /ervaringwijzer/afmelden/{REDACTED}?x=1 HTTP/1.1"' in lines[1]
    assert '"GET /ervaringwijzer/bedankt HTTP/1.1"' in lines[2]  # not a token: kept
    assert f'"POST /ervaringwijzer/{REDACTED} HTTP/1.1"' in lines[3]
    assert all(token not in line for line in lines)
    printed = served.printed.getvalue()
    assert REDACTED in printed and token not in printed


def test_the_app_pulls_no_chunk_past_the_cap(slack: SlackHarness) -> None:
    """At the ASGI boundary: a stream of 4 MB in 4 KB chunks; the app stops after the cap."""
    enable_survey(slack.deps)
    app = starlette_app(slack.app, SIGNING_SECRET, slack.deps)
    chunk, total = b"y" * 4096, 1024
    pulled = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": pulled < total}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/ervaringwijzer/some-token",
        "raw_path": b"/ervaringwijzer/some-token",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/x-www-form-urlencoded")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled <= MAX_BODY // len(chunk) + 1 < total
