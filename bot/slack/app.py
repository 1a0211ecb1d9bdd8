"""The Slack app factory: the member middleware, the polite error handler, and every listener
(bot/slack/listeners/) registered on a new Bolt app. Listeners parse the payload, call the
domain, and let the outbox speak.

Each listener acks first, then does its work in one database transaction; messages that the
work causes are outbox rows in that transaction and are delivered after the commit. Replies
that change nothing (an error, "I don't know you yet") are outbox rows too, keyed by the event
or click that caused them. Only a slash command's ack text is answered in the HTTP response.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import App
from slack_sdk import WebClient

from bot.slack.errors import polite_errors
from bot.slack.listeners import actions
from bot.slack.listeners.actions import ActionListeners
from bot.slack.listeners.cijfers import register as register_cijfers
from bot.slack.listeners.expertise import register_expertise
from bot.slack.listeners.home import register_home
from bot.slack.listeners.messages import register as register_messages
from bot.slack.listeners.question_preview import register as register_preview
from bot.slack.listeners.registrations import RegistrationListeners
from bot.slack.listeners.registrations import register as register_registrations
from bot.slack.listeners.reveal import register as register_reveal
from bot.slack.listeners.search import SearchListeners
from bot.slack.listeners.voice import register as register_voice
from bot.slack.members import resolve_member
from bot.wiring import Deps


@dataclass(frozen=True)
class SlackApp:
    """The Bolt app, and what must run after each delivery round (the App Home refresh, the
    expiry of unconfirmed voice transcripts). Building the app changes nothing outside it: the
    composition root (bot/web/server.py, the test harnesses) hands `after_delivery` to the
    delivery worker (`deps.on_delivered`)."""

    bolt: App
    after_delivery: tuple[Callable[[list[int]], None], ...]


def build_app(
    deps: Deps,
    *,
    client: WebClient,
    signing_secret: str,
    process_before_response: bool = False,
    token_verification_enabled: bool = True,
) -> SlackApp:
    """A new Bolt app around our listeners; there is no module-level App."""
    app = App(
        client=client,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        token_verification_enabled=token_verification_enabled,
    )
    app.use(resolve_member(deps))
    search = SearchListeners(deps)
    buttons = ActionListeners(deps)
    register_registrations(app, RegistrationListeners(deps, client))
    register_cijfers(app, deps)
    voice = register_voice(app, deps, client)  # before the DM listener: it takes DMs with audio
    register_messages(app, deps)
    app.command("/sociale-kaart")(search.on_search)
    app.command("/academie")(search.on_search)
    for action_id in actions.HANDLERS:
        app.action(action_id)(buttons.on_action)

    app.error(polite_errors(deps))

    home = register_home(app, deps)
    register_preview(app, deps, client)
    register_expertise(app, deps, home.refresh)
    register_reveal(app, deps)
    return SlackApp(app, (home.on_delivered, voice.expire_now_and_then))
