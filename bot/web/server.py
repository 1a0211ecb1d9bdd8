"""Running the Slack app: Socket Mode for one instance without a public URL, or HTTP mode
(Starlette + uvicorn) for N instances behind a load balancer. Both take Slack's requests
through the inbox (bot/workers/inbox.py: stored before the ack, bulk threads for events, an
interactive pool for clicks, commands and modals). A delivery thread sends the outbox (never a
listener: their threads stay free for requests), a background thread escalates timed-out
waves, and the digest scheduler (bot/workers/scheduler.py) runs beside them.

SIGTERM (every deploy) stops the process within `shutdown_seconds`: no new requests (HTTP:
uvicorn closes the port, and a request that still arrives gets 503, which Slack retries; Socket
Mode: the connection is closed), the requests in hand get that long to finish, and what did not
finish is handed back to the inbox for another instance or the next start.

Before anything starts, the logs are made safe for production (bot/web/logs.py): slack_sdk and
slack_bolt never log message bodies, and uvicorn's access log never shows a survey token.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.inbox import InboxSocketModeHandler
from bot.slack.presence import SlackDndProbe
from bot.slack.sender import SlackChatSender
from bot.web.health import Readiness
from bot.web.logs import quiet_slack_loggers, use_json_logs, uvicorn_log_config
from bot.web.metrics import Metrics
from bot.web.slack_http import SlackEndpoint, dispatcher
from bot.web.survey import survey_routes
from bot.wiring import Deps, build_deps
from bot.workers.inbox import InboxWorkers
from bot.workers.scheduler import Scheduler, start_scheduler

log = logging.getLogger(__name__)
# How long uvicorn waits, after SIGTERM, for requests in flight (an interactive one answers
# within slack_http.INTERACTIVE_DEADLINE); then the inbox gets what is left of shutdown_seconds
# but THREADS_SECONDS, in which the delivery and timer threads end their round.
HTTP_DRAIN_SECONDS = 4.0
THREADS_SECONDS = 4.0


def inbox_grace(shutdown_seconds: float, *, http: bool) -> float:
    """How long the inbox may finish its rows after SIGTERM (at least a second)."""
    spent = THREADS_SECONDS + 1.0 + (HTTP_DRAIN_SECONDS if http else 0.0)
    return max(1.0, shutdown_seconds - spent)


def _secret(value: object, name: str) -> str:
    if value is None:
        raise SystemExit(f"{name} ontbreekt: zet de variabele in de omgeving of in .env")
    return str(value.get_secret_value())  # type: ignore[attr-defined]


def background(deps: Deps, stop: threading.Event, every: float = 2.0) -> threading.Thread:
    def loop() -> None:
        while not stop.wait(every):
            try:
                deps.tick()
            except Exception:
                log.exception("background tick failed; trying again")

    thread = threading.Thread(target=loop, name="vraagbaak-tick", daemon=True)
    thread.start()
    return thread


def delivery(deps: Deps, stop: threading.Event, every: float = 0.2) -> threading.Thread:
    """The outbox's own thread: listeners only enqueue (deps.deliver_inline is off), so a
    click's thread never sends other people's messages."""
    deps.deliver_inline = False

    def loop() -> None:
        while not stop.is_set():  # small rounds: a stop waits for one round at most
            try:
                sent = deps.worker.deliver_due(limit=10) if deps.worker is not None else 0
            except Exception:
                log.exception("delivery round failed; trying again")
                sent = 0
            if not sent:
                stop.wait(every)

    thread = threading.Thread(target=loop, name="vraagbaak-delivery", daemon=True)
    thread.start()
    return thread


def inbox_for(bolt_app: App, deps: Deps) -> InboxWorkers[BoltResponse]:
    """The inbox of this process, handing stored requests to `bolt_app` (which must be built
    with process_before_response=True, so a row is done only when its listener is)."""
    settings = deps.settings
    return InboxWorkers(
        deps.engine,
        dispatcher(bolt_app),
        bulk_threads=settings.inbox_bulk_threads,
        interactive_threads=settings.inbox_interactive_threads,
        lease=timedelta(seconds=settings.inbox_lease_seconds),
    )


def starlette_app(
    bolt_app: App,
    signing_secret: str,
    deps: Deps | None = None,
    readiness: Readiness | None = None,
    inbox: InboxWorkers[BoltResponse] | None = None,
) -> Starlette:
    """Slack's HTTP endpoint (bot/web/slack_http.py), liveness and readiness (bot/web/health.py),
    plus the Ervaringwijzer survey pages when `deps` has a feedback hash key (without one the
    pages cannot sign their forms). With an `inbox`, requests are stored before their ack; the
    app's lifespan starts its bulk threads and stops them within the shutdown time."""
    metrics = Metrics(deps.engine, deps.clock) if deps is not None else None
    if inbox is not None and metrics is not None:
        inbox.observe = metrics.observe_processing
    events = SlackEndpoint(bolt_app, signing_secret, metrics, inbox)

    async def health(_: Request) -> Response:
        return PlainTextResponse("ok")

    async def ready(_: Request) -> Response:
        if readiness is None:
            return JSONResponse({"ready": True})
        checks = await run_in_threadpool(readiness.check)
        ok = all(checks.values())
        return JSONResponse({"ready": ok, **checks}, status_code=200 if ok else 503)

    async def exposition(_: Request) -> Response:
        if metrics is None:
            return PlainTextResponse("", status_code=404)
        body = await run_in_threadpool(metrics.exposition)
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route("/slack/events", events.handle, methods=["POST"]),
        Route("/healthz", health),
        Route("/readyz", ready),
        Route("/metrics", exposition),
    ]
    if deps is not None and deps.settings.feedback_hash_key is not None:
        routes += survey_routes(deps)
    elif deps is not None:
        log.warning("Ervaringwijzer pages off: VRAAGBAAK_FEEDBACK_HASH_KEY is not set")
    grace = deps.settings.shutdown_seconds if deps is not None else 20.0

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if inbox is not None:
            inbox.start()
        yield
        if inbox is not None:  # uvicorn has closed the port and drained the requests
            await run_in_threadpool(inbox.stop, inbox_grace(grace, http=True))

    return Starlette(routes=routes, lifespan=lifespan)


def _digests(deps: Deps) -> Scheduler | None:
    """The weekly digests run in one instance only (VRAAGBAAK_DIGEST_SCHEDULER=false elsewhere);
    a second one would send nothing twice (DigestRun claims) but would compute for nothing."""
    return start_scheduler(deps) if deps.settings.digest_scheduler else None


def wait_for_slack(
    client: WebClient, stop: threading.Event, *, first: float = 1.0, longest: float = 60.0
) -> bool:
    """Until Slack's Web API answers auth.test: one line per failed try, then a retry after a
    growing pause (never a traceback). A token Slack refuses ends the start with one line: no
    retry makes it valid. False when `stop` was set while waiting."""
    pause = first
    while not stop.is_set():
        try:
            client.auth_test()
            return True
        except SlackApiError as error:
            reason = str(error.response.get("error", "onbekend"))
            if reason in {"invalid_auth", "not_authed", "account_inactive", "token_revoked"}:
                message = f"Slack weigert het bot-token ({reason}): controleer het token"
                raise SystemExit(message) from None
            log.warning(
                "Slack antwoordt met een fout (%s); nieuwe poging over %.0f s", reason, pause
            )
        except (SlackClientError, OSError) as error:
            log.warning(
                "Slack is niet bereikbaar (%s); nieuwe poging over %.0f s",
                type(error).__name__,
                pause,
            )
        stop.wait(pause)
        pause = min(pause * 2, longest)
    return False


def _sigterm_ends_the_main_thread() -> None:
    """SIGTERM becomes SystemExit in the main thread, so the stop in `run`'s finally runs.
    Socket Mode waits in the main thread; in HTTP mode uvicorn handles SIGTERM while it
    serves, then restores this handler and raises the signal again (its way of exiting as
    the signal asked): without this handler, that second SIGTERM would end the process before
    the delivery thread has finished the message in hand."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def _logged_progress(step: str, done: int, total: int) -> None:
    """Warm-up progress as log lines (a server has no terminal): one per finished step, with
    its count; never any text that was embedded."""
    if done == total and total > 0:
        log.info("warm-up: %s ready (%d)", step, total)


def warm_up_until_ready(
    warm_up: Callable[[Callable[[str, int, int], None]], None],
    ready: threading.Event,
    stop: threading.Event,
    retry_seconds: float = 5.0,
) -> None:
    """Warm up, then say ready (`/readyz` says "not yet" meanwhile). A failure (the database
    restarting while instances start) is logged and tried again, so an instance never stays
    unready for good behind a thread that died."""
    started = time.monotonic()
    while not stop.is_set():
        try:
            warm_up(_logged_progress)
        except Exception as error:
            log.warning("warm-up failed (%s); again in %.0f s", type(error).__name__, retry_seconds)
            stop.wait(retry_seconds)
            continue
        log.info("ready after %.1f s of warm-up", time.monotonic() - started)
        ready.set()
        return


def run(settings: Settings, *, socket_mode: bool) -> None:
    quiet_slack_loggers(settings)
    if settings.log_format == "json":
        use_json_logs()
    token = _secret(settings.slack_bot_token, "VRAAGBAAK_SLACK_BOT_TOKEN")
    client = WebClient(token=token, base_url=settings.slack_api_base_url)
    stop = threading.Event()
    if not wait_for_slack(client, stop):
        return
    deps = build_deps(settings, probe=SlackDndProbe(client))
    deps.attach_sender(SlackChatSender(client), pace=timedelta(seconds=settings.slack_pace_seconds))
    readiness = Readiness(deps.engine)

    threading.Thread(
        target=warm_up_until_ready,
        args=(deps.warm_up, readiness.models_loaded, stop),
        name="vraagbaak-warm-up",
        daemon=True,
    ).start()
    ticker = background(deps, stop)
    sender = delivery(deps, stop)
    scheduler: Scheduler | None = None
    started = time.monotonic()
    try:
        if socket_mode:
            _sigterm_ends_the_main_thread()
            slack = build_app(
                deps,
                client=client,
                signing_secret=_secret(
                    settings.slack_signing_secret or settings.slack_bot_token, "signing secret"
                ),
                process_before_response=True,
            )
            deps.on_delivered.extend(slack.after_delivery)
            bolt = slack.bolt
            app_token = _secret(settings.slack_app_token, "VRAAGBAAK_SLACK_APP_TOKEN")
            scheduler = _digests(deps)
            _socket_mode(bolt, app_token, deps)
        else:
            import uvicorn

            _sigterm_ends_the_main_thread()
            signing_secret = _secret(
                settings.slack_signing_secret, "VRAAGBAAK_SLACK_SIGNING_SECRET"
            )
            slack = build_app(
                deps, client=client, signing_secret=signing_secret, process_before_response=True
            )
            deps.on_delivered.extend(slack.after_delivery)
            bolt = slack.bolt
            scheduler = _digests(deps)
            uvicorn.run(
                starlette_app(bolt, signing_secret, deps, readiness, inbox_for(bolt, deps)),
                host=settings.http_host,
                port=settings.http_port,
                log_config=uvicorn_log_config(json_lines=settings.log_format == "json"),
                timeout_graceful_shutdown=int(HTTP_DRAIN_SECONDS),
            )
    finally:
        stop.set()
        if scheduler is not None:
            scheduler.shutdown(timeout=THREADS_SECONDS)
        deadline = time.monotonic() + THREADS_SECONDS
        for thread in (sender, ticker):  # a message being sent is marked sent, not sent again
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        log.info("stopped after %.0f s", time.monotonic() - started)


def _socket_mode(bolt: App, app_token: str, deps: Deps) -> None:
    """Socket Mode through the inbox until SIGTERM: then the connection closes first (Slack
    sends nothing more here), and the inbox finishes or hands back what it holds."""
    inbox = inbox_for(bolt, deps)
    handler = InboxSocketModeHandler(bolt, app_token, inbox)
    inbox.start()
    try:
        handler.connect()  # type: ignore[no-untyped-call]
        threading.Event().wait()
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        inbox.stop(inbox_grace(deps.settings.shutdown_seconds, http=False))
