"""Escaping user text for Slack, so a question or answer cannot ping (<!channel>, <@U…>) or
disguise a link (<https://evil|gemeente.nl>): Slack's control characters are &, < and >.
"""

from __future__ import annotations

import re
from datetime import datetime

from models.clock import AMSTERDAM

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_EMOJI_CODE = re.compile(r":[a-z][a-z0-9_+\-]*:")  # Slack's :thumbsup: shortcodes


def without_chat_markup(text: str) -> str:
    """A question or search as words: mentions (of Vraagbaak or a colleague) and emoji codes
    are no part of what is asked, and a message of only these is empty."""
    return _EMOJI_CODE.sub(" ", _MENTION.sub(" ", text))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str, limit: int = 2800) -> str:
    """User text as a Slack block quote, cut to fit one section block (3000 characters)."""
    safe = escape(text if len(text) <= limit else text[: limit - 1] + "…")
    return "\n".join("> " + line for line in safe.splitlines() or [""])


def short(text: str, limit: int = 140) -> str:
    """User text on one line, escaped, cut to `limit` characters (lists, the Home)."""
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def day(moment: datetime | None) -> str:
    """A date as Dutch people write it (Amsterdam time); "" for none."""
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y") if moment else ""
