"""Who a chat user is: every Slack request starts here.

`resolve_member` is a Bolt middleware that looks up the colleague behind the user of every
request once and puts it into `context["member"]` (None for strangers and leavers); a listener
takes it with `member_of(context)`. The Member is detached: read its columns, pass its id on.
Strangers get `UNKNOWN_COLLEAGUE` (bot/messages.py), the one wording of "I don't know you yet".
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltContext
from sqlmodel import Session, select

from bot.wiring import Deps
from models.tables import Member

MEMBER = "member"


def member_for_chat_user(session: Session, chat_user_id: str) -> Member | None:
    """The active colleague behind a Slack user id; None for strangers and leavers."""
    return session.exec(
        select(Member).where(Member.chat_user_id == chat_user_id, Member.is_active == True)  # noqa: E712
    ).first()


def resolve_member(deps: Deps) -> Callable[[BoltContext, Callable[[], None]], None]:
    """The middleware: `context["member"]` for the request's user, looked up in its own
    session (read only, nothing is written)."""

    def middleware(context: BoltContext, next: Callable[[], None]) -> None:
        member = None
        if context.user_id:
            with deps.sessions() as session:
                member = member_for_chat_user(session, context.user_id)
        context[MEMBER] = member
        next()

    return middleware


def member_of(context: BoltContext) -> Member | None:
    """The colleague `resolve_member` found for this request."""
    member = context.get(MEMBER)
    return member if isinstance(member, Member) else None
