"""The console's ChatSender: prints each delivered message with its addressee, like a chat
window would show it (bot/console/chat.py is the chat that reads what is typed)."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from sqlmodel import select

from bot.conversation.figures import save_chart
from bot.render.console_text import console_plain
from bot.render.rendering import console
from bot.wiring import Deps
from bot.workers.delivery import Target
from models.messages import FiguresDigest, Message, RegistrationCard, Suggestions
from models.tables import Member


class ConsoleSender:
    """Prints each delivered message; remembers the last suggestions and registration card per
    member, which /nuttig and /opslaan refer to."""

    def __init__(self, deps: Deps, out: TextIO, chart_dir: Path | None = None) -> None:
        self.deps = deps
        self.out = out
        self.chart_dir = chart_dir  # where a chart goes as a PNG (a terminal shows no picture)
        self._seq = 0
        self.last_suggestions: dict[str, str] = {}  # member id -> context of the last list
        self.last_card: dict[str, str] = {}  # member id -> key of the last registration card
        self.last_card_state: dict[str, str] = {}  # member id -> that card's state

    def name_of(self, chat_user_id: str) -> str | None:
        """A mention's colleague (<@U…> in a text): their name, or None."""
        with self.deps.sessions() as session:
            member = session.exec(select(Member).where(Member.chat_user_id == chat_user_id)).first()
        return member.display_name if member else None

    def send(self, target: Target, message: Message) -> tuple[str, str]:
        self._seq += 1
        member_id = target.channel.removeprefix("console:")
        with self.deps.sessions() as session:
            member = session.get(Member, member_id)
        who = member.display_name if member else target.channel
        if isinstance(message, Suggestions) and message.verdicts is None:
            self.last_suggestions[member_id] = message.context
        elif isinstance(message, RegistrationCard):
            self.last_card[member_id] = message.card_key
            self.last_card_state[member_id] = message.state
        text = console_plain(console(message), self.name_of)
        if isinstance(message, FiguresDigest) and (chart := save_chart(message, self.chart_dir)):
            text += f"\n\nDe grafiek staat in {chart}"
        print(f"\n[Vraagbaak → {who}]\n{text}", file=self.out)
        return target.channel, target.update_ts or f"{self._seq}"

    def landed(self, target: Target, message: Message) -> tuple[str, str] | None:
        """A terminal keeps no history to look in: a message cut off by a crash is printed
        again (the console runs one process; nothing else sends its rows)."""
        return None
