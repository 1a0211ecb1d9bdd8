"""Slack requests through the inbox: running a stored request through Bolt, and Socket Mode.

A stored request was verified when it arrived (HTTP: the signature; Socket Mode: the
connection), so it runs through Bolt in Bolt's "socket_mode" mode, which skips the signature
check: a request handled again after a crash may be older than the five minutes a signature
is valid. The app must be built with `process_before_response=True`: dispatch then returns only
when the listener has finished, so a row is done only when its work is.

Socket Mode uses the same inbox (`InboxSocketModeHandler`): an event is stored, then
acknowledged; a click, command or modal is stored claimed, run at once and acknowledged with
Bolt's answer.

A click, command or modal is answered as soon as its listener acks (`early_acks`: the ack
is a listener's cheap first step), while the listener's remaining work goes on in the same
interactive thread; the row is done when the listener has returned.

Invariant: a listener that fails (Bolt answers 5xx) raises ListenerFailed, so the row is tried
again later; its effects are keyed by the request, so a retry writes nothing twice.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.socket_mode.internals import send_response
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.workers.inbox import InboxWorkers
from models.inbox import Claimed, identity

log = logging.getLogger(__name__)
JSON = "application/json"
# Socket Mode's envelope types, as the inbox's kinds.
SOCKET_KINDS = {"events_api": "event", "slash_commands": "command", "interactive": "action"}


class ListenerFailed(Exception):
    """Bolt answered 5xx: the listener raised (the polite error handler has spoken)."""


ON_ACK = "vraagbaak_on_ack"


class EarlyAck(Ack):
    """Bolt's ack, which also hands its response on the moment the listener calls it."""

    def __init__(self, on_ack: Callable[[BoltResponse], None]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.on_ack = on_ack

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        response = super().__call__(*args, **kwargs)
        self.on_ack(response)
        return response


def early_acks(app: App) -> App:
    """Install the middleware that gives a request dispatched with an ON_ACK callback in its
    context an EarlyAck (the listener runner reads the ack from the context)."""

    @app.use
    def _early_ack(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        on_ack = context.get(ON_ACK)
        if callable(on_ack):
            context["ack"] = EarlyAck(on_ack)
        return next()

    return app


def dispatch_stored(
    app: App, claimed: Claimed, early: Callable[[BoltResponse], None] | None = None
) -> BoltResponse:
    """Run a stored request through Bolt; `early` gets the ack's response when the listener
    acks (with early_acks installed). Raises ListenerFailed on a 5xx."""
    request = BoltRequest(
        body=claimed.body,
        headers={"content-type": claimed.content_type},
        mode="socket_mode",
        context={ON_ACK: early} if early is not None else None,
    )
    response = app.dispatch(request)
    if response.status >= 500:
        raise ListenerFailed(f"status {response.status}")
    return response


class InboxSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler, with every envelope stored in the inbox before its ack."""

    def __init__(
        self,
        app: App,
        app_token: str,
        inbox: InboxWorkers[BoltResponse],
        *,
        deadline: float = 2.5,
    ) -> None:
        super().__init__(app, app_token)
        self.inbox = inbox
        self.deadline = deadline

    def handle(self, client: BaseSocketModeClient, req: SocketModeRequest) -> None:
        kind = SOCKET_KINDS.get(req.type)
        if kind is None or not self.inbox.accepting:  # hello, disconnect…; or stopping: Slack
            return  # sends an unacknowledged envelope again
        payload: dict[str, Any] = req.payload
        body = json.dumps(payload, ensure_ascii=False)
        started = time.time()
        interactive = kind != "event"
        row_id = self.inbox.store(
            key=identity(body.encode("utf-8"), payload),
            kind=kind,
            body=body,
            content_type=JSON,
            claim=interactive,
        )
        if row_id is None or not interactive:  # a retry, or an event the bulk threads take
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
            return
        claimed = Claimed(row_id, kind, body, JSON, attempts=1)
        try:
            response = self.inbox.run_interactive(claimed).result(timeout=self.deadline)
        except TimeoutError:  # it finishes later; Slack gets a plain ack in time
            response = None
        if response is None:
            client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))
        else:
            send_response(client, req, response, started)
