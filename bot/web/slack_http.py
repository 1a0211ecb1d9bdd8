"""Slack's HTTP endpoint: clean edges before Bolt sees a request.

Slack retries anything that is not a 2xx within three seconds, and an attacker can post
anything. So, in this order and from cheap to dear:
1. the body is read no further than MAX_SLACK_BODY bytes (413 past it);
2. the signature is checked on the raw bytes (401 when it is missing, forged or stale) —
   before any parsing, so an unsigned request never reaches a parser;
3. the body must be what Slack sends: a JSON object, or a form with a `payload` JSON object
   or a slash command (400 otherwise, never a traceback);
4. with an inbox (bot/workers/inbox.py), the request is stored and committed before it is
   acknowledged: an event is answered 200 at once and handled by a bulk thread; a click,
   command or modal is stored claimed and run through Bolt in the interactive pool, and
   answered with Bolt's acknowledgement when it is ready within INTERACTIVE_DEADLINE (else
   with a plain 200: it finishes later). A retry of a stored request is answered 200 and
   stored nothing. While the process stops, or when the database cannot store the request,
   it is refused with 503, which Slack retries (to another instance);
5. without an inbox (tests that drive Bolt directly), Bolt's synchronous dispatch runs in a
   worker thread, off the event loop, so one slow listener does not stall every other request;
6. a well-formed event of a type the app does not listen to is answered 200, not Bolt's
   404, which Slack would retry.

Invariants: nothing is parsed before the signature holds; nothing is acknowledged 2xx before
it is committed to the inbox (when there is one); the event loop never runs Bolt or the
database.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.slack.inbox import dispatch_stored, early_acks
from bot.web.metrics import Metrics
from bot.web.survey import BodyTooLarge, read_capped
from bot.workers.inbox import InboxWorkers
from models.inbox import Claimed, identity

log = logging.getLogger(__name__)
# Slack's own payloads stay far below this (a modal submission is a few tens of kB).
MAX_SLACK_BODY = 1_000_000
# Slack waits three seconds for an acknowledgement; what is not ready by then is acked plain.
INTERACTIVE_DEADLINE = 2.5


@dataclass(frozen=True)
class SlackBody:
    """A signed body of a shape Slack sends: its kind and its JSON object (the event envelope,
    the interactive payload, or the slash command's fields)."""

    kind: str  # event, action, command, view or other
    payload: dict[str, Any]


def parse_slack_body(body: bytes, content_type: str) -> SlackBody | None:
    """The body's kind, for the inbox, the metrics and the ignored-event rule; None when the
    body has no shape Slack sends (see the module docstring). The body is parsed once, here."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            parsed: Any = json.loads(text)
            if not isinstance(parsed, dict):
                return None
            kind = "event" if parsed.get("type") == "event_callback" else "other"
            return SlackBody(kind, parsed)
        form = parse_qs(text, keep_blank_values=True, strict_parsing=bool(text))
        if "payload" not in form:
            fields = {key: values[0] for key, values in form.items()}
            return SlackBody("command", fields) if "command" in form else None
        payload: Any = json.loads(form["payload"][0])
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict):
        return None
    if "command" in form:
        return SlackBody("command", payload)
    kind = str(payload.get("type", ""))
    if kind in {"view_submission", "view_closed"}:
        return SlackBody("view", payload)
    interactive = kind in {"block_actions", "shortcut", "message_action"}
    return SlackBody("action" if interactive else "other", payload)


def request_kind(body: bytes, content_type: str) -> str | None:
    """The kind alone (see parse_slack_body)."""
    parsed = parse_slack_body(body, content_type)
    return None if parsed is None else parsed.kind


class SlackEndpoint:
    """The ASGI handler for /slack/events around one Bolt app; counts each request by kind
    and status, with its time to answer, when given `metrics`."""

    def __init__(
        self,
        bolt_app: App,
        signing_secret: str,
        metrics: Metrics | None = None,
        inbox: InboxWorkers[BoltResponse] | None = None,
    ) -> None:
        self.bolt_app = bolt_app
        self.verifier = SignatureVerifier(signing_secret)
        self.metrics = metrics
        self.inbox = inbox

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
        content_type = request.headers.get("content-type", "")
        parsed = parse_slack_body(body, content_type)
        if parsed is None:
            return kind, PlainTextResponse("onleesbaar verzoek", status_code=400)
        kind = parsed.kind
        if self.inbox is not None and kind != "other":  # "other": url_verification and the like
            return kind, await self._through_inbox(self.inbox, parsed, body, content_type)
        bolt_request = BoltRequest(
            body=body.decode("utf-8"),
            query=request.url.query,
            headers={key: [value] for key, value in headers.items()},
        )
        response: BoltResponse = await run_in_threadpool(self.bolt_app.dispatch, bolt_request)
        if response.status == 404 and kind == "event":
            return kind, Response(status_code=200)  # an event nobody listens to: no retry
        return kind, _starlette_response(response)

    async def _through_inbox(
        self,
        inbox: InboxWorkers[BoltResponse],
        parsed: SlackBody,
        body: bytes,
        content_type: str,
    ) -> Response:
        if not inbox.accepting:
            return PlainTextResponse("even niet", status_code=503)
        interactive = parsed.kind != "event"
        text = body.decode("utf-8")
        try:
            row_id = await run_in_threadpool(
                inbox.store,
                key=identity(body, parsed.payload),
                kind=parsed.kind,
                body=text,
                content_type=content_type,
                claim=interactive,
            )
        except SQLAlchemyError as error:  # not stored, so not acknowledged: Slack retries
            log.warning("inbox: request not stored (%s); answered 503", type(error).__name__)
            return PlainTextResponse("even niet", status_code=503)
        if row_id is None or not interactive:  # a retry of a stored one, or an event
            return Response(status_code=200)
        future = inbox.run_interactive(Claimed(row_id, parsed.kind, text, content_type, 1))
        try:
            response = await asyncio.wait_for(asyncio.wrap_future(future), INTERACTIVE_DEADLINE)
        except TimeoutError:  # the work goes on in its thread and finishes the row
            return Response(status_code=200)
        if response is None:  # failed; a bulk thread tries again
            return Response(status_code=200)
        return _starlette_response(response)


def dispatcher(
    bolt_app: App,
) -> Callable[[Claimed, Callable[[BoltResponse], None]], BoltResponse]:
    """The inbox's handler: a stored request through `bolt_app` (bot/slack/inbox.py), which
    answers as soon as its listener acks."""
    early_acks(bolt_app)

    def handle(claimed: Claimed, early: Callable[[BoltResponse], None]) -> BoltResponse:
        return dispatch_stored(bolt_app, claimed, early)

    return handle


def _starlette_response(response: BoltResponse) -> Response:
    out = Response(status_code=response.status, content=response.body)
    for key, values in response.headers.items():
        if key.lower() == "content-length":
            continue  # Starlette sets it from the body
        for value in values:
            out.headers.append(key, value)
    return out
