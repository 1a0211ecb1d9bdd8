"""/sociale-kaart and /academie: the de-identified query is searched and the results arrive as
a DM with "Nuttig" buttons (through the outbox, keyed by the command's trigger)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.members import member_of
from bot.wiring import Deps
from routing.intake import clean_text
from routing.suggestions import enqueue_search

SEARCH_HELP = {
    "/sociale-kaart": (
        "Zoek op de sociale kaart: `/sociale-kaart taalcafé in de avond` of met een wijk: "
        "`/sociale-kaart maatje voor oudere Zuilen`. Zonder wijk zoek ik bij jouw team."
    ),
    "/academie": "Zoek een Buurtacademie-module: `/academie gesprek over schulden beginnen`.",
}
MAX_SEARCH_CHARS = 500


class SearchListeners:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_search(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """/sociale-kaart VRAAG [wijk] and /academie ONDERWERP: results in a DM, with buttons."""
        deps, name = self.deps, str(command.get("command") or "/sociale-kaart")
        text = clean_text(str(command.get("text") or ""))
        if not text or text.lower() in {"help", "hulp"}:
            ack(text=SEARCH_HELP.get(name, SEARCH_HELP["/sociale-kaart"]))
            return
        if len(text) > MAX_SEARCH_CHARS:
            ack(text=f"Je zoekvraag is te lang; houd hem onder {MAX_SEARCH_CHARS} tekens.")
            return
        user = str(command.get("user_id"))
        member = member_of(context)
        if member is None:
            ack(text=UNKNOWN_COLLEAGUE)
            return
        with deps.sessions() as session:
            query = deps.deidentifier.deidentify(text).text
            ack(text="Ik zoek het voor je op; de resultaten staan zo in je berichten van mij.")
            try:
                enqueue_search(
                    session,
                    deps.catalogue,
                    key=f"search:slack:{command.get('trigger_id')}",
                    channel=user,
                    query=query,
                    team=member.team,
                    leefgebieden=[s for s, _ in deps.finder.suggest_leefgebieden(query)[:1]],
                    social_map=name != "/academie",
                    now=deps.clock.now(),
                )
                session.commit()
            except IntegrityError:
                return  # the same command, delivered twice
        deps.after_commit()
