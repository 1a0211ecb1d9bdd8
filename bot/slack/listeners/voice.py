"""Ask by voice in Slack: a clip in a DM becomes "Ik heb verstaan: …", and nothing else happens
until its sender taps Versturen (or Aanpassen, then submits the modal); Annuleren throws it away.

Versturen goes the way a typed DM goes, by construction: the transcript is dispatched through
this same Bolt app as the DM its sender would have typed (same user, same conversation, a plain
message without files), so the one path for typed DMs (bot/slack/listeners/messages.py: an answer,
a registration card, or a question with de-identification, the look before it leaves and
routing) decides what it is. Voice never re-implements or bypasses that path.

The clip's listener is registered before the DM listener and matches only DMs that share an
audio file (Bolt runs the first listener that matches). It acks at once; the download and the
recognition happen after the ack (bot/workers/voice.py says where and how many at a time).
Replies that change nothing (voice off, too long, unreadable) are notices keyed by the clip.
Logs name the step and the error type only: never a transcript, a file name or a URL.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any, BinaryIO

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import ids
from bot.conversation.direct import Told, Typed, receive
from bot.messages import UNKNOWN_COLLEAGUE, VOICE_OFF
from bot.slack.members import member_of
from bot.slack.notices import open_modal, send_notice
from bot.slack.voice_files import ClipRefused, audio_file, download, file_info, is_voice_clip
from bot.wiring import Deps
from bot.workers.voice import VoiceService
from knowledge.speech import drafts
from knowledge.speech.transcriber import SpeechError, Transcript, too_long_reason
from models.messages import Address
from models.tables import Member

log = logging.getLogger(__name__)


def edit_view(card_key: str, transcript: str) -> dict[str, Any]:
    """The modal of Aanpassen: the transcript to correct; submitting it sends it."""
    return {
        "type": "modal",
        "callback_id": ids.VOICE_EDIT_VIEW,
        "private_metadata": json.dumps({"card_key": card_key}),
        "title": {"type": "plain_text", "text": "Ingesproken tekst"},
        "submit": {"type": "plain_text", "text": "Versturen"},
        "close": {"type": "plain_text", "text": "Terug"},
        "blocks": [
            {
                "type": "input",
                "block_id": "text",
                "label": {"type": "plain_text", "text": "Wat je zei"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "initial_value": transcript[:3000],
                },
            }
        ],
    }


class VoiceListeners:
    def __init__(self, deps: Deps, client: WebClient, service: VoiceService) -> None:
        self.deps = deps
        self.client = client
        self.service = service
        self._swept_at: datetime | None = None

    @property
    def ttl(self) -> timedelta:
        return timedelta(hours=self.service.settings.transcript_hours)

    def expire_now_and_then(self, _delivered: list[int]) -> None:
        """After a delivery round, at most every ten minutes: forget transcripts nobody
        confirmed within `transcript_hours` (also done at every new clip and click)."""
        now = self.deps.clock.now()
        if self._swept_at is not None and now - self._swept_at < timedelta(minutes=10):
            return
        self._swept_at = now
        with self.deps.sessions() as session:
            if drafts.expire(session, now, self.ttl):
                session.commit()

    # -- the clip --------------------------------------------------------------------------------
    def on_clip(self, ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        user, channel, ts = (str(event.get(k) or "") for k in ("user", "channel", "ts"))
        key = f"voice:{channel}:{ts}"

        def tell(text: str) -> None:
            send_notice(self.deps, channel, user, text, ts, key=f"notice:{key}")

        member = member_of(context)
        if member is None:
            return tell(UNKNOWN_COLLEAGUE)
        if not self.service.enabled:
            return tell(VOICE_OFF)
        with self.deps.sessions() as session:
            if drafts.shown(session, key):  # the same clip again (a retry): one card
                return None
        try:
            transcript = self._transcribe(audio_file(event) or {})
        except (SpeechError, ClipRefused) as refused:
            log.info("voice clip refused: %s", type(refused).__name__)
            return tell(refused.reason)
        except SlackApiError as error:
            log.warning("voice clip: files.info failed (%s)", error.response.get("error"))
            return tell("Ik kon je spraakbericht niet ophalen bij Slack. Stuur het nog eens.")
        typed = str(event.get("text") or "").strip()  # words typed beside the clip come first
        with self.deps.sessions() as session:
            now = self.deps.clock.now()
            drafts.expire(session, now, self.ttl)
            drafts.propose(
                session,
                key=key,
                member_id=member.id,
                to=Address.conversation(channel, ts),
                transcript=f"{typed}\n{transcript.text}".strip(),
                duration_seconds=transcript.duration_seconds,
                repaired=transcript.repaired,
                now=now,
            )
            session.commit()
        self.deps.after_commit()

    def _transcribe(self, shared: dict[str, Any]) -> Transcript:
        file = file_info(self.client, str(shared.get("id") or "")) | {"id": shared.get("id")}
        settings = self.service.settings
        if self.service.too_large(int(file.get("size") or 0)):
            raise ClipRefused(
                f"Dit bestand is groter dan {settings.max_bytes // 1_000_000} MB; zo'n groot "
                "bestand verwerk ik niet. Spreek een korter bericht in, of typ je vraag."
            )
        seconds = float(file.get("duration_ms") or 0) / 1000
        if seconds > settings.max_seconds:
            raise ClipRefused(too_long_reason(seconds, settings.max_seconds))
        suffix = "." + str(file.get("filetype") or "audio")

        def write(out: BinaryIO) -> int:
            return download(self.client, file, out, max_bytes=settings.max_bytes)

        return self.service.transcribe_download(write, suffix)

    # -- the card's buttons and the modal --------------------------------------------------------
    def on_action(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext
    ) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or user)
        card_key = str(action.get("value") or "")
        member = member_of(context)
        notice_key = f"notice:action:{user}:{action.get('action_ts', '')}"
        action_id = action.get("action_id")
        now = self.deps.clock.now()
        with self.deps.sessions() as session:
            try:
                if member is None:
                    raise drafts.DraftError(UNKNOWN_COLLEAGUE)
                if action_id == ids.VOICE_EDIT:
                    transcript = drafts.peek(session, card_key, member.id, now, self.ttl)
                    view = edit_view(card_key, transcript)
                    open_modal(self.client, str(body.get("trigger_id")), view)
                    return
                if action_id == ids.VOICE_CANCEL:
                    drafts.cancel(session, card_key, member.id, now, self.ttl)
                    transcript = ""
                else:
                    transcript = drafts.take(session, card_key, member.id, now, self.ttl)
                session.commit()
            except drafts.DraftError as error:
                session.commit()  # an expired card is redrawn as expired
                send_notice(self.deps, channel, user, error.reason, None, key=notice_key)
                return
        self.deps.after_commit()
        if transcript and member is not None:
            self._as_typed(member, user, card_key, transcript)

    def on_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        values = (view.get("state") or {}).get("values") or {}
        text = str(values.get("text", {}).get("value", {}).get("value") or "").strip()
        card_key = str(json.loads(view.get("private_metadata") or "{}").get("card_key", ""))
        member = member_of(context)
        if not text:
            ack(response_action="errors", errors={"text": "Je tekst is leeg."})
            return
        with self.deps.sessions() as session:
            try:
                if member is None:
                    raise drafts.DraftError(UNKNOWN_COLLEAGUE)
                drafts.take(session, card_key, member.id, self.deps.clock.now(), self.ttl)
            except drafts.DraftError as error:
                session.rollback()
                ack(response_action="errors", errors={"text": error.reason[:150]})
                return
            ack()
            session.commit()
        self.deps.after_commit()
        user = str((body.get("user") or {}).get("id") or "")
        if member is not None:
            self._as_typed(member, user, card_key, text)

    def _as_typed(self, member: Member, user: str, card_key: str, text: str) -> None:
        """The transcript as the DM its sender would have typed at the clip's place (the card
        key is `voice:<channel>:<clip ts>`): it means what a typed DM means
        (bot/conversation/direct.py), keyed like one, so it is taken in once."""
        _, channel, ts = card_key.split(":", 2)
        typed = Typed(
            member=member, text=text, key=f"slack:{channel}:{ts}", channel=channel, reply_thread=ts
        )
        outcome = receive(self.deps, typed)
        if isinstance(outcome, Told):
            send_notice(self.deps, channel, user, outcome.text, ts, key=f"notice:{typed.key}")
            return
        self.deps.after_commit()


def register(
    app: App, deps: Deps, client: WebClient, service: VoiceService | None = None
) -> VoiceListeners:
    """Register before the DM listener, so that an audio clip reaches this one."""
    listeners = VoiceListeners(deps, client, service or VoiceService.from_settings())
    app.event({"type": "message", "subtype": "file_share"}, matchers=[_voice_matcher])(
        listeners.on_clip
    )
    for action_id in (ids.VOICE_SEND, ids.VOICE_EDIT, ids.VOICE_CANCEL):
        app.action(action_id)(listeners.on_action)
    app.view(ids.VOICE_EDIT_VIEW)(listeners.on_submit)
    return listeners


def _voice_matcher(event: dict[str, Any]) -> bool:
    return is_voice_clip(event)


__all__ = ["VoiceListeners", "edit_view", "register"]
