"""Real Vraagbaak processes for the load and fault harness: `vraagbaak serve --http` on
PostgreSQL, against a fake Slack Web API that fails like the real one sometimes does.

`FlakySlackApi` is the test suite's FakeSlackApi (tests/fakes/slack_api.py) with a share of the
calls that post answered 429 (with Retry-After) or 500 (half of these after the message was
posted, as Slack sometimes does), and the `ts` of every message it did
post remembered, so the harness can tell a message sent twice (a ts no outbox row recorded)
from one sent once.

`Instance` is one server process on a free port; `kill()` is SIGKILL (a crash), `terminate()`
SIGTERM (a deploy). Nothing here reads a developer's own settings: the child's environment has
no VRAAGBAAK_ or SLACK_ variable but the ones set here, and it runs in an empty directory (no
.env).
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from bot.settings import Settings
from bot.wiring import build_deps
from knowledge.embedders import HashingEmbedder
from knowledge.privacy import Deidentifier
from models.clock import SystemClock
from models.db import make_engine, upgrade
from tests.fakes.slack_api import Body, FakeSlackApi
from tests.helpers import build_directory

SIGNING_SECRET = "load-signing-secret"
POSTING = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})


class FlakySlackApi(FakeSlackApi):
    """FakeSlackApi with `rate_limited` and `failing` shares of posting calls failing."""

    def __init__(self, *, rate_limited: float, failing: float, seed: int = 14) -> None:
        super().__init__()
        self.rate_limited = rate_limited
        self.failing = failing
        self._random = random.Random(seed)
        self._flaky_lock = threading.Lock()
        self.posted_ts: list[str] = []
        self.posted_at: dict[str, float] = {}  # ts → monotonic moment of the post
        self.first_post: dict[tuple[str, str], float] = {}  # (channel, thread) → monotonic

    def handle(
        self, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        method = path.lstrip("/").removeprefix("api/")
        if method in POSTING:
            with self._flaky_lock:
                draw = self._random.random()
            if draw < self.rate_limited:
                self.fail_next(method, status=429, retry_after=1)
            elif draw < self.rate_limited + self.failing:  # half of them after posting
                posted = draw < self.rate_limited + self.failing / 2
                self.fail_next(method, status=500, after_effect=posted)
        return super().handle(path, query, raw, headers)

    def _reply_chat_postMessage(self, body: Body) -> Body:
        reply = super()._reply_chat_postMessage(body)
        where = (str(reply["channel"]), str(body.get("thread_ts") or ""))
        with self._flaky_lock:
            self.posted_ts.append(str(reply["ts"]))
            self.posted_at[str(reply["ts"])] = time.monotonic()
            self.first_post.setdefault(where, time.monotonic())
        return reply

    def _reply_chat_postEphemeral(self, body: Body) -> Body:
        reply = super()._reply_chat_postEphemeral(body)
        with self._flaky_lock:
            self.posted_ts.append(str(reply["message_ts"]))
            self.posted_at[str(reply["message_ts"])] = time.monotonic()
        return reply


def fresh_database(url: str) -> None:
    """An empty schema at the newest migration, with the demo directory (teams, staff with
    chat ids, social map, Buurtacademie) as the servers will find it."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    upgrade(engine)
    deps = build_deps(
        Settings(database_url=url, embedder="hashing", deduce=False),
        clock=SystemClock(),
        embedder=HashingEmbedder(),
        deidentifier=Deidentifier(use_deduce=False),
        engine=engine,
        migrate=False,
    )
    build_directory(deps)
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _vraagbaak() -> str:
    return str(Path(sys.executable).with_name("vraagbaak"))


class Instance:
    """One `vraagbaak serve --http` process; restartable on the same port."""

    def __init__(self, name: str, database_url: str, slack: FakeSlackApi, **settings: Any) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = tempfile.mkdtemp(prefix=f"vraagbaak-{name}-")
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("VRAAGBAAK_", "SLACK_"))
        }
        values: dict[str, Any] = {
            "database_url": database_url,
            "slack_bot_token": "xoxb-load",
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_base_url": slack.base_url,
            "http_port": self.port,
            "embedder": "hashing",
            "deduce": "false",
            "inbox_lease_seconds": 5,
            "shutdown_seconds": 10,
            "outbox_max_attempts": 20,
            "log_format": "json",
        } | settings
        self.env |= {f"VRAAGBAAK_{k.upper()}": str(v) for k, v in values.items()}
        self.process: subprocess.Popen[bytes] | None = None
        self.up = threading.Event()
        self.log = Path(self.directory) / "server.log"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [_vraagbaak(), "serve", "--http"],
                cwd=self.directory,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, seconds: float = 120.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start; see {self.log}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    self.up.set()
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {seconds:.0f} s; see {self.log}")

    def kill(self) -> None:
        """SIGKILL: a crash. The load balancer stops routing here at once."""
        self.up.clear()
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def terminate(self, seconds: float = 60.0, *, drain: float = 1.0) -> float:
        """SIGTERM: a deploy. The load balancer stops routing here first and lets the requests
        it already sent finish (`drain`: a readiness probe and a preStop pause do this in
        Kubernetes); returns how long the process took to exit after the signal."""
        self.up.clear()
        time.sleep(drain)
        started = time.monotonic()
        if self.process is not None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(seconds)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise RuntimeError(f"{self.name} did not stop within {seconds:.0f} s") from None
        return time.monotonic() - started

    def restart(self) -> None:
        self.start()
        self.wait_ready()
