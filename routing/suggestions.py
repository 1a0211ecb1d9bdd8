"""Suggestions from the social map and the Buurtacademie, as messages, and the clicks on them.

The same message serves a routed question (in the asker's thread, at once) and an explicit
search (/sociale-kaart, /academie). Each shown item carries "Nuttig" / "Niet nuttig"; a click
is stored (knowledge/feedback.py) and the message is redrawn with the verdict in place of the
buttons, through the outbox like every other message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from knowledge.areas import area_for
from knowledge.catalogue_search import CatalogueSearch
from knowledge.feedback import record_feedback
from models.outbox import enqueue, payload_of
from models.tables import Outbox, SuggestionFeedback


class SuggestionError(Exception):
    """A click that cannot be stored; `reason` is Dutch, for the person who clicked."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def suggestion_payload(
    catalogue: CatalogueSearch,
    query: str,
    *,
    area: str | None,
    leefgebieden: list[str],
    offers: bool = True,
    modules: bool = True,
) -> dict[str, object]:
    """What a suggestions message shows: the relevant offers and modules, as plain data."""
    weights = catalogue.weights
    found_offers = (
        catalogue.find_offers(
            query, area=area, leefgebieden=leefgebieden, limit=weights.offer_limit
        )
        if offers
        else []
    )
    found_modules = (
        catalogue.find_modules(query, leefgebieden=leefgebieden, limit=weights.module_limit)
        if modules
        else []
    )
    return {
        "query": query,
        "area": area,
        "offers": [
            {
                "id": m.offer.offer_id,
                "name": m.offer.name,
                "organisation": m.offer.organisation,
                "wijk": m.offer.wijk,
                "phone": m.offer.phone,
                "email": m.offer.email,
                "url": m.offer.url,
                "cost": m.offer.cost,
            }
            for m in found_offers
        ],
        "modules": [
            {
                "id": m.module.module_id,
                "title": m.module.title,
                "format": m.module.format,
                "url": m.module.url,
            }
            for m in found_modules
        ],
        "searched_offers": offers,
        "searched_modules": modules,
    }


def enqueue_search(
    session: Session,
    catalogue: CatalogueSearch,
    *,
    key: str,
    channel: str,
    query: str,
    team: str | None,
    leefgebieden: list[str],
    social_map: bool,
    now: datetime,
) -> dict[str, Any]:
    """Answer /sociale-kaart (`social_map`) or /academie: the results as one suggestions
    message; offers near the area the query names, else near the asker's team."""
    catalogue.refresh(session)
    payload = suggestion_payload(
        catalogue,
        query,
        area=area_for(query, team) if social_map else None,
        leefgebieden=leefgebieden,
        offers=social_map,
        modules=not social_map,
    )
    payload.update(channel=channel, context=key, title=f"Je zocht: {query}")
    enqueue(session, key=key, template="suggestions", payload=payload, now=now)
    return payload


def record_click(
    session: Session,
    *,
    context: str,
    item_kind: str,
    item_id: str,
    member_id: str,
    useful: bool,
    click_id: str,
    now: datetime,
) -> None:
    """Store a verdict and redraw the message it was given on."""
    message = session.exec(select(Outbox).where(Outbox.key == context)).first()
    if message is None or message.template != "suggestions":
        raise SuggestionError("Deze suggestie ken ik niet (meer).")
    shown = payload_of(message)
    listed = {f"offer:{o['id']}" for o in shown.get("offers", [])} | {
        f"module:{m['id']}" for m in shown.get("modules", [])
    }
    if f"{item_kind}:{item_id}" not in listed:
        raise SuggestionError("Deze suggestie ken ik niet (meer).")
    record_feedback(
        session,
        context_key=context,
        query_text=str(shown.get("query", "")),
        item_kind=item_kind,
        item_id=item_id,
        member_id=member_id,
        useful=useful,
        now=now,
    )
    session.flush()
    verdicts = {
        f"{row.item_kind}:{row.item_id}": row.useful
        for row in session.exec(
            select(SuggestionFeedback).where(
                SuggestionFeedback.context_key == context,
                SuggestionFeedback.member_id == member_id,
            )
        )
    }
    redraw = {k: v for k, v in shown.items() if k not in ("thread", "thread_of", "private_to")}
    enqueue(
        session,
        key=f"{context}:click:{click_id}",
        template="suggestions",
        payload={**redraw, "update_of": context, "verdicts": verdicts},
        now=now,
    )
