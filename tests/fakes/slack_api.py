"""A local fake of the Slack Web API, for tests that run slack_sdk's real WebClient offline.

    with FakeSlackApi() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.base_url)
        client.chat_postMessage(channel="C0TEAM", text="hoi")
        assert slack.called("chat.postMessage")[0]["text"] == "hoi"

Every request is recorded as a `Call` (method, parsed body, lower-cased headers, failed flag);
the body merges the query string with the JSON or form body, and form fields that carry JSON
(blocks, view, files, ...) are decoded. `fail_next()` injects 429s, 5xx and `ok: false` errors,
also after the call took effect (`after_effect=True`: a message posted, then a 500, as Slack
sometimes does). Posted messages and uploads are kept per conversation with their metadata, so
conversations.history and conversations.replies answer as Slack would.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TEAM_ID = "T0VRAAG"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
APP_ID = "A0VRAAG"
UPLOAD = "files.upload_url"  # recorded name of the raw POST to an upload_url (not an API method)
_JSON_FIELDS = frozenset({"attachments", "blocks", "files", "metadata", "view"})
_FIRST_TS_MICROS = 1_700_000_000_000_000

Body = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One recorded request. Unpacks as `method, body, headers`."""

    method: str
    body: Body
    headers: dict[str, str]
    failed: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter((self.method, self.body, self.headers))


@dataclass(frozen=True)
class _Failure:
    status: int
    error: str
    retry_after: int
    after_effect: bool = False


class FakeSlackApi:
    """A Slack Web API on 127.0.0.1 (a free port), served from a background thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = {}
        self._users: dict[str, Body] = {}
        self._dnd: dict[str, bool] = {}
        self._presence: dict[str, str] = {}
        self._history: dict[str, list[Body]] = {}  # conversation id → messages, oldest first
        self._counter = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> FakeSlackApi:
        if self._server is None:
            self._server = _Server(("127.0.0.1", 0), _Handler)
            self._server.fake = self
            self._thread = threading.Thread(
                target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        server, thread, self._server, self._thread = self._server, self._thread, None, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeSlackApi:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlackApi is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    # -- inspection and configuration --------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def called(self, method: str, *, include_failed: bool = True) -> list[Body]:
        """Bodies of the calls to `method` (e.g. "chat.postMessage"), oldest first."""
        return [
            c.body for c in self.calls if c.method == method and (include_failed or not c.failed)
        ]

    def reset(self, *, config: bool = False) -> None:
        """Forget recorded calls and pending failures (and, with config=True, users/DND)."""
        with self._lock:
            self._calls.clear()
            self._failures.clear()
            self._history.clear()
            if config:
                self._users.clear()
                self._dnd.clear()
                self._presence.clear()

    def fail_next(
        self,
        method: str,
        *,
        status: int | None = None,
        error: str | None = None,
        retry_after: int = 1,
        times: int = 1,
        after_effect: bool = False,
    ) -> None:
        """Fail the next `times` calls of `method`: HTTP 429 + Retry-After by default,
        HTTP 200 with `ok: false` when only `error` is given, or any `status` (e.g. 500);
        with `after_effect` the call takes effect first (the message is posted)."""
        if status is None:
            status = 200 if error else 429
        if error is None:
            error = {429: "ratelimited", 200: "fatal_error"}.get(status, "internal_error")
        with self._lock:
            queue = self._failures.setdefault(method, deque())
            failure = _Failure(status, error, retry_after, after_effect)
            queue.extend(failure for _ in range(times))

    def set_user(self, user_id: str, **fields: Any) -> None:
        """Override users.info fields; a `profile=` dict is merged into the profile."""
        with self._lock:
            current = self._users.setdefault(user_id, {})
            profile = {**current.get("profile", {}), **fields.pop("profile", {})}
            current.update(fields, profile=profile)

    def set_dnd(self, user_id: str, enabled: bool) -> None:
        """dnd.info for this user answers dnd_enabled = snooze_enabled = `enabled`."""
        with self._lock:
            self._dnd[user_id] = enabled

    def set_presence(self, user_id: str, presence: str) -> None:
        """users.getPresence answers `presence` ("active" by default, or "away")."""
        with self._lock:
            self._presence[user_id] = presence

    # -- request handling (called from server threads) --------------------------------------
    def handle(
        self, path: str, query: str, raw: bytes, headers: dict[str, str]
    ) -> tuple[int, Body | str | bytes, dict[str, str]]:
        method = path.lstrip("/").removeprefix("api/")
        if method.startswith("_upload/"):
            file_id = method.removeprefix("_upload/")
            self._record(Call(UPLOAD, {"file_id": file_id, "data": raw}, headers))
            return 200, f"OK - {len(raw)}", {}
        body = _parse_body(raw, headers.get("content-type", ""), query)
        if not headers.get("authorization", "").startswith(("Bearer xox", "Bearer xapp-")):
            self._record(Call(method, body, headers, failed=True))
            return 200, {"ok": False, "error": "not_authed"}, {}
        with self._lock:
            queue = self._failures.get(method)
            failure = queue.popleft() if queue else None
            self._calls.append(Call(method, body, headers, failed=failure is not None))
        reply: Callable[[Body], Body] | None = getattr(self, _reply_name(method), None)
        if failure is not None:
            if failure.after_effect and reply is not None:
                reply(body)
            extra = {"Retry-After": str(failure.retry_after)} if failure.status == 429 else {}
            return failure.status, {"ok": False, "error": failure.error}, extra
        return 200, (reply(body) if reply else {"ok": True}), {}

    def history(self, channel: str) -> list[Body]:
        """What the conversation holds (a user id means the DM with them), oldest first."""
        with self._lock:
            return list(self._history.get(_dm_channel(channel), []))

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def _next(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

    def _next_ts(self) -> str:
        micros = _FIRST_TS_MICROS + 100 * self._next()
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    # -- canned replies: _reply_<method with dots as underscores> ------------------------------
    def _reply_apps_connections_open(self, body: Body) -> Body:
        """Socket Mode: where to connect (a local WebSocket server set by the test)."""
        url = getattr(self, "socket_mode_url", None)
        return {"ok": True, "url": url} if url else {"ok": False, "error": "no_socket_server"}

    def _reply_auth_test(self, body: Body) -> Body:
        team = {"url": "https://vraagbaak-test.slack.com/", "team": "Vraagbaak Test"}
        bot = {"user": "vraagbaak", "user_id": BOT_USER_ID, "bot_id": BOT_ID}
        return {"ok": True, "team_id": TEAM_ID, **team, **bot, "is_enterprise_install": False}

    def _message(self, body: Body, ts: str) -> Body:
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "app_id": APP_ID}
        message.update(text=body.get("text", ""), ts=ts, team=TEAM_ID)
        message.update({k: body[k] for k in ("blocks", "attachments", "thread_ts") if k in body})
        return message

    def _reply_chat_postMessage(self, body: Body) -> Body:
        ts, channel = self._next_ts(), _dm_channel(str(body.get("channel", "")))
        message = self._message(body, ts)
        if isinstance(body.get("metadata"), dict):
            message["metadata"] = body["metadata"]
        with self._lock:
            self._history.setdefault(channel, []).append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _reply_conversations_history(self, body: Body) -> Body:
        """Top-level messages newer than `oldest`, newest first, metadata only when asked."""
        found = [m for m in self._since(body) if m.get("thread_ts", m["ts"]) == m["ts"]]
        return {"ok": True, "messages": found[::-1], "has_more": False}

    def _reply_conversations_replies(self, body: Body) -> Body:
        """The thread of `ts`: its parent and replies newer than `oldest`, oldest first."""
        parent = str(body.get("ts", ""))
        found = [m for m in self._since(body) if parent in (m["ts"], m.get("thread_ts"))]
        return {"ok": True, "messages": found, "has_more": False}

    def _since(self, body: Body) -> list[Body]:
        oldest = float(body.get("oldest") or 0)
        with_metadata = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        with self._lock:
            messages = list(self._history.get(str(body.get("channel", "")), []))
        return [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in messages
            if float(m["ts"]) >= oldest
        ]

    def _reply_chat_update(self, body: Body) -> Body:
        ts, text = str(body.get("ts", "")), body.get("text", "")
        message = self._message(body, ts)
        return {
            "ok": True,
            "channel": body.get("channel"),
            "ts": ts,
            "text": text,
            "message": message,
        }

    def _reply_chat_postEphemeral(self, body: Body) -> Body:
        return {"ok": True, "message_ts": self._next_ts()}

    def _reply_chat_delete(self, body: Body) -> Body:
        return {"ok": True, "channel": body.get("channel"), "ts": body.get("ts")}

    def _reply_conversations_open(self, body: Body) -> Body:
        first_user = str(body.get("users", "")).split(",")[0]
        channel = body.get("channel") or _dm_channel(first_user)
        return {"ok": True, "no_op": False, "already_open": False, "channel": {"id": channel}}

    def _reply_users_info(self, body: Body) -> Body:
        user_id = str(body.get("user", ""))
        if not user_id:
            return {"ok": False, "error": "user_not_found"}
        with self._lock:
            override = json.loads(json.dumps(self._users.get(user_id, {})))
        name, real_name = user_id.lower(), f"Test {user_id}"
        profile = {"real_name": real_name, "real_name_normalized": real_name, "team": TEAM_ID}
        profile |= {"display_name": name, "display_name_normalized": name}
        profile |= {"email": f"{name}@example.org", "title": "", "status_text": ""}
        profile |= override.pop("profile", {})
        user: Body = {
            "id": user_id,
            "team_id": TEAM_ID,
            "name": name,
            "real_name": profile["real_name"],
        }
        user |= {"tz": "Europe/Amsterdam", "tz_label": "Central European Time", "tz_offset": 3600}
        user |= {"deleted": False, "is_admin": False, "is_bot": False, "is_app_user": False}
        return {"ok": True, "user": user | {"profile": profile} | override}

    def _reply_users_getPresence(self, body: Body) -> Body:
        with self._lock:
            presence = self._presence.get(str(body.get("user", "")), "active")
        return {"ok": True, "presence": presence, "online": presence == "active"}

    def _reply_dnd_info(self, body: Body) -> Body:
        with self._lock:
            enabled = self._dnd.get(str(body.get("user", "")), False)
        now = int(time.time())
        reply: Body = {"ok": True, "dnd_enabled": enabled, "snooze_enabled": enabled}
        if not enabled:
            return reply | {"next_dnd_start_ts": 1, "next_dnd_end_ts": 1}
        reply |= {"next_dnd_start_ts": now - 60, "next_dnd_end_ts": now + 3600}
        return reply | {"snooze_endtime": now + 3600, "snooze_remaining": 3600}

    def _reply_views_open(self, body: Body) -> Body:
        view = dict(body["view"]) if isinstance(body.get("view"), dict) else {}
        view.setdefault("type", "home" if "user_id" in body else "modal")
        view["id"] = body.get("view_id") or f"V0VIEW{self._next():04d}"
        view |= {"team_id": TEAM_ID, "app_id": APP_ID, "bot_id": BOT_ID, "hash": f"h{self._next()}"}
        return {"ok": True, "view": view | {"state": {"values": {}}}}

    _reply_views_update = _reply_views_publish = _reply_views_open

    def _reply_files_getUploadURLExternal(self, body: Body) -> Body:
        file_id = f"F0FILE{self._next():04d}"
        return {"ok": True, "upload_url": f"{self.base_url}_upload/{file_id}", "file_id": file_id}

    def _reply_files_completeUploadExternal(self, body: Body) -> Body:
        files = body["files"] if isinstance(body.get("files"), list) else []
        shown = [{"id": f.get("id"), "title": f.get("title")} for f in files]
        channel = str(body.get("channel_id") or "")
        if channel:
            message: Body = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID}
            message |= {"ts": self._next_ts(), "text": body.get("initial_comment", "")}
            message["files"] = shown
            with self._lock:
                self._history.setdefault(channel, []).append(message)
        return {"ok": True, "files": shown}


class _Server(ThreadingHTTPServer):
    fake: FakeSlackApi


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            status, reply, extra = self.server.fake.handle(parts.path, parts.query, raw, headers)
        except Exception as exc:  # a bug in the fake or a malformed body: answer, don't hang up
            status, reply, extra = 500, {"ok": False, "error": f"fake_slack_api: {exc!r}"}, {}
        if isinstance(reply, bytes):  # a file's content (tests/fakes/slack_files.py)
            kind, data = "application/octet-stream", reply
        else:
            kind = "text/plain" if isinstance(reply, str) else "application/json"
            data = (reply if isinstance(reply, str) else json.dumps(reply)).encode("utf-8")
        self.send_response(status)
        extra |= {"Content-Type": f"{kind}; charset=utf-8", "Content-Length": str(len(data))}
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)


def _reply_name(method: str) -> str:
    return "_reply_" + method.replace(".", "_")


def _dm_channel(channel: str) -> str:
    return f"D{channel}" if channel.startswith(("U", "W")) else channel


def _parse_body(raw: bytes, content_type: str, query: str) -> Body:
    body = _form(query)
    if raw and content_type.startswith("application/json"):
        parsed = json.loads(raw.decode("utf-8"))
        body.update(parsed if isinstance(parsed, dict) else {"_json": parsed})
    elif raw and content_type.startswith("application/x-www-form-urlencoded"):
        body.update(_form(raw.decode("utf-8")))
    elif raw:
        body["_raw"] = raw
    for key in _JSON_FIELDS & body.keys():
        value = body[key]
        if isinstance(value, str) and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                body[key] = json.loads(value)
    return body


def _form(text: str) -> Body:
    return {
        key: values[0] if len(values) == 1 else values
        for key, values in parse_qs(text, keep_blank_values=True).items()
    }
