"""`/cijfers [team] [periode]` and `/cijfers instellen <dag> <tijd> [#kanaal]` in Slack.

The meaning lives in bot/conversation/figures.py; here the command's ack says at once what
comes (or what was wrong), and the figures follow privately as a DM through the outbox, keyed
by the command's trigger id.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.conversation import figures
from bot.slack.members import member_of
from bot.wiring import Deps

COMMAND = "/cijfers"


class _Slack:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text, user = str(command.get("text") or ""), str(command.get("user_id") or "")
        key, member = f"cijfers:{command.get('trigger_id')}", member_of(context)
        if figures.is_setting(text):
            here = str(command.get("channel_id") or "")
            ack(text=figures.set_moment(self.deps, member, text, here=here, key=key))
            self.deps.after_commit()
            return
        plan = figures.understand(self.deps, member, text)
        if isinstance(plan, str):
            ack(text=plan)
            return
        ack(text=plan.ack)
        figures.send_figures(self.deps, plan, to=user, key=key)


def register(app: App, deps: Deps) -> None:
    """Add /cijfers to the Bolt app (manifest: the command with should_escape true)."""
    app.command(COMMAND)(_Slack(deps).on_command)
