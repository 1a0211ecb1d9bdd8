"""The App Home (Start tab) in Slack: publish it, and its buttons and "Nieuwe vraag" modal.

A Home view is not a message: it is published with `views.publish` directly, not through the
outbox. Nothing is lost when a publish fails: the next change or the next opening of the tab
publishes the whole view again. It is published on `app_home_opened` and after every delivery
round for the members the delivered rows concern, once per member per round, and only when it
differs from the view this process last published to them. What it shows is
bot/conversation/home.py's; its blocks are bot/slack/views/home.py's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import col, select

from bot import ids
from bot.conversation.direct import Told, Typed, ask
from bot.conversation.home import concerned_members, home_of
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, refusal_text
from bot.render.blocks import _section
from bot.slack.members import member_of
from bot.slack.notices import open_modal, send_notice
from bot.slack.payloads import user_of
from bot.slack.views.home import ask_modal, home_view
from bot.text import without_chat_markup
from bot.wiring import Deps
from models.tables import Member
from routing.learning import remove_topic

log = logging.getLogger(__name__)


def publish_home(
    deps: Deps,
    client: WebClient,
    member_ids: set[str],
    published: dict[str, str] | None = None,
    *,
    always: bool = False,
) -> None:
    """Publish the Home of each member (with a chat id); a failure is logged, not raised.
    With `published` (user id → digest of the view last published to them by this process), a
    view equal to the last one is not published again unless `always`: most deliveries (a
    notice, a card) change nothing on the Home."""
    if not member_ids:
        return
    with deps.sessions() as session:
        members = session.exec(
            select(Member).where(col(Member.id).in_(member_ids), Member.is_active == True)  # noqa: E712
        ).all()
        views = [
            (m.chat_user_id, home_view(home_of(session, m, deps.clock.now()))) for m in members
        ]
    for user_id, view in views:
        if not user_id:
            continue
        digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
        if not always and published is not None and published.get(user_id) == digest:
            continue
        if _publish(client, user_id, view) and published is not None:
            published[user_id] = digest


def _publish(client: WebClient, user_id: str, view: dict[str, Any]) -> bool:
    """views.publish, called directly (a view is not a message); a failure is logged and
    repaired by the next publish. True when Slack took it."""
    try:
        client.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        log.warning("views.publish failed: %s", error.response.get("error"))
        return False
    return True


class HomeListeners:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client
        self._published: dict[str, str] = {}  # user id → digest of their last published view
        self._lock = threading.Lock()

    def refresh(self, member_ids: set[str], *, always: bool = False) -> None:
        """Publish what changed; `always` also what did not (the tab was just opened)."""
        with self._lock:  # delivery and listener threads both refresh
            publish_home(self.deps, self.client, member_ids, self._published, always=always)

    def on_delivered(self, row_ids: list[int]) -> None:
        with self.deps.sessions() as session:
            members = concerned_members(session, row_ids)
        self.refresh(members)

    def on_opened(self, ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        if event.get("tab", "home") != "home":
            return
        member = member_of(context)
        if member is None:
            view = {"type": "home", "blocks": [_section(UNKNOWN_COLLEAGUE)]}
            _publish(self.client, str(event.get("user") or ""), view)
            return
        self.refresh({member.id}, always=True)

    def on_ask_button(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        open_modal(self.client, str(body.get("trigger_id")), ask_modal())

    def on_ask_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        """The modal's question goes the way of /vraag: intake, then the dispatcher."""
        deps, user = self.deps, user_of(body)
        values = (view.get("state") or {}).get("values") or {}
        text = str(values.get("question", {}).get("value", {}).get("value") or "").strip()
        try:
            deps.dispatcher.intake.check(without_chat_markup(text))
        except REFUSALS as refused:
            ack(response_action="errors", errors={"question": refusal_text(refused)[:150]})
            return
        asker = member_of(context)
        if asker is None:
            ack(response_action="errors", errors={"question": UNKNOWN_COLLEAGUE[:150]})
            return
        ack()
        typed = Typed(
            member=asker,
            text=text,
            key=f"slack:home:{view.get('id')}",
            channel=user,
            question_only=True,
        )
        outcome = ask(deps, typed)
        if isinstance(outcome, Told):
            send_notice(deps, user, user, outcome.text, key=f"notice:home:{view.get('id')}")
            return
        deps.after_commit()

    def on_forget(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, user = self.deps, user_of(body)
        action = (body.get("actions") or [{}])[0]
        member = member_of(context)
        if member is None:
            return
        with deps.sessions() as session:
            try:
                remove_topic(session, member.id, str(action.get("value") or ""), deps.clock.now())
            except REFUSALS as error:
                session.rollback()
                send_notice(
                    self.deps,
                    user,
                    user,
                    refusal_text(error),
                    key=f"notice:action:{user}:{action.get('action_ts')}",
                )
                return
            session.commit()
        self.refresh({member.id})


def register_home(app: App, deps: Deps) -> HomeListeners:
    """The Home tab's listeners; `on_delivered` is the refresh after every delivery round
    (bot/slack/app.py hands it to the composition root)."""
    listeners = HomeListeners(deps, app.client)
    app.event("app_home_opened")(listeners.on_opened)
    app.action(ids.HOME_ASK)(listeners.on_ask_button)
    app.view(ids.HOME_ASK_MODAL)(listeners.on_ask_submit)
    app.action(ids.PROFILE_FORGET_TOPIC)(listeners.on_forget)
    return listeners
