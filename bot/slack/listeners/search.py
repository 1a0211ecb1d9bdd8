"""/sociale-kaart and /academie in Slack: the ack says the results are coming (or what was
wrong); bot/conversation/search.py searches and sends them as a DM with "Nuttig" buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.conversation.search import Catalogue, search, understand
from bot.slack.members import member_of
from bot.wiring import Deps


class SearchListeners:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_search(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """/sociale-kaart VRAAG [wijk] and /academie ONDERWERP: results in a DM, with buttons."""
        name = str(command.get("command") or "/sociale-kaart")
        catalogue: Catalogue = "academie" if name == "/academie" else "sociale-kaart"
        plan = understand(member_of(context), catalogue, str(command.get("text") or ""))
        if isinstance(plan, str):
            ack(text=plan)
            return
        ack(text=plan.ack)
        key = f"slack:{command.get('trigger_id')}"
        search(self.deps, plan, to=str(command.get("user_id")), key=key)
        self.deps.after_commit()
