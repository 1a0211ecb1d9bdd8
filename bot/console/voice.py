"""`/spraak` in the console: Ask by voice with a local audio file, as in Slack.

    /spraak FILE               transcribe FILE and show "Ik heb verstaan: …"
    /spraak versturen          send the shown text on, as if it had been typed
    /spraak aanpassen TEKST    send TEKST instead
    /spraak annuleren          throw the text away

"Versturen" hands the transcript to the chat's own handling of a typed line (`Chat.handle`), so
a spoken question, registration or answer goes exactly where the typed one would. The local
file is read where it is (it is the user's own file; nothing is copied); the pending transcript
lives only in its card (knowledge/speech/drafts.py).
"""

from __future__ import annotations

import functools
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Protocol

from bot.messages import VOICE_OFF
from bot.wiring import Deps
from bot.workers.voice import VoiceService
from knowledge.speech import drafts
from knowledge.speech.transcriber import SpeechError
from models.messages import Address

USAGE = (
    "Gebruik: /spraak BESTAND (een geluidsbestand: mp4, m4a, webm, ogg of wav), daarna "
    "/spraak versturen, /spraak aanpassen <tekst> of /spraak annuleren."
)
NOTHING_PENDING = "Er staat geen ingesproken tekst klaar. Gebruik eerst /spraak BESTAND."


class Chat(Protocol):
    """What /spraak needs of the console chat."""

    deps: Deps
    member_id: str

    def say(self, text: str) -> None: ...

    def handle(self, line: str) -> bool: ...


@functools.cache
def default_service() -> VoiceService:
    """The process's voice service from VRAAGBAAK_VOICE_* (the model loads at first use)."""
    return VoiceService.from_settings()


def spraak(chat: Chat, args: list[str], service: VoiceService | None = None) -> None:
    """One /spraak command (see the module docstring)."""
    service = service or default_service()
    if not args:
        chat.say(USAGE)
        return
    verb = args[0].lower()
    if verb in ("versturen", "aanpassen", "annuleren"):
        _decide(chat, verb, " ".join(args[1:]).strip(), service)
        return
    if not service.enabled:
        chat.say(VOICE_OFF)
        return
    path = Path(" ".join(args)).expanduser()
    if not path.is_file():
        chat.say(f"Het bestand {path} bestaat niet. {USAGE}")
        return
    try:
        transcript = service.transcribe_file(path)
    except SpeechError as refused:
        chat.say(refused.reason)
        return
    deps = chat.deps
    now = deps.clock.now()
    with deps.sessions() as session:
        drafts.expire(session, now, _ttl(service))
        drafts.propose(
            session,
            key=f"voice:console:{chat.member_id}:{uuid.uuid4().hex}",  # each /spraak is new
            member_id=chat.member_id,
            to=Address.conversation(f"console:{chat.member_id}"),
            transcript=transcript.text,
            duration_seconds=transcript.duration_seconds,
            repaired=transcript.repaired,
            now=now,
        )
        session.commit()


def _decide(chat: Chat, verb: str, text: str, service: VoiceService) -> None:
    deps = chat.deps
    now = deps.clock.now()
    if verb == "aanpassen" and not text:
        chat.say("Gebruik: /spraak aanpassen <de verbeterde tekst>")
        return
    with deps.sessions() as session:
        key = drafts.latest_pending(session, chat.member_id)
        if key is None:
            chat.say(NOTHING_PENDING)
            return
        try:
            if verb == "annuleren":
                drafts.cancel(session, key, chat.member_id, now, _ttl(service))
                transcript = ""
            else:
                transcript = drafts.take(session, key, chat.member_id, now, _ttl(service))
        except drafts.DraftError as error:
            session.commit()  # an expired card is redrawn as expired
            chat.say(error.reason)
            return
        session.commit()
    line = text if verb == "aanpassen" else transcript
    if line:
        chat.handle(line.lstrip("/"))  # a typed line; never a command


def _ttl(service: VoiceService) -> timedelta:
    return timedelta(hours=service.settings.transcript_hours)
