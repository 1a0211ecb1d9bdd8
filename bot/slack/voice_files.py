"""Slack's audio files: which shared files are voice clips, and downloading one with the bot token.

A clip recorded in Slack (an audio or video clip) and an uploaded audio file both arrive as a
`message` event with subtype `file_share` and a `files` list. We ask `files.info` for the file
(the event's copy may be partial), refuse it by size before downloading, and download
`url_private_download` with the bot token into the file the caller gives (a temporary file,
bot/workers/voice.py), stopping at the size cap.

Invariant: the bot token is only ever sent to Slack's file hosts or to the host of the Web
API base URL the client was built with (GovSlack, a proxy, a local fake in tests), never to a
host a payload names otherwise.
"""

from __future__ import annotations

from typing import Any, BinaryIO
from urllib.parse import urlsplit

import httpx
from slack_sdk import WebClient

from bot.slack.payloads import is_from_bot
from bot.workers.voice import AudioTooLarge

__all__ = ["AUDIO_TYPES", "ClipRefused", "audio_file", "download", "is_voice_clip"]

AUDIO_TYPES = frozenset({"mp4", "m4a", "webm", "ogg", "wav"})
SLACK_FILE_HOSTS = (".slack.com", ".slack-edge.com", ".slack-gov.com", ".slack-files.com")
_CHUNK = 64 * 1024


class ClipRefused(Exception):
    """A clip we do not fetch; `reason` is the Dutch sentence for the sender."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _is_audio(file: dict[str, Any]) -> bool:
    filetype = str(file.get("filetype") or "").lower()
    mimetype = str(file.get("mimetype") or "").lower()
    return filetype in AUDIO_TYPES or (
        mimetype.startswith(("audio/", "video/")) and mimetype.split("/")[1] in AUDIO_TYPES
    )


def audio_file(event: dict[str, Any]) -> dict[str, Any] | None:
    """The first audio file shared in the event, or None."""
    files = event.get("files")
    if not isinstance(files, list):
        return None
    return next((f for f in files if isinstance(f, dict) and _is_audio(f)), None)


def is_voice_clip(event: dict[str, Any]) -> bool:
    """A DM to the bot that shares an audio file (our listener, not the text one, takes it)."""
    direct = event.get("channel_type") == "im" or str(event.get("channel", "")).startswith("D")
    return (
        direct
        and event.get("subtype") == "file_share"
        and not is_from_bot(event)
        and audio_file(event) is not None
    )


def file_info(client: WebClient, file_id: str) -> dict[str, Any]:
    info = client.files_info(file=file_id)
    file: dict[str, Any] = dict(info.get("file") or {})
    return file


def _allowed(url: str, client: WebClient) -> bool:
    parts, api = urlsplit(url), urlsplit(client.base_url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host.endswith(SLACK_FILE_HOSTS):
        return True
    return (parts.scheme, parts.netloc) == (api.scheme, api.netloc)


def download(
    client: WebClient, file: dict[str, Any], out: BinaryIO, *, max_bytes: int, timeout: float = 30
) -> int:
    """Write the file's bytes to `out`; returns how many. Raises AudioTooLarge past
    `max_bytes`, ClipRefused for a URL we will not send the token to or a failed download."""
    url = str(file.get("url_private_download") or file.get("url_private") or "")
    if not url or not _allowed(url, client):
        raise ClipRefused("Dit bestand kan ik niet ophalen bij Slack. Stuur het nog eens.")
    headers = {"Authorization": f"Bearer {client.token}"}
    written = 0
    with httpx.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as reply:
        if reply.status_code != 200:
            raise ClipRefused("Het ophalen van je spraakbericht lukte niet. Stuur het nog eens.")
        for chunk in reply.iter_bytes(_CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise AudioTooLarge(max_bytes)
            out.write(chunk)
    return written
