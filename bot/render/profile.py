"""The monthly profile nudge: its Dutch text, and its Slack rendering with "Klopt nog" and
"Bewerken" (the buttons' listeners are in bot/slack/listeners/expertise.py)."""

from __future__ import annotations

from bot import ids
from bot.render.blocks import SlackMessage, _button, _section, escaped
from models.messages import ProfileNudge


def profile_text(nudge: ProfileNudge) -> str:
    """Dutch text of the monthly nudge."""
    since = nudge.last_confirmed
    when = f"sinds {since:%d-%m-%Y}" if since else "nog nooit"
    lines = [f"Klopt je profiel nog? Je hebt het {when} bevestigd."]
    if nudge.tags:
        lines.append(f"Je trefwoorden: {', '.join(nudge.tags)}.")
    if nudge.learned_topics:
        lines.append(f"Uit je antwoorden leer ik ook: {', '.join(nudge.learned_topics)}.")
    lines.append("Klopt het, tik dan op Klopt nog; anders pas je het aan.")
    return "\n".join(lines)


def render_profile(nudge: ProfileNudge) -> SlackMessage:
    text = profile_text(escaped(nudge))
    actions = {
        "type": "actions",
        "block_id": "profile:nudge",
        "elements": [
            _button("Klopt nog", ids.PROFILE_CONFIRM, "nudge", "primary"),
            _button("Bewerken", ids.PROFILE_EDIT, "nudge"),
        ],
    }
    return SlackMessage(text, [_section(text), actions])
