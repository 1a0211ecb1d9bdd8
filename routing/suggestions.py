"""Suggestions from the social map and the Buurtacademie, as messages, and the clicks on them.

The same message serves a routed question (in the asker's thread, at once) and an explicit
search (/sociale-kaart, /academie). Each shown item carries "Nuttig" / "Niet nuttig"; a click
is stored (knowledge/feedback.py) and the message is redrawn with the verdict in place of the
buttons, through the outbox like every other message.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session, select

from knowledge.areas import area_for
from knowledge.catalogue_search import CatalogueSearch
from knowledge.feedback import record_feedback
from models.errors import DomainError, Why
from models.messages import (
    Address,
    Conversation,
    SuggestedModule,
    SuggestedOffer,
    Suggestions,
)
from models.outbox import enqueue, stored
from models.tables import Outbox, SuggestionFeedback


class SuggestionError(DomainError):
    """A click that cannot be stored."""


def find_suggestions(
    catalogue: CatalogueSearch,
    query: str,
    *,
    to: Address,
    context: str,
    area: str | None,
    leefgebieden: list[str],
    offers: bool = True,
    modules: bool = True,
    title: str | None = None,
    unasked: bool = False,
) -> Suggestions:
    """The suggestions message for `query`: the relevant offers and modules; `context` is the
    outbox key it is sent under (clicks name it). `unasked`: beside a routed question, where
    only strong evidence is shown (knowledge/catalogue_search.py)."""
    weights = catalogue.weights
    found_offers = (
        catalogue.find_offers(
            query,
            area=area,
            leefgebieden=leefgebieden,
            limit=weights.offer_limit,
            unasked=unasked,
        )
        if offers
        else []
    )
    found_modules = (
        catalogue.find_modules(
            query, leefgebieden=leefgebieden, limit=weights.module_limit, unasked=unasked
        )
        if modules
        else []
    )
    return Suggestions(
        to=to,
        query=query,
        context=context,
        area=area,
        offers=tuple(
            SuggestedOffer(
                id=m.offer.offer_id,
                name=m.offer.name,
                organisation=m.offer.organisation,
                wijk=m.offer.wijk,
                address=", ".join(p for p in (m.offer.address, m.offer.postcode) if p),
                phone=m.offer.phone,
                email=m.offer.email,
                url=m.offer.url,
                cost=m.offer.cost,
            )
            for m in found_offers
        ),
        modules=tuple(
            SuggestedModule(
                id=m.module.module_id,
                title=m.module.title,
                format=m.module.format,
                url=m.module.url,
            )
            for m in found_modules
        ),
        searched_offers=offers,
        searched_modules=modules,
        title=title,
    )


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
) -> Suggestions:
    """Answer /sociale-kaart (`social_map`) or /academie: the results as one suggestions
    message; offers near the area the query names, else near the asker's team."""
    catalogue.refresh(session)
    found = find_suggestions(
        catalogue,
        query,
        to=Address.conversation(channel),
        context=key,
        area=area_for(query, team) if social_map else None,
        leefgebieden=leefgebieden,
        offers=social_map,
        modules=not social_map,
        title=f"Je zocht: {query}",
    )
    enqueue(session, key=key, message=found, now=now)
    return found


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
    shown = stored(session.exec(select(Outbox).where(Outbox.key == context)).first(), Suggestions)
    listed = set()
    if shown is not None:
        listed = {f"offer:{o.id}" for o in shown.offers} | {f"module:{m.id}" for m in shown.modules}
    if shown is None or f"{item_kind}:{item_id}" not in listed:
        raise SuggestionError(Why.SUGGESTION_UNKNOWN)
    record_feedback(
        session,
        context_key=context,
        query_text=shown.query,
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
    # the redraw replaces the message where it landed (without a thread or a private viewer:
    # an update keeps both); should that message be gone, it goes to the same recipient
    recipient = shown.to.recipient
    if isinstance(recipient, Conversation):
        recipient = Conversation(recipient.id)
    redraw = Address(recipient, update_of=context)
    enqueue(
        session,
        key=f"{context}:click:{click_id}",
        message=replace(shown, to=redraw, verdicts=verdicts),
        now=now,
    )
