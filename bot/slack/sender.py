"""Sends outbox messages through Slack's Web API and sorts Slack's failures into retry / give up.

Every posted message carries its outbox key as message metadata (event type
`vraagbaak_outbox`), which is how `landed` recognises it in the conversation's history after a
crash (bot/workers/delivery.py). Reading history needs the conversation's history scope:
im:history is the bot's own; for channels (a question asked by mention, a team digest) it needs
channels:history / groups:history, and without them the message is sent again (logged).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.render.blocks import Upload
from bot.render.rendering import slack
from bot.workers.delivery import PermanentSendError, Target, TransientSendError
from models.messages import Message

log = logging.getLogger(__name__)
EVENT_TYPE = "vraagbaak_outbox"
# A missing scope, a channel the bot left: the history cannot be read, the message is resent.
_UNREADABLE = {"missing_scope", "not_in_channel", "channel_not_found", "thread_not_found"}

# Slack errors that a later attempt can cure; everything else is a fault in the message or the
# workspace (channel_not_found, not_in_channel, invalid_blocks…) that no retry will fix.
_TRANSIENT = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}


class SlackChatSender:
    def __init__(self, client: WebClient) -> None:
        self.client = client

    def send(self, target: Target, message: Message) -> tuple[str, str]:
        rendered = slack(message)
        text, blocks = rendered.text, rendered.blocks
        try:
            if rendered.upload and not target.update_ts and not target.thread:
                return self._send_with_chart(target.channel, text, rendered.upload)
            if target.update_ts:
                self.client.chat_update(
                    channel=target.channel, ts=target.update_ts, text=text, blocks=blocks
                )
                return target.channel, target.update_ts
            if target.private_to and not target.channel.startswith("D"):
                response = self.client.chat_postEphemeral(
                    channel=target.channel,
                    user=target.private_to,
                    text=text,
                    blocks=blocks,
                    thread_ts=target.thread,
                )
                return target.channel, str(response.get("message_ts") or "")
            response = self.client.chat_postMessage(
                channel=target.channel,
                text=text,
                blocks=blocks,
                thread_ts=target.thread,
                unfurl_links=False,
                unfurl_media=False,
                metadata=_metadata(target.key),
            )
            return str(response["channel"]), str(response["ts"])
        except SlackApiError as error:
            raise _classify(error) from error
        except SlackClientError as error:  # connection refused, timeouts
            raise TransientSendError(str(error)) from error
        except OSError as error:
            raise TransientSendError(str(error)) from error

    def landed(self, target: Target, message: Message) -> tuple[str, str] | None:
        """Looks among the conversation's (or thread's) last 200 messages: a crashed send is
        retried after a lease of minutes, so it is among them unless the conversation is busier
        than any in this app (no `oldest`: Slack's clock and ours need not agree)."""
        if target.update_ts:  # an update lands where it points, however often it is made
            return target.channel, target.update_ts
        if target.private_to and not target.channel.startswith("D"):
            return None  # an ephemeral hint leaves nothing to look up
        try:
            channel = self._conversation(target.channel)
            if target.thread:
                response = self.client.conversations_replies(
                    channel=channel, ts=target.thread, include_all_metadata=True, limit=200
                )
            else:
                response = self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=200
                )
        except SlackApiError as error:
            classified = _classify(error)
            if isinstance(classified, TransientSendError):
                raise classified from error
            if str(classified) not in _UNREADABLE:
                raise classified from error
            log.warning("outbox %s: history unreadable (%s), sent again", target.key, classified)
            return None
        except (SlackClientError, OSError) as error:
            raise TransientSendError(str(error)) from error
        rendered = slack(message)
        for found in response.get("messages") or []:
            if _metadata_key(found) == target.key and target.key:
                return channel, str(found["ts"])
            if rendered.upload and found.get("files") and found.get("text") == rendered.text:
                return channel, str(found["files"][0].get("id") or "")
        return None

    def _conversation(self, channel: str) -> str:
        """A person's DM conversation id (history needs it; posting takes the user id)."""
        if channel[:1] not in ("U", "W"):
            return channel
        opened = self.client.conversations_open(users=channel)
        return str(opened["channel"]["id"])

    def _send_with_chart(self, channel: str, text: str, upload: Upload) -> tuple[str, str]:
        """A message with its chart (a digest) or QR code (a survey link) as one message: the
        PNG with the text as comment.

        Only the last call (files.completeUploadExternal) posts anything, so a failure before
        it leaves nothing in the channel and the retry starts clean. Slack returns no message
        ts for it; the file id stands in (nothing threads under a digest).
        """
        channel = self._conversation(channel)  # a person: files need the DM's conversation id
        response = self.client.files_upload_v2(
            channel=channel,
            file=upload.png,
            filename=upload.filename,
            title=upload.title,
            alt_txt=upload.alt,
            initial_comment=text,
        )
        files = response.get("files") or [response.get("file") or {}]
        return channel, str(files[0].get("id") or "")


def _metadata(key: str) -> dict[str, Any] | None:
    return {"event_type": EVENT_TYPE, "event_payload": {"outbox_key": key}} if key else None


def _metadata_key(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("outbox_key")
    return str(key) if key else None


def _classify(error: SlackApiError) -> Exception:
    """Slack's failure as a retry or a give-up. A 429 and a refusal (`ok: false`, permanent)
    mean Slack posted nothing; a 5xx or an internal error may come after the message was
    posted (TransientSendError.posted)."""
    response = error.response
    status = response.status_code
    code = str(response.get("error", "")) if isinstance(response.data, dict) else ""
    if status == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        return TransientSendError("ratelimited", retry_after=float(retry_after or 1), posted=False)
    if status >= 500 or code in _TRANSIENT:
        return TransientSendError(code or f"HTTP {status}")
    return PermanentSendError(code or f"HTTP {status}")
