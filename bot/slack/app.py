"""The Slack app: listeners parse the payload, call the domain, and let the outbox speak.

Each listener acks first, then does its work in one database transaction; messages that the
work causes are outbox rows in that transaction and are delivered after the commit. Replies
that change nothing (an error, "I don't know you yet") are outbox rows too, keyed by the event
or click that caused them. Only a slash command's ack text is answered in the HTTP response.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError

from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.errors import polite_errors
from bot.slack.listeners import actions
from bot.slack.listeners.cijfers import register as register_cijfers
from bot.slack.listeners.expertise import register_expertise
from bot.slack.listeners.home import register_home
from bot.slack.listeners.question_preview import register as register_preview
from bot.slack.listeners.registrations import RegistrationListeners
from bot.slack.listeners.registrations import register as register_registrations
from bot.slack.listeners.reveal import register as register_reveal
from bot.slack.members import member_for_chat_user, member_of, resolve_member
from bot.slack.notices import send_notice
from bot.slack.payloads import SlackMessage, action_of, channel_of, to_message, user_of
from bot.wiring import Deps
from casework.registration import Refusal
from routing.dispatch import DispatchError, Inbound
from routing.intake import IntakeRefused, clean_text
from routing.suggestions import enqueue_search

log = logging.getLogger(__name__)

THREAD_HINT = (
    "Een nieuwe vraag? Stuur hem als nieuw bericht, niet als reactie in een thread. "
    "Antwoorden op een uitnodiging typ je in de thread van die uitnodiging."
)
SEARCH_HELP = {
    "/sociale-kaart": (
        "Zoek op de sociale kaart: `/sociale-kaart taalcafé in de avond` of met een wijk: "
        "`/sociale-kaart maatje voor oudere Zuilen`. Zonder wijk zoek ik bij jouw team."
    ),
    "/academie": "Zoek een Buurtacademie-module: `/academie gesprek over schulden beginnen`.",
}
MAX_SEARCH_CHARS = 500
HELP = (
    "Stel je vraag gewoon in een bericht aan mij, of met `/vraag je vraag`. Ik haal eerst "
    "alles weg wat een cliënt herkenbaar maakt en leg de vraag dan voor aan de collega's die "
    "er het meeste van weten."
)


class SlackListeners:
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

    def on_search(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        """/sociale-kaart VRAAG [wijk] and /academie ONDERWERP: results in a DM, with buttons."""
        deps, name = self.deps, str(command.get("command") or "/sociale-kaart")
        text = clean_text(str(command.get("text") or ""))
        if not text or text.lower() in {"help", "hulp"}:
            ack(text=SEARCH_HELP.get(name, SEARCH_HELP["/sociale-kaart"]))
            return
        if len(text) > MAX_SEARCH_CHARS:
            ack(text=f"Je zoekvraag is te lang; houd hem onder {MAX_SEARCH_CHARS} tekens.")
            return
        user = str(command.get("user_id"))
        member = member_of(context)
        if member is None:
            ack(text=UNKNOWN_COLLEAGUE)
            return
        with deps.sessions() as session:
            query = deps.deidentifier.deidentify(text).text
            ack(text="Ik zoek het voor je op; de resultaten staan zo in je berichten van mij.")
            try:
                enqueue_search(
                    session,
                    deps.catalogue,
                    key=f"search:slack:{command.get('trigger_id')}",
                    channel=user,
                    query=query,
                    team=member.team,
                    leefgebieden=[s for s, _ in deps.finder.suggest_leefgebieden(query)[:1]],
                    social_map=name != "/academie",
                    now=deps.clock.now(),
                )
                session.commit()
            except IntegrityError:
                return  # the same command, delivered twice
        deps.after_commit()

    def on_action(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, action, user = self.deps, action_of(body), user_of(body)
        channel = channel_of(body)
        action_ts = (
            action.get("action_ts") or body.get("trigger_id") or deps.clock.now().timestamp()
        )
        actor = member_of(context)
        with deps.sessions() as session:
            try:
                if actor is None:
                    raise DispatchError(UNKNOWN_COLLEAGUE)
                actions.apply(actions.Click(session, deps, actor, action))
                session.commit()
            except DispatchError as error:
                session.rollback()
                self._reply(channel, user, error.reason, key=f"notice:action:{user}:{action_ts}")
                return
        deps.after_commit()


def build_app(
    deps: Deps,
    *,
    client: WebClient,
    signing_secret: str,
    process_before_response: bool = False,
    token_verification_enabled: bool = True,
) -> App:
    """A new Bolt app around our listeners; there is no module-level App."""
    app = App(
        client=client,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        token_verification_enabled=token_verification_enabled,
    )
    app.use(resolve_member(deps))
    registrations = RegistrationListeners(deps, client)
    listeners = SlackListeners(deps, client, registrations)
    register_registrations(app, registrations)
    register_cijfers(app, deps)

    @app.event("message")
    def _message(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        listeners.on_message(event)

    @app.event("app_mention")
    def _mention(ack: Ack, event: dict[str, Any]) -> None:
        ack()
        listeners.on_mention(event)

    app.command("/vraag")(listeners.on_command)
    app.command("/sociale-kaart")(listeners.on_search)
    app.command("/academie")(listeners.on_search)
    for action_id in actions.HANDLERS:
        app.action(action_id)(listeners.on_action)

    app.error(polite_errors(deps))

    register_home(app, deps)
    register_preview(app, deps, client)
    register_expertise(app, deps)
    register_reveal(app, deps)
    return app
