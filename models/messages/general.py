"""Messages of no single feature: the voice transcript card and the plain notice."""

from __future__ import annotations

from dataclasses import dataclass

from models.messages.envelope import Message, Priority


# -- voice -----------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class VoiceTranscript(Message, kind="voice.transcript", priority=Priority.REPLY):
    """ "Ik heb verstaan: …" with Versturen / Aanpassen / Annuleren, and the pending transcript
    itself (knowledge/speech/drafts.py): `transcript` is the raw, not yet de-identified text,
    kept only while `state` is "pending"; a decided or expired card is redrawn without it and
    the original row's payload is emptied."""

    card_key: str
    member_id: str
    transcript: str = ""
    duration_seconds: float = 0.0
    repaired: bool = False  # the repetition guard cut a loop out of it
    state: str = "pending"  # pending, sent, cancelled or expired


# -- everything else -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Notice(Message, kind="notice", priority=Priority.REPLY):
    """A reply that changes no state: an error, a hint, a confirmation."""

    text: str
