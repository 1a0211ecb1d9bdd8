"""Sends outbox messages through Slack's Web API and sorts Slack's failures into retry / give up."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.render.blocks import Upload
from bot.render.rendering import slack
from bot.workers.delivery import PermanentSendError, Target, TransientSendError
from models.messages import Message

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
            )
            return str(response["channel"]), str(response["ts"])
        except SlackApiError as error:
            raise _classify(error) from error
        except SlackClientError as error:  # connection refused, timeouts
            raise TransientSendError(str(error)) from error
        except OSError as error:
            raise TransientSendError(str(error)) from error

    def _send_with_chart(self, channel: str, text: str, upload: Upload) -> tuple[str, str]:
        """A message with its chart (a digest) or QR code (a survey link) as one message: the
        PNG with the text as comment.

        Only the last call (files.completeUploadExternal) posts anything, so a failure before
        it leaves nothing in the channel and the retry starts clean. Slack returns no message
        ts for it; the file id stands in (nothing threads under a digest).
        """
        if channel[:1] in ("U", "W"):  # a person: files need the DM's conversation id
            opened = self.client.conversations_open(users=channel)
            channel = str(opened["channel"]["id"])
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


def _classify(error: SlackApiError) -> Exception:
    response = error.response
    status = response.status_code
    code = str(response.get("error", "")) if isinstance(response.data, dict) else ""
    if status == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get("retry-after")
        return TransientSendError("ratelimited", retry_after=float(retry_after or 1))
    if status >= 500 or code in _TRANSIENT:
        return TransientSendError(code or f"HTTP {status}")
    return PermanentSendError(code or f"HTTP {status}")
