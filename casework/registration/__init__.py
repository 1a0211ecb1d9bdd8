"""Quick registrations: a short Dutch chat line in, a case event or a refusal out.

The chat calls `RegistrationParser.parse(message, sent_at, sender_team)` and shows
`summary_lines_nl` on a confirmation card, or `Refusal.reason_nl` / `suggestion_nl`.
Pure domain code: no Slack, no database, no clock (the sending moment is an argument).
"""

from __future__ import annotations

from casework.registration.model import KINDS, Parsed, Refusal, RefusalCode
from casework.registration.parser import RegistrationParser
from casework.registration.render import summary_lines_nl, summary_nl, to_message
from casework.registration.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "KINDS",
    "Parsed",
    "Refusal",
    "RefusalCode",
    "RegistrationParser",
    "Vocabulary",
    "load_vocabulary",
    "summary_lines_nl",
    "summary_nl",
    "to_message",
]
