"""Running the Slack app: Socket Mode for one instance without a public URL, or HTTP mode
(Starlette + uvicorn) for N instances behind a load balancer. A background thread escalates
timed-out waves and delivers the outbox; the digest scheduler (bot/workers/scheduler.py) runs
beside it.

Before anything starts, the logs are made safe for production (bot/web/logs.py): slack_sdk and
slack_bolt never log message bodies, and uvicorn's access log never shows a survey token.
"""

from __future__ import annotations

import logging
import threading

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.presence import SlackDndProbe
from bot.slack.sender import SlackChatSender
from bot.web.health import Readiness
from bot.web.logs import quiet_slack_loggers, use_json_logs, uvicorn_log_config
from bot.web.metrics import Metrics
from bot.web.slack_http import SlackEndpoint
from bot.web.survey import survey_routes
from bot.wiring import Deps, build_deps
from bot.workers.scheduler import Scheduler, start_scheduler

log = logging.getLogger(__name__)


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


def starlette_app(
    bolt_app: App,
    signing_secret: str,
    deps: Deps | None = None,
    readiness: Readiness | None = None,
) -> Starlette:
    """Slack's HTTP endpoint (bot/web/slack_http.py), liveness and readiness (bot/web/health.py),
    plus the Ervaringwijzer survey pages when `deps` has a feedback hash key (without one the
    pages cannot sign their forms)."""
    metrics = Metrics(deps.engine, deps.clock) if deps is not None else None
    events = SlackEndpoint(bolt_app, signing_secret, metrics)

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
    return Starlette(routes=routes)


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
    deps.attach_sender(SlackChatSender(client))
    readiness = Readiness(deps.engine)

    def warm_up() -> None:  # /readyz says "not yet" meanwhile
        deps.warm_up()
        readiness.models_loaded.set()

    threading.Thread(target=warm_up, name="vraagbaak-warm-up", daemon=True).start()
    background(deps, stop)
    scheduler: Scheduler | None = None
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            bolt = build_app(
                deps,
                client=client,
                signing_secret=_secret(
                    settings.slack_signing_secret or settings.slack_bot_token, "signing secret"
                ),
            )
            app_token = _secret(settings.slack_app_token, "VRAAGBAAK_SLACK_APP_TOKEN")
            scheduler = _digests(deps)
            SocketModeHandler(bolt, app_token).start()  # type: ignore[no-untyped-call]
        else:
            import uvicorn

            signing_secret = _secret(
                settings.slack_signing_secret, "VRAAGBAAK_SLACK_SIGNING_SECRET"
            )
            bolt = build_app(deps, client=client, signing_secret=signing_secret)
            scheduler = _digests(deps)
            uvicorn.run(
                starlette_app(bolt, signing_secret, deps, readiness),
                host=settings.http_host,
                port=settings.http_port,
                log_config=uvicorn_log_config(json_lines=settings.log_format == "json"),
            )
    finally:
        stop.set()
        if scheduler is not None:
            scheduler.shutdown()
