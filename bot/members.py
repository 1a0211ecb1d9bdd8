"""Who a chat user is: every Slack listener starts here."""

from __future__ import annotations

from sqlmodel import Session, select

from models.tables import Member


def member_for_chat_user(session: Session, chat_user_id: str) -> Member | None:
    """The active colleague behind a Slack user id; None for strangers and leavers."""
    return session.exec(
        select(Member).where(Member.chat_user_id == chat_user_id, Member.is_active == True)  # noqa: E712
    ).first()
