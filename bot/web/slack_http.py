"""Slack's HTTP endpoint: clean edges before Bolt sees a request.

Slack retries anything that is not a 2xx within three seconds, and an attacker can post
anything. So, in this order and from cheap to dear:
1. the body is read no further than MAX_SLACK_BODY bytes (413 past it);
2. the signature is checked on the raw bytes (401 when it is missing, forged or stale) —
   before any parsing, so an unsigned request never reaches a parser;
3. the body must be what Slack sends: a JSON object, or a form with a `payload` JSON object
   or a slash command (400 otherwise, never a traceback);
4. Bolt's synchronous dispatch runs in a worker thread, off the event loop, so one slow
   listener does not stall every other request;
5. a well-formed event of a type the app does not listen to is answered 200, not Bolt's
   404, which Slack would retry.

Invariants: nothing is parsed before the signature holds; the response is Bolt's except for
the ignored events of step 5.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.web.metrics import Metrics
from bot.web.survey import BodyTooLarge, read_capped

# Slack's own payloads stay far below this (a modal submission is a few tens of kB).
MAX_SLACK_BODY = 1_000_000


def request_kind(body: bytes, content_type: str) -> str | None:
    """event, action, command, view or other, for metrics and the ignored-event rule; None
    when the body has no shape Slack sends (see the module docstring). The body is parsed
    once, here."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            parsed: Any = json.loads(text)
            if not isinstance(parsed, dict):
                return None
            return "event" if parsed.get("type") == "event_callback" else "other"
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
        if "payload" not in form:
            return "command" if "command" in form else None
        payload: Any = json.loads(form["payload"][0])
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    if "command" in form:
        return "command"
    kind = str(payload.get("type", ""))
    if kind in {"view_submission", "view_closed"}:
        return "view"
    return "action" if kind in {"block_actions", "shortcut", "message_action"} else "other"


class SlackEndpoint:
    """The ASGI handler for /slack/events around one Bolt app; counts each request by kind
    and status, with its time to answer, when given `metrics`."""

    def __init__(self, bolt_app: App, signing_secret: str, metrics: Metrics | None = None) -> None:
        self.bolt_app = bolt_app
        self.verifier = SignatureVerifier(signing_secret)
        self.metrics = metrics

    async def handle(self, request: Request) -> Response:
        started = time.perf_counter()
        kind, response = await self._answer(request)
        if self.metrics is not None:
            self.metrics.observe(kind, response.status_code, time.perf_counter() - started)
        return response

    async def _answer(self, request: Request) -> tuple[str, Response]:
        kind = "other"
        try:
            body = await read_capped(request, MAX_SLACK_BODY)
        except BodyTooLarge:
            return kind, PlainTextResponse("te groot", status_code=413)
        headers = dict(request.headers.items())
        if not self.verifier.is_valid_request(body, headers):
            return kind, PlainTextResponse("ongeldige handtekening", status_code=401)
        parsed_kind = request_kind(body, request.headers.get("content-type", ""))
        if parsed_kind is None:
            return kind, PlainTextResponse("onleesbaar verzoek", status_code=400)
        kind = parsed_kind
        bolt_request = BoltRequest(
            body=body.decode("utf-8"),
            query=request.url.query,
            headers={key: [value] for key, value in headers.items()},
        )
        response: BoltResponse = await run_in_threadpool(self.bolt_app.dispatch, bolt_request)
        if response.status == 404 and kind == "event":
            return kind, Response(status_code=200)  # an event nobody listens to: no retry
        return kind, _starlette_response(response)


def _starlette_response(response: BoltResponse) -> Response:
    out = Response(status_code=response.status, content=response.body)
    for key, values in response.headers.items():
        if key.lower() == "content-length":
            continue  # Starlette sets it from the body
        for value in values:
            out.headers.append(key, value)
    return out
