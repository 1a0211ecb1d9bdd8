"""Escaping user text for Slack, so a question or answer cannot ping (<!channel>, <@U…>) or
disguise a link (<https://evil|gemeente.nl>): Slack's control characters are &, < and >.
"""

from __future__ import annotations


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote(text: str, limit: int = 2800) -> str:
    """User text as a Slack block quote, cut to fit one section block (3000 characters)."""
    safe = escape(text if len(text) <= limit else text[: limit - 1] + "…")
    return "\n".join("> " + line for line in safe.splitlines() or [""])
