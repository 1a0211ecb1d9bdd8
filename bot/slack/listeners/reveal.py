"""`/onthul V reden` in Slack; the meaning (and the audit) is bot/conversation/reveal.py's.
A refusal writes nothing and is the command's ack text; a command Slack delivers twice is
answered once (keyed by its trigger id)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.conversation.reveal import reveal
from bot.slack.members import member_of
from bot.wiring import Deps

COMMAND = "/onthul"


def register(app: App, deps: Deps) -> None:
    """Listen to /onthul."""

    def on_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text = str(command.get("text") or "")
        key = str(command.get("trigger_id"))
        reply = reveal(deps, member_of(context), text, key=key)
        ack() if reply is None else ack(text=reply)
        deps.after_commit()

    app.command(COMMAND)(on_command)
