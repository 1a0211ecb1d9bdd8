"""Notices: replies that change no state (an error, a hint), still sent through the outbox."""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError

from bot.wiring import Deps
from models.messages import Address, ChatUser, Notice
from models.outbox import enqueue

log = logging.getLogger(__name__)


def send_notice(
    deps: Deps, channel: str, user: str, text: str, thread: str | None = None, *, key: str
) -> None:
    """A private reply in its own transaction, under a key naming its cause: retried when Slack
    fails, sent once when Slack retries the event or click that caused it. In a shared
    channel only `user` sees it."""
    in_dm = not channel or channel[0] in "DUW"  # a DM, or a user id, which opens one
    to = Address.conversation(channel or user, thread, private_to=None if in_dm else ChatUser(user))
    try:
        with deps.sessions() as session:
            enqueue(session, key=key, message=Notice(to=to, text=text), now=deps.clock.now())
            session.commit()
    except IntegrityError:
        return  # the same notice, enqueued by a concurrent retry
    deps.after_commit()


def open_modal(client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
    """views.open, called directly (see CONTRIBUTING: a modal needs the trigger id within three
    seconds and is not a message); an expired trigger loses nothing, the user taps again."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        log.warning("views.open failed: %s", error.response.get("error"))
