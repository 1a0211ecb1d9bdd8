"""Slack side of the look before a question leaves: "Versturen", "Aanpassen" and its modal.

The domain (routing/dispatch.py: `confirm`, `revise`) decides; this module only adapts Slack.
The modal shows the de-identified text, never the original: the original is not stored, and
the asker can restore a word that was removed wrongly by typing it again (it is checked again).
Opening a modal needs Slack's trigger id within three seconds, so it is called directly; a
failed views.open loses nothing (the asker taps again), as for the registration modals.
"""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot import ids
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.slack.members import member_of
from bot.slack.notices import open_modal, send_notice
from bot.wiring import Deps
from models.tables import Question


def edit_view(question: Question) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.QUESTION_EDIT_VIEW,
        "private_metadata": json.dumps({"question_id": question.id}),
        "title": {"type": "plain_text", "text": "Vraag aanpassen"},
        "submit": {"type": "plain_text", "text": "Bekijken"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": [
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Zo zien collega's je vraag nu. Pas hem aan; ik haal er daarna "
                        "opnieuw uit wat iemand herkenbaar maakt en laat het je zien.",
                    }
                ],
            },
            {
                "type": "input",
                "block_id": "text",
                "label": {"type": "plain_text", "text": "Je vraag"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "initial_value": question.text,
                },
            },
        ],
    }


class PreviewListeners:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client

    def on_action(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        deps = self.deps
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or user)
        key = f"notice:action:{user}:{action.get('action_ts', '')}"
        member = member_of(context)
        with deps.sessions() as session:
            try:
                if member is None:
                    raise Unreadable(UNKNOWN_COLLEAGUE)
                question_id = int(str(action.get("value") or "0"))
                if action.get("action_id") == ids.QUESTION_SEND:
                    deps.dispatcher.confirm(session, question_id, member.id)
                    session.commit()
                else:
                    question = deps.dispatcher.editable(session, question_id, member.id)
                    self._open(str(body.get("trigger_id")), edit_view(question))
            except (*REFUSALS, ValueError) as error:
                session.rollback()
                reason = "Onbekende knop." if isinstance(error, ValueError) else refusal_text(error)
                send_notice(deps, channel, user, reason, None, key=key)
                return
        deps.after_commit()

    def on_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        deps = self.deps
        values = (view.get("state") or {}).get("values") or {}
        text = str(values.get("text", {}).get("value", {}).get("value") or "")
        question_id = int(json.loads(view.get("private_metadata") or "{}").get("question_id", 0))
        member = member_of(context)
        with deps.sessions() as session:
            try:
                if member is None:
                    raise Unreadable(UNKNOWN_COLLEAGUE)
                deps.dispatcher.revise(session, question_id, member.id, text)
            except REFUSALS as error:
                session.rollback()
                ack(response_action="errors", errors={"text": refusal_text(error)[:150]})
                return
            ack()
            session.commit()
        deps.after_commit()

    def _open(self, trigger_id: str, view: dict[str, Any]) -> None:
        open_modal(self.client, trigger_id, view)


def register(app: App, deps: Deps, client: WebClient) -> None:
    listeners = PreviewListeners(deps, client)
    app.action(ids.QUESTION_SEND)(listeners.on_action)
    app.action(ids.QUESTION_EDIT)(listeners.on_action)
    app.view(ids.QUESTION_EDIT_VIEW)(listeners.on_submit)
