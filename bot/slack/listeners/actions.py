"""The buttons on questions, invitations and suggestions: one small handler per action id.

`ActionListeners.on_action` (below) acks, opens the transaction and answers a refusal with a
notice; the handler here only calls the core. A handler raises `DispatchError` with the
Dutch reason to refuse; a value it cannot read is "Deze knop begrijp ik niet (meer)."
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, BoltContext
from sqlmodel import Session

from bot import ids
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.slack.members import member_for_chat_user, member_of
from bot.slack.notices import send_notice
from bot.slack.payloads import action_of, channel_of, user_of
from bot.wiring import Deps
from models.tables import Member
from routing.anonymity import claim_forward
from routing.suggestions import record_click


@dataclass(frozen=True)
class Click:
    """One button press, in the transaction of its listener."""

    session: Session
    deps: Deps
    actor: Member
    action: dict[str, Any]

    @property
    def value(self) -> str:
        return str(self.action.get("value") or "")


def accept(click: Click) -> None:
    click.deps.dispatcher.accept(click.session, int(click.value), click.actor.id)


def decline(click: Click) -> None:
    click.deps.dispatcher.decline(click.session, int(click.value), click.actor.id)


def forward(click: Click) -> None:
    """ "Ken iemand anders": a users_select; the invitation's id is in the block id."""
    invitation_id = int(str(click.action.get("block_id", "")).split(":")[1])
    selected = str(click.action.get("selected_user") or "")
    colleague = member_for_chat_user(click.session, selected)
    if colleague is None:
        raise Unreadable("Die collega gebruikt Vraagbaak nog niet.")
    now = click.deps.clock.now()
    claim_forward(click.session, invitation_id, click.actor.id, colleague.id, now)
    click.deps.dispatcher.forward(click.session, invitation_id, click.actor.id, colleague.id)


def rate(click: Click) -> None:
    question_id, score = click.value.split(":")
    click.deps.dispatcher.close(click.session, int(question_id), click.actor.id, rating=int(score))


def close(click: Click) -> None:
    click.deps.dispatcher.close(click.session, int(click.value), click.actor.id)


def reuse(click: Click) -> None:
    question_id, earlier_id = click.value.split(":")
    click.deps.dispatcher.reuse_answer(
        click.session, int(question_id), click.actor.id, int(earlier_id)
    )


def release(click: Click) -> None:
    click.deps.dispatcher.release(click.session, int(click.value), click.actor.id)


def _suggestion(useful: bool) -> Callable[[Click], None]:
    def handle(click: Click) -> None:
        context, kind, item_id = click.value.split("|")
        now = click.deps.clock.now()
        record_click(
            click.session,
            context=context,
            item_kind=kind,
            item_id=item_id,
            member_id=click.actor.id,
            useful=useful,
            click_id=str(click.action.get("action_ts") or now.timestamp()),
            now=now,
        )

    return handle


HANDLERS: dict[str, Callable[[Click], None]] = {
    ids.ACCEPT: accept,
    ids.DECLINE: decline,
    ids.FORWARD: forward,
    ids.RATE: rate,
    ids.CLOSE: close,
    ids.REUSE: reuse,
    ids.RELEASE: release,
    ids.USEFUL: _suggestion(useful=True),
    ids.NOT_USEFUL: _suggestion(useful=False),
}


def apply(click: Click) -> None:
    """The handler of the click's action id; a button it cannot read is `Unreadable`."""
    handler = HANDLERS.get(str(click.action.get("action_id")))
    if handler is None:
        return
    try:
        handler(click)
    except (ValueError, IndexError) as error:
        raise Unreadable("Deze knop begrijp ik niet (meer).") from error


class ActionListeners:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_action(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, action, user = self.deps, action_of(body), user_of(body)
        channel = channel_of(body)
        action_ts = (
            action.get("action_ts") or body.get("trigger_id") or deps.clock.now().timestamp()
        )
        actor = member_of(context)
        with deps.sessions() as session:
            try:
                if actor is None:
                    raise Unreadable(UNKNOWN_COLLEAGUE)
                apply(Click(session, deps, actor, action))
                session.commit()
            except REFUSALS as error:
                session.rollback()
                reason = refusal_text(error)
                send_notice(deps, channel, user, reason, key=f"notice:action:{user}:{action_ts}")
                return
        deps.after_commit()
