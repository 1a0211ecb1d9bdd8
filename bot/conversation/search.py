"""Searching the social map (`/sociale-kaart`) and the Buurtacademie (`/academie`).

The query is de-identified before anything else sees it (a search may name a client as easily
as a question), then searched; the results arrive as a message with "Nuttig" buttons through
the outbox, keyed by the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.text import without_chat_markup
from bot.wiring import Deps
from models.tables import Member
from routing.intake import clean_text
from routing.suggestions import enqueue_search

Catalogue = Literal["sociale-kaart", "academie"]
HELP: dict[Catalogue, str] = {
    "sociale-kaart": (
        "Zoek op de sociale kaart: `/sociale-kaart taalcafé in de avond` of met een wijk: "
        "`/sociale-kaart maatje voor oudere Zuilen`. Zonder wijk zoek ik bij jouw team."
    ),
    "academie": "Zoek een Buurtacademie-module: `/academie gesprek over schulden beginnen`.",
}
MAX_SEARCH_CHARS = 500
SEARCHING = "Ik zoek het voor je op; de resultaten staan zo in je berichten van mij."


@dataclass(frozen=True)
class SearchPlan:
    member: Member
    catalogue: Catalogue
    text: str
    ack: str = SEARCHING


def understand(member: Member | None, catalogue: Catalogue, text: str) -> SearchPlan | str:
    """Cheap checks only: the plan, or the Dutch reply that ends the request."""
    text = clean_text(without_chat_markup(text))
    if not text or text.lower() in {"help", "hulp"}:
        return HELP[catalogue]
    if len(text) > MAX_SEARCH_CHARS:
        return f"Je zoekvraag is te lang; houd hem onder {MAX_SEARCH_CHARS} tekens."
    if member is None:
        return UNKNOWN_COLLEAGUE
    return SearchPlan(member, catalogue, text)


def search(deps: Deps, plan: SearchPlan, *, to: str, key: str) -> None:
    """De-identify, search and enqueue the results for `to` (committed; once per key)."""
    query = deps.deidentifier.deidentify(plan.text).text
    try:
        with deps.sessions() as session:
            enqueue_search(
                session,
                deps.catalogue,
                key=f"search:{key}",
                channel=to,
                query=query,
                team=plan.member.team,
                leefgebieden=[s for s, _ in deps.finder.suggest_leefgebieden(query)[:1]],
                social_map=plan.catalogue == "sociale-kaart",
                now=deps.clock.now(),
            )
            session.commit()
    except IntegrityError:
        return  # the same request, delivered twice
