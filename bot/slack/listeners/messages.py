"""Direct messages, mentions and /vraag in Slack. What a message means is decided once, in
bot/conversation/direct.py; here a Slack event becomes a `Typed` message and a `Told` outcome
becomes a private notice (an outbox row keyed by the event, so Slack's retries send it once).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.conversation.direct import Outcome, Told, Typed, ask, receive
from bot.refusals import REFUSALS, refusal_text
from bot.slack.members import member_of
from bot.slack.notices import send_notice
from bot.slack.payloads import to_message
from bot.text import without_chat_markup
from bot.wiring import Deps

HELP = (
    "Stel je vraag gewoon in een bericht aan mij, of met `/vraag je vraag`. Ik haal eerst "
    "alles weg wat een cliënt herkenbaar maakt en leg de vraag dan voor aan de collega's die "
    "er het meeste van weten."
)
ASKING = "Ik zoek collega's voor je vraag; je krijgt bericht van mij."


class MessageListeners:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_message(self, event: dict[str, Any], context: BoltContext) -> None:
        """A DM: an answer in an invitation's thread, a registration or a question."""
        message = to_message(event)
        if message is None or not message.is_direct:
            return  # in channels we answer mentions only (app_mention)
        in_thread = message.thread_ts is not None and message.thread_ts != message.ts
        invitation_id = None
        if in_thread:
            with self.deps.sessions() as session:
                invitation = self.deps.dispatcher.invitation_for_thread(
                    session, message.channel, message.thread_ts or ""
                )
                invitation_id = invitation.id if invitation is not None else None
        typed = Typed(
            member=member_of(context),
            text=message.text,
            key=message.source_key,
            channel=message.channel,
            thread=message.thread_ts if in_thread else None,
            reply_thread=message.ts,
        )
        self._show(
            receive(self.deps, typed, invitation_id),
            message.user,
            typed,
            typed.thread or message.ts,
        )

    def on_mention(self, event: dict[str, Any], context: BoltContext) -> None:
        """@Vraagbaak in a channel: always a question, answered in the message's thread."""
        message = to_message(event)
        if message is None:
            return
        thread = message.thread_ts or message.ts
        typed = Typed(
            member=member_of(context),
            text=message.text,
            key=message.source_key,
            channel=message.channel,
            reply_thread=thread,
            shared_channel=not message.is_direct,
            question_only=True,
        )
        self._show(ask(self.deps, typed), message.user, typed, thread)

    def on_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """/vraag TEKST: checked at once (the ack says what was wrong), then asked."""
        text = str(command.get("text") or "").strip()
        if not text or text.lower() in {"help", "hulp"}:
            ack(text=HELP)
            return
        try:
            self.deps.dispatcher.intake.check(without_chat_markup(text))
        except REFUSALS as refused:
            ack(text=refusal_text(refused))  # refused before anything is written
            return
        ack(text=ASKING)
        user = str(command.get("user_id"))
        typed = Typed(
            member=member_of(context),
            text=text,
            key=f"slack:cmd:{command.get('trigger_id')}",
            channel=user,
            question_only=True,
        )
        self._show(ask(self.deps, typed), user, typed, None)

    def _show(self, outcome: Outcome, user: str, typed: Typed, thread: str | None) -> None:
        """A `Told` text as a private notice keyed by the message; otherwise deliver what the
        turn enqueued."""
        if isinstance(outcome, Told):
            key = f"notice:{typed.key}"
            send_notice(self.deps, typed.channel, user, outcome.text, thread, key=key)
            return
        self.deps.after_commit()


def register(app: App, deps: Deps) -> None:
    """Messages, mentions and /vraag (each acked at once: an event's work is done after)."""
    listeners = MessageListeners(deps)

    @app.event("message")
    def _message(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        listeners.on_message(event, context)

    @app.event("app_mention")
    def _mention(ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        listeners.on_mention(event, context)

    app.command("/vraag")(listeners.on_command)
