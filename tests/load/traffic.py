"""Slack's side of the harness: signed requests, sent the way Slack sends them, through a load
balancer in front of the instances.

- An event that gets no 2xx within `ack_timeout` (or an error) is sent again with
  `x-slack-retry-num` (Slack tries four times in all; its one- and five-minute pauses are
  compressed here) and a fresh signature.
- A click or a command is sent once: Slack does not retry them; without an answer within
  `ack_timeout` the user sees an error.
- The load balancer sends each request to the next instance that is up; a connection that is
  refused (nothing was received) goes to the next one, as a real balancer does.
"""

from __future__ import annotations

import itertools
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import httpx

from tests.helpers import chat_id
from tests.load.servers import SIGNING_SECRET, Instance
from tests.slack_requests import (
    FORM,
    JSON,
    action_body,
    block_action_payload,
    command_body,
    event_body,
    message_event,
    retry_headers,
    signed_headers,
)

EVENT_RETRIES = 3
RETRY_PAUSES = (0.5, 1.0, 2.0)
TOPICS = (
    "Wie weet hoe de WSNP werkt bij schulden en bewindvoering?",
    "Welke dagbesteding past bij iemand met beginnende dementie in de wijk?",
    "Hoe vraag ik bijzondere bijstand aan voor een wasmachine?",
    "Wie heeft ervaring met mantelzorgers die overbelast raken?",
    "Waar kan een jongere terecht voor hulp bij een huurachterstand?",
    "Hoe werkt de aanvraag voor een Wmo-voorziening huishoudelijke hulp?",
)
WORDS = ("snel", "graag", "deze week", "morgen", "vandaag", "binnenkort", "dringend", "straks")


@dataclass
class Sent:
    """One request and what Slack saw of it."""

    kind: str  # event, action, command
    key: str  # what the harness checks the effect by
    body: str
    content_type: str
    acked: bool = False
    ack_seconds: float | None = None
    acked_at: float | None = None  # monotonic
    answer: str = ""  # the acknowledgement's body (a command's text)
    thread: tuple[str, str] | None = None  # where the first reply to a question goes
    attempts: int = 0
    failures: list[str] = field(default_factory=list)


def question_text(number: int) -> str:
    """A question without anything that identifies a client, different for every number."""
    topic = TOPICS[number % len(TOPICS)]
    first, second = WORDS[number % len(WORDS)], WORDS[(number // len(WORDS)) % len(WORDS)]
    return f"{topic} Het is {first}, {second}. Variant {number // 64}"


def question_event(number: int, member: str) -> Sent:
    user = chat_id(member)
    ts = f"1765000000.{number:06d}"
    event = message_event(question_text(number), user=user, channel="D" + user, ts=ts)
    body = event_body(event, event_id=f"EvLOAD{number:06d}")
    sent = Sent("event", f"slack:D{user}:{ts}", body, JSON)
    sent.thread = ("D" + user, ts)
    return sent


def click(number: int, member: str, response_url: str) -> Sent:
    """A click on a button of an invitation that does not exist (any more): the listener
    answers with a notice through the outbox, keyed by the click."""
    user = chat_id(member)
    action_ts = f"1765100000.{number:06d}"
    payload = block_action_payload(
        "invitation.decline",
        "999999",
        user_id=user,
        channel_id="D" + user,
        message_ts=f"1765200000.{number:06d}",
        action_ts=action_ts,
    )
    payload["response_url"] = response_url
    payload["trigger_id"] = f"trigger-click-{number}"
    return Sent("action", f"notice:action:{user}:{action_ts}", action_body(payload), FORM)


def command(number: int, member: str, response_url: str) -> Sent:
    """`/vraag` with a question: acknowledged with text, the question asked behind it."""
    body = command_body(
        "/vraag",
        question_text(100_000 + number),
        user_id=chat_id(member),
        channel_id="D" + chat_id(member),
        trigger_id=f"trigger-command-{number}",
    )
    fields = dict(parse_qsl(body, keep_blank_values=True)) | {"response_url": response_url}
    return Sent("command", f"trigger-command-{number}", urlencode(fields), FORM)


class Balancer:
    """Round-robin over the instances that are up."""

    def __init__(self, instances: list[Instance]) -> None:
        self.instances = instances
        self._turn = itertools.count()
        self._lock = threading.Lock()

    def order(self) -> list[Instance]:
        with self._lock:
            start = next(self._turn)
        live = [i for i in self.instances if i.up.is_set()]
        if not live:
            return []
        return [live[(start + n) % len(live)] for n in range(len(live))]


def send(balancer: Balancer, request: Sent, client: httpx.Client, ack_timeout: float) -> None:
    """Deliver `request` as Slack would (see the module docstring); fills in `request`."""
    tries = 1 + (EVENT_RETRIES if request.kind == "event" else 0)
    for attempt in range(tries):
        if attempt:
            time.sleep(RETRY_PAUSES[min(attempt - 1, len(RETRY_PAUSES) - 1)])
        headers = signed_headers(request.body, request.content_type, secret=SIGNING_SECRET)
        if attempt:
            headers |= retry_headers(attempt)
        request.attempts += 1
        if _one_try(balancer, request, client, headers, ack_timeout):
            return


def _one_try(
    balancer: Balancer,
    request: Sent,
    client: httpx.Client,
    headers: dict[str, str],
    ack_timeout: float,
) -> bool:
    for instance in balancer.order() or []:
        started = time.perf_counter()
        try:
            response = client.post(
                f"{instance.url}/slack/events",
                content=request.body,
                headers=headers,
                timeout=ack_timeout,
            )
        except httpx.ConnectError:
            continue  # nothing was received: the balancer tries the next instance
        except httpx.HTTPError as error:
            request.failures.append(f"{instance.name}:{type(error).__name__}")
            return False
        if 200 <= response.status_code < 300:
            request.acked, request.ack_seconds = True, time.perf_counter() - started
            request.acked_at, request.answer = time.monotonic(), response.text
            return True
        request.failures.append(f"{instance.name}:{response.status_code}")
        return False
    request.failures.append("no instance up")
    time.sleep(0.2)
    return False
