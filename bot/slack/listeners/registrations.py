"""Quick registrations in Slack: /registreer, the card's buttons (one handler per action id)
and the modals (bot/slack/views/registration.py). A DM that reads like a registration is
bot/conversation/direct.py's; the desk (casework/registration/desk.py) decides what is saved.

A modal is not a message: Slack's trigger_id expires after three seconds, so views.open is
called directly in the listener instead of through the outbox.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot import ids
from bot.conversation.registration import HELP, TODAY_WORDS, feedback, list_today, propose
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.slack.members import member_of
from bot.slack.notices import open_modal, send_notice
from bot.slack.payloads import user_of
from bot.slack.views.registration import contact_view, edit_view, form_message, form_view
from bot.wiring import Deps
from casework.ervaringwijzer.invitations import Refused
from casework.ervaringwijzer.text import CONTACT_LABEL
from casework.registration import Refusal
from models.messages import Conversation
from models.tables import Member


class RegistrationListeners:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client

    def on_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        deps, user = self.deps, str(command.get("user_id"))
        text = str(command.get("text") or "").strip()
        member = member_of(context)
        if member is None:
            ack(text=UNKNOWN_COLLEAGUE)
            return
        if text.lower() in {"help", "hulp"}:
            ack(text=HELP)
            return
        if not text:
            ack()
            open_modal(self.client, str(command.get("trigger_id")), form_view(deps, member.team))
            return
        key = f"slack:{command.get('trigger_id')}"
        with deps.sessions() as session:
            if text.lower() in TODAY_WORDS:
                ack(text="Je registraties van vandaag staan zo in je berichten van mij.")
                list_today(deps, session, member, key=key)
            else:
                outcome = propose(deps, session, member, text, key=key, channel=user)
                if isinstance(outcome, Refusal):
                    ack(text=outcome.text_nl())  # nothing of a refused message is stored
                    return
                ack(text="Controleer je registratie in je berichten van mij en kies Opslaan.")
            session.commit()
        deps.after_commit()

    # -- buttons: one handler per action id (BUTTONS) -------------------------------------
    def on_action(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        action = (body.get("actions") or [{}])[0]
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or user)
        handler = BUTTONS.get(str(action.get("action_id")))
        if handler is None:
            return
        with self.deps.sessions() as session:
            try:
                member = member_of(context)
                if member is None:
                    raise Unreadable(UNKNOWN_COLLEAGUE)
                chosen = (action.get("selected_option") or {}).get("value")
                value = str(action.get("value") or chosen or "")
                press = Press(self, session, member, value, body)
                if not handler(press):
                    return  # a modal was opened: nothing to commit or deliver
                session.commit()
            except (*REFUSALS, ValueError) as error:
                session.rollback()
                reason = (
                    "Deze knop begrijp ik niet."
                    if isinstance(error, ValueError)
                    else refusal_text(error)
                )
                key = f"notice:reg:{user}:{action.get('action_ts')}"
                send_notice(self.deps, channel, user, reason, key=key)
                return
            except IntegrityError:
                return  # the same click, handled by a concurrent delivery
        self.deps.after_commit()

    # -- modals ---------------------------------------------------------------------------
    def on_contact(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        """The client's e-mail address or phone number for the Ervaringwijzer. It goes to the
        invitation only, never into a message, a log line or the card."""
        deps = self.deps
        values = (view.get("state") or {}).get("values") or {}
        contact = str(values.get("contact", {}).get("value", {}).get("value") or "").strip()
        metadata = json.loads(view.get("private_metadata") or "{}")
        with deps.sessions() as session:
            try:
                member = member_of(context)
                if member is None:
                    raise Unreadable(UNKNOWN_COLLEAGUE)
                outcome = deps.registrations.invite(
                    session,
                    str(metadata.get("card")),
                    member.id,
                    channel=str(metadata.get("channel")),
                    contact=contact,
                    now=deps.clock.now(),
                    policy=feedback(deps),
                )
            except REFUSALS as error:
                ack(response_action="errors", errors={"contact": refusal_text(error)[:150]})
                return
            if isinstance(outcome, Refused):
                ack(response_action="errors", errors={"contact": outcome.message[:150]})
                return
            ack()
            session.commit()
        deps.after_commit()

    def on_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        deps, user = self.deps, user_of(body)
        values = (view.get("state") or {}).get("values") or {}
        if view.get("callback_id") == ids.REG_FORM:
            text, field = form_message(values, deps), "details"
            metadata: dict[str, Any] = {}
        else:
            text, field = str(values.get("text", {}).get("value", {}).get("value") or ""), "text"
            metadata = json.loads(view.get("private_metadata") or "{}")
        member = member_of(context)
        if member is None:
            ack(response_action="errors", errors={field: UNKNOWN_COLLEAGUE})
            return
        with deps.sessions() as session:
            outcome = propose(
                deps,
                session,
                member,
                text,
                key=f"modal:{view.get('id')}:{view.get('hash', '')}",
                channel=user,
                replaces=metadata.get("replaces"),
                update_of=metadata.get("card"),
            )
            if isinstance(outcome, Refusal):
                ack(response_action="errors", errors={field: outcome.text_nl()[:150]})
                return
            ack()
            session.commit()
        deps.after_commit()


@dataclass(frozen=True)
class Press:
    """A tap on a registration card's button: who, in which transaction, with what value."""

    listeners: RegistrationListeners
    session: Session
    member: Member
    value: str
    body: dict[str, Any]

    @property
    def deps(self) -> Deps:
        return self.listeners.deps

    def open(self, view: dict[str, Any]) -> bool:
        open_modal(self.listeners.client, str(self.body.get("trigger_id")), view)
        return False


def _save(p: Press) -> bool:
    p.deps.registrations.save(p.session, p.value, p.member.id, p.deps.clock.now())
    return True


def _cancel(p: Press) -> bool:
    p.deps.registrations.cancel(p.session, p.value, p.member.id, p.deps.clock.now())
    return True


def _undo(p: Press) -> bool:
    p.deps.registrations.undo(p.session, p.value, p.member.id, p.deps.clock.now())
    return True


def _undo_event(p: Press) -> bool:
    p.deps.registrations.undo_event(p.session, int(p.value), p.member.id, p.deps.clock.now())
    action_ts = (p.body.get("actions") or [{}])[0].get("action_ts")
    list_today(p.deps, p.session, p.member, key=f"undo:{p.value}:{action_ts}")
    return True


def _edit(p: Press) -> bool:
    card = p.deps.registrations.card(p.session, p.value, p.member.id)
    return p.open(edit_view(card.message, {"card": p.value, "replaces": card.replaces}))


def _fix(p: Press) -> bool:
    """A guessed field chosen on the card: the card is proposed again with that value, in
    its place (casework/registration/fixes.py)."""
    card_key, field, value = p.value.rsplit("|", 2)
    card, text = p.deps.registrations.fixed(
        p.session, card_key, p.member.id, field, value, p.deps.clock.now()
    )
    recipient = card.to.recipient
    channel = recipient.id if isinstance(recipient, Conversation) else p.member.chat_user_id
    action_ts = (p.body.get("actions") or [{}])[0].get("action_ts")
    outcome = propose(
        p.deps,
        p.session,
        p.member,
        text,
        key=f"fix:{card_key}:{field}:{action_ts}",
        channel=str(channel or ""),
        replaces=card.replaces,
        update_of=card_key,
    )
    if isinstance(outcome, Refusal):
        raise Unreadable(outcome.text_nl())
    return True


def _invite(p: Press) -> bool:
    card_key, channel_kind = p.value.rsplit("|", 1)
    desk = p.deps.registrations
    if channel_kind in CONTACT_LABEL:
        desk.card(p.session, card_key, p.member.id)  # only the sender may choose
        return p.open(contact_view({"card": card_key, "channel": channel_kind}))
    outcome = desk.invite(
        p.session,
        card_key,
        p.member.id,
        channel=channel_kind,
        contact=None,
        now=p.deps.clock.now(),
        policy=feedback(p.deps),
    )
    if isinstance(outcome, Refused):
        raise Unreadable(outcome.message)
    return True


def _correct(p: Press) -> bool:
    event = p.deps.registrations.own_event(p.session, int(p.value), p.member.id)
    return p.open(edit_view(p.deps.registrations.message_of(event), {"replaces": event.id}))


# A handler returns True when it changed something to commit and deliver, False when it only
# opened a modal.
BUTTONS: dict[str, Callable[[Press], bool]] = {
    ids.REG_SAVE: _save,
    ids.REG_CANCEL: _cancel,
    ids.REG_UNDO: _undo,
    ids.REG_EVENT_UNDO: _undo_event,
    ids.REG_EDIT: _edit,
    ids.REG_FIX: _fix,
    ids.REG_INVITE: _invite,
    ids.REG_CORRECT: _correct,
}


def register(app: App, listeners: RegistrationListeners) -> None:
    app.command("/registreer")(listeners.on_command)
    for action_id in BUTTONS:
        app.action(action_id)(listeners.on_action)
    app.view(ids.REG_FORM)(listeners.on_submit)
    app.view(ids.REG_EDIT)(listeners.on_submit)
    app.view(ids.REG_CONTACT)(listeners.on_contact)
