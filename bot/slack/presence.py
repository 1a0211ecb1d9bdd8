"""Slack's do-not-disturb as an availability signal: someone who snoozed is not invited now."""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)


class SlackDndProbe:
    """Asks dnd.info per person, cached for a few minutes; when Slack fails we assume present."""

    def __init__(self, client: WebClient, ttl_seconds: float = 300.0) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self._cache: dict[str, tuple[float, bool]] = {}

    def is_available(self, chat_user_id: str) -> bool:
        cached = self._cache.get(chat_user_id)
        if cached and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        try:
            info = self.client.dnd_info(user=chat_user_id)
        except (SlackApiError, SlackClientError, OSError):
            log.warning("dnd.info failed; treating the person as available")
            return True
        now = time.time()
        snoozed = bool(info.get("snooze_enabled"))
        in_dnd = bool(info.get("dnd_enabled")) and (
            float(info.get("next_dnd_start_ts") or 0)
            <= now
            < float(info.get("next_dnd_end_ts") or 0)
        )
        available = not (snoozed or in_dnd)
        self._cache[chat_user_id] = (time.monotonic(), available)
        return available
