"""Direct messages, mentions and /vraag: a question goes to the dispatcher, an answer in an
invitation's thread to the asker, a DM that reads like a registration to the desk.

Each listener acks first, then does its work in one database transaction; messages that the
work causes are outbox rows in that transaction and are delivered after the commit. Replies
that change nothing (an error, "I don't know you yet") are outbox rows too, keyed by the event
or click that caused them. Only a slash command's ack text is answered in the HTTP response.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.listeners.registrations import RegistrationListeners
from bot.slack.members import member_for_chat_user
from bot.slack.notices import send_notice
from bot.slack.payloads import SlackMessage, to_message
from bot.wiring import Deps
from casework.registration import Refusal
from routing.dispatch import DispatchError, Inbound
from routing.intake import IntakeRefused

log = logging.getLogger(__name__)

THREAD_HINT = (
    "Een nieuwe vraag? Stuur hem als nieuw bericht, niet als reactie in een thread. "
    "Antwoorden op een uitnodiging typ je in de thread van die uitnodiging."
)
HELP = (
    "Stel je vraag gewoon in een bericht aan mij, of met `/vraag je vraag`. Ik haal eerst "
    "alles weg wat een cliënt herkenbaar maakt en leg de vraag dan voor aan de collega's die "
    "er het meeste van weten."
)


class MessageListeners:
    def __init__(
        self,
        deps: Deps,
        client: WebClient,
        registrations: RegistrationListeners | None = None,
    ) -> None:
        self.deps = deps
        self.client = client
        self.registrations = registrations

    def _reply(
        self, channel: str, user: str, text: str, thread: str | None = None, *, key: str
    ) -> None:
        send_notice(self.deps, channel, user, text, thread, key=key)

    def on_message(self, event: dict[str, Any]) -> None:
        message = to_message(event)
        if message is None:
            return
        if not message.is_direct:
            return  # in channels we answer mentions only (app_mention)
        if message.thread_ts and message.thread_ts != message.ts:
            if not self._maybe_answer(message):
                self._reply(
                    message.channel,
                    message.user,
                    THREAD_HINT,
                    message.thread_ts,
                    key=f"notice:{message.source_key}",
                )
            return
        if self._maybe_register(message):
            return
        self._ask(message, reply_thread=message.ts)

    def _maybe_register(self, message: SlackMessage) -> bool:
        """A DM that starts like a registration gets a card (or a refusal), not experts."""
        if self.registrations is None:
            return False
        deps = self.deps
        with deps.sessions() as session:
            member = member_for_chat_user(session, message.user)
            if member is None:
                return False
            try:
                outcome = self.registrations.from_dm(
                    session,
                    member,
                    message.text,
                    key=f"dm:{message.source_key}",
                    channel=message.channel,
                    thread=message.ts,
                )
                if outcome is None:
                    return False
                session.commit()
            except IntegrityError:
                return True  # the same message, delivered twice
        if isinstance(outcome, Refusal):
            self._reply(
                message.channel,
                message.user,
                outcome.text_nl(),
                message.ts,
                key=f"notice:{message.source_key}",
            )
            return True
        deps.after_commit()
        return True

    def on_mention(self, event: dict[str, Any]) -> None:
        message = to_message(event)
        if message is not None:
            self._ask(message, reply_thread=message.thread_ts or message.ts)

    def _ask(self, message: SlackMessage, reply_thread: str, source_key: str | None = None) -> None:
        deps = self.deps
        inbound_key = source_key or message.source_key
        try:
            with deps.sessions() as session:
                asker = member_for_chat_user(session, message.user)
                if asker is None:
                    self._reply(
                        message.channel,
                        message.user,
                        UNKNOWN_COLLEAGUE,
                        reply_thread,
                        key=f"notice:{inbound_key}",
                    )
                    return
                inbound = Inbound(
                    source_key=inbound_key,
                    asker_id=asker.id,
                    text=message.text,
                    reply_channel=message.channel,
                    reply_thread=reply_thread,
                    received_at=deps.clock.now(),
                    shared_channel=not message.is_direct,
                )
                deps.dispatcher.ask(session, inbound)
                session.commit()
        except IntakeRefused as refused:
            self._reply(
                message.channel,
                message.user,
                refused.reason,
                reply_thread,
                key=f"notice:{inbound_key}",
            )
            return
        except IntegrityError:
            log.info("question %s was taken in by a concurrent delivery", message.source_key)
            return
        deps.after_commit()

    def _maybe_answer(self, message: SlackMessage) -> bool:
        deps = self.deps
        with deps.sessions() as session:
            invitation = deps.dispatcher.invitation_for_thread(
                session, message.channel, message.thread_ts or ""
            )
            if invitation is None:
                return False
            expert = member_for_chat_user(session, message.user)
            try:
                if expert is None:
                    raise DispatchError(UNKNOWN_COLLEAGUE)
                if not message.text.strip():
                    raise DispatchError("Je antwoord is leeg; typ het als reactie in deze thread.")
                deps.dispatcher.answer(
                    session, invitation, expert.id, message.text, message.source_key
                )
                session.commit()
            except DispatchError as error:
                session.rollback()
                self._reply(
                    message.channel,
                    message.user,
                    error.reason,
                    message.thread_ts,
                    key=f"notice:{message.source_key}",
                )
                return True
            except IntegrityError:
                return True
        deps.after_commit()
        return True

    def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        text = str(command.get("text") or "").strip()
        if not text or text.lower() in {"help", "hulp"}:
            ack(text=HELP)
            return
        try:
            self.deps.dispatcher.intake.check(text)
        except IntakeRefused as refused:
            ack(text=refused.reason)  # refused before anything is written: say so right here
            return
        ack(text="Ik zoek collega's voor je vraag; je krijgt bericht van mij.")
        user = str(command.get("user_id"))
        message = SlackMessage(
            user=user, channel=user, ts="", thread_ts=None, text=text, is_direct=True
        )
        self._ask(message, reply_thread="", source_key=f"slack:cmd:{command.get('trigger_id')}")
