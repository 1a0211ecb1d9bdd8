"""The Ervaringwijzer survey pages, served by the same Starlette app as Slack's HTTP mode.

GET/POST /ervaringwijzer/{token}, GET /ervaringwijzer/bedankt, GET/POST
/ervaringwijzer/afmelden/{token}. The pages work without JavaScript and show no client data
(no name, team or case number: a link may be opened on a shared phone). Forms carry a CSRF
token signed for this link and a random cookie (double submit, HMAC-bound), so another site
cannot post answers or an opt-out in the client's name. Every answer sets `no-referrer` and
`no-store`: the token in the address must not leak to other sites or stay in a cache.
Opting out takes a POST: mail scanners that follow links must not opt anyone out.

A posted form is read no further than MAX_BODY bytes: a larger Content-Length is answered
with 413 before any of the body is read, and a body without one (chunked) is abandoned as soon
as it passes the cap, so a client cannot make the process hold more than about MAX_BODY plus
one chunk. The token is part of the address; bot/web/logs.py keeps it out of the access log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.wiring import Deps
from bot.workers.ervaringwijzer import feedback_policy
from casework.ervaringwijzer import text
from casework.ervaringwijzer.invitations import token_hash
from casework.ervaringwijzer.survey import (
    GRADE_FIELD,
    REMARKS_FIELD,
    InvalidAnswers,
    SurveyClosed,
    find_by_token,
    open_invitation,
    opt_out,
    record_response,
)

CSRF_COOKIE = "ew_csrf"
PREFIX = "/ervaringwijzer"  # every survey address starts here (bot/web/logs.py redacts the token)
MAX_BODY = 32_000  # the form is 5 choices and at most REMARKS_MAX characters of remarks
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}
_STATUS = {"unknown": 404, "used": 410, "expired": 410, "closed": 410}
_TITLES = {
    "unknown": "Deze link werkt niet",
    "used": "Al ingevuld",
    "expired": "Deze link is verlopen",
    "closed": "Niet meer open",
}
_pages = Environment(
    loader=PackageLoader("bot.web", "templates"), autoescape=select_autoescape(default=True)
)


class BodyTooLarge(Exception):
    """The posted body is (or would become) larger than MAX_BODY; nothing more is read."""


async def read_capped(request: Request, limit: int = MAX_BODY) -> bytes:
    """The request body, but never more than `limit` bytes of it.

    A declared Content-Length above `limit` raises BodyTooLarge before a byte is read; a body
    without one (chunked, or streamed) is read chunk by chunk and abandoned once it passes
    `limit`. Starlette's request.body() would read everything into memory first.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise BodyTooLarge
    return bytes(body)


def _page(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = _pages.get_template(f"ervaringwijzer/{template}").render(**context)
    return HTMLResponse(html, status_code=status, headers=_HEADERS)


def _closed(error: SurveyClosed) -> HTMLResponse:
    title = _TITLES[error.code]
    return _page(
        "message.html", _STATUS[error.code], title=title, heading=title, paragraphs=[error.message]
    )


class SurveyPages:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.policy = feedback_policy(deps.settings)
        self.csrf_key = hmac.new(self.policy.hash_key, b"ervaringwijzer-csrf", "sha256").digest()

    # --- CSRF: a random cookie, and a form field that signs it for this one link ---------------

    def _csrf(self, nonce: str, token: str) -> str:
        message = f"{nonce}|{token_hash(token)}".encode()
        return hmac.new(self.csrf_key, message, hashlib.sha256).hexdigest()

    def _csrf_ok(self, request: Request, token: str, form: dict[str, str]) -> bool:
        nonce = request.cookies.get(CSRF_COOKIE, "")
        sent = form.get("csrf", "")
        return bool(nonce) and hmac.compare_digest(sent, self._csrf(nonce, token))

    def _with_cookie(self, request: Request, response: Response, nonce: str) -> Response:
        if request.cookies.get(CSRF_COOKIE) != nonce:
            response.set_cookie(
                CSRF_COOKIE,
                nonce,
                path="/ervaringwijzer",
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        return response

    def _nonce(self, request: Request) -> str:
        return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(16)

    async def _form(self, request: Request) -> dict[str, str]:
        """The posted form; raises BodyTooLarge past MAX_BODY (see read_capped)."""
        body = await read_capped(request)
        return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))

    def _too_large(self) -> HTMLResponse:
        title = text.TOO_LARGE_TITLE
        return _page("message.html", 413, title=title, heading=title, paragraphs=[text.TOO_LARGE])

    def _forbidden(self) -> HTMLResponse:
        title = "Probeer het opnieuw"
        return _page(
            "message.html",
            403,
            title=title,
            heading=title,
            paragraphs=[
                "Er ging iets mis met het versturen. Open de link uit je bericht nog een keer "
                "en vul de vragen opnieuw in."
            ],
        )

    async def _in_db(self, work: Callable[[Session], Any]) -> Any:
        def run() -> Any:
            with self.deps.sessions() as session:
                result = work(session)
                session.commit()
                return result

        return await run_in_threadpool(run)

    # --- the survey --------------------------------------------------------------------------

    def _survey(
        self,
        request: Request,
        token: str,
        *,
        form: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
    ) -> Response:
        nonce = self._nonce(request)
        anchors = {key: f"{key}-{text.ANSWERS[0][0]}" for key, _ in text.QUESTIONS}
        anchors.update({GRADE_FIELD: "cijfer-1", REMARKS_FIELD: REMARKS_FIELD})
        page = _page(
            "survey.html",
            422 if errors else 200,
            title="Vragenlijst",
            heading="Wat vond je van het buurtteam?",
            action=f"/ervaringwijzer/{token}",
            opt_out=f"/ervaringwijzer/afmelden/{token}",
            csrf=self._csrf(nonce, token),
            questions=text.QUESTIONS,
            answers=text.ANSWERS,
            grade_question=text.GRADE_QUESTION,
            grade_hint=text.GRADE_HINT,
            remarks_question=text.REMARKS_QUESTION,
            remarks_hint=text.REMARKS_HINT,
            remarks_max=text.REMARKS_MAX,
            form=form or {},
            errors=errors or {},
            anchors=anchors,
        )
        return self._with_cookie(request, page, nonce)

    async def show(self, request: Request) -> Response:
        token = request.path_params["token"]
        now = self.deps.clock.now()
        try:
            await self._in_db(lambda session: open_invitation(session, token, now=now))
        except SurveyClosed as error:
            return _closed(error)
        return self._survey(request, token)

    async def submit(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            form = await self._form(request)
        except BodyTooLarge:
            return self._too_large()
        if not self._csrf_ok(request, token, form):
            return self._forbidden()
        now = self.deps.clock.now()

        def store(session: Session) -> None:
            record_response(session, token, form, now=now, deidentify=self._deidentify)

        try:
            await self._in_db(store)
        except SurveyClosed as error:
            return _closed(error)
        except InvalidAnswers as error:
            return self._survey(request, token, form=form, errors=error.errors)
        return RedirectResponse("/ervaringwijzer/bedankt", status_code=303, headers=_HEADERS)

    def _deidentify(self, remark: str) -> str:
        return self.deps.deidentifier.deidentify(remark).text

    async def thanks(self, _: Request) -> Response:
        return _page(
            "message.html",
            title="Bedankt",
            heading="Bedankt voor je antwoorden!",
            paragraphs=[
                "Je antwoorden zijn goed aangekomen.",
                "Wij gebruiken ze om ons werk beter te maken. Je kunt deze pagina nu sluiten.",
            ],
        )

    # --- opting out ---------------------------------------------------------------------------

    async def opt_out_form(self, request: Request) -> Response:
        token = request.path_params["token"]
        found = await self._in_db(lambda session: find_by_token(session, token) is not None)
        if not found:
            return _closed(SurveyClosed("unknown"))
        nonce = self._nonce(request)
        page = _page(
            "opt_out.html",
            title="Afmelden",
            heading="Afmelden",
            action=f"/ervaringwijzer/afmelden/{token}",
            csrf=self._csrf(nonce, token),
        )
        return self._with_cookie(request, page, nonce)

    async def opt_out(self, request: Request) -> Response:
        token = request.path_params["token"]
        try:
            form = await self._form(request)
        except BodyTooLarge:
            return self._too_large()
        if not self._csrf_ok(request, token, form):
            return self._forbidden()
        now = self.deps.clock.now()
        try:
            await self._in_db(lambda session: opt_out(session, token, now=now))
        except SurveyClosed as error:
            return _closed(error)
        return _page(
            "message.html",
            title="Afgemeld",
            heading="Je bent afgemeld",
            paragraphs=["Je krijgt van ons geen berichten meer over de Ervaringwijzer."],
        )


def survey_routes(deps: Deps) -> list[Route]:
    """The routes to mount in the Starlette app; needs VRAAGBAAK_FEEDBACK_HASH_KEY."""
    pages = SurveyPages(deps)
    return [
        Route(f"{PREFIX}/bedankt", pages.thanks, methods=["GET"]),
        Route(f"{PREFIX}/afmelden/{{token}}", pages.opt_out_form, methods=["GET"]),
        Route(f"{PREFIX}/afmelden/{{token}}", pages.opt_out, methods=["POST"]),
        Route(f"{PREFIX}/{{token}}", pages.show, methods=["GET"]),
        Route(f"{PREFIX}/{{token}}", pages.submit, methods=["POST"]),
    ]
