from __future__ import annotations

from slack_sdk import WebClient

from bot.slack.presence import SlackDndProbe
from tests.fakes.slack_api import FakeSlackApi


def test_do_not_disturb_makes_someone_unavailable_and_is_cached() -> None:
    with FakeSlackApi() as api:
        api.set_dnd("U1", True)
        probe = SlackDndProbe(WebClient(token="xoxb-test", base_url=api.base_url))
        assert probe.is_available("U1") is False
        assert probe.is_available("U2") is True
        assert probe.is_available("U1") is False
        assert len(api.called("dnd.info")) == 2  # the repeat came from the cache


def test_when_slack_fails_people_count_as_available() -> None:
    with FakeSlackApi() as api:
        api.fail_next("dnd.info", error="user_not_found")
        probe = SlackDndProbe(WebClient(token="xoxb-test", base_url=api.base_url))
        assert probe.is_available("U9") is True
