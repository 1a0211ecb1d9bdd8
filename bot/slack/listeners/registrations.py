"""Quick registrations in Slack: /registreer, a DM that starts like one, the card's buttons and
the two modals (a form for those who prefer one, and an edit box for "Aanpassen").

The domain (casework/registration/desk.py) decides; this module only reads Slack payloads and
opens modals. A modal is not a message: Slack's trigger_id expires after three seconds, so
views.open is called directly in the listener instead of through the outbox.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot import ids
from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.members import member_for_chat_user
from bot.slack.notices import open_modal, send_notice
from bot.wiring import Deps
from bot.workers.ervaringwijzer import feedback_policy
from casework.ervaringwijzer.invitations import FeedbackPolicy, Refused
from casework.ervaringwijzer.text import CARD_HINT, CONTACT_LABEL
from casework.registration import KINDS, Refusal
from casework.registration.desk import DeskError, Proposal
from knowledge.teams import all_teams
from models.messages import Address, RegistrationList
from models.outbox import enqueue
from models.tables import Member

HELP = (
    "Registreer in één bericht, bijvoorbeeld `/registreer aanmelding Zuilen, zelfmelder` of "
    "`/registreer casus 4711 afgesloten, doel bereikt`. Ik laat eerst zien wat ik begrepen heb; "
    "pas na *Opslaan* wordt het vastgelegd. `/registreer` zonder tekst opent een formulier, "
    "`/registreer vandaag` toont je registraties van vandaag. Nooit namen, alleen casusnummers."
)
_CASE_START = re.compile(r"^\s*(casus|dossier|cs)\s*[#:]?\s*\d", re.IGNORECASE)
_EXPLICIT = re.compile(r"^\s*(registreer|registratie|reg)\b[:\s]*", re.IGNORECASE)
_WORD = re.compile(r"[a-zà-ÿ0-9]+")


def looks_like_registration(text: str, deps: Deps) -> tuple[bool, str]:
    """(looks like a registration, the text without an explicit "registreer:")."""
    explicit = _EXPLICIT.match(text)
    if explicit:
        return True, text[explicit.end() :]
    if _CASE_START.match(text):
        return True, text
    words = _WORD.findall(text.lower())[:3]
    vocabulary = deps.registrations.parser.vocabulary
    opening = {kind.phrase.split()[0] for kind in vocabulary.kinds.values()}
    return bool(words) and words[0] in opening and "?" not in text, text


def propose_if_registration(
    deps: Deps,
    session: Session,
    member: Member,
    text: str,
    *,
    key: str,
    channel: str,
    thread: str | None,
) -> Proposal | Refusal | None:
    """A message that starts like a registration gets a card (or a refusal); None lets it go
    on as a question. A refused registration is answered, never routed: "aanmelding Zuilen,
    mevrouw Jansen" must not reach an expert either."""
    looks, body = looks_like_registration(text, deps)
    if not looks:
        return None
    outcome = deps.registrations.propose(
        session,
        member=member,
        text=body,
        sent_at=deps.clock.now(),
        key=key,
        channel=channel,
        thread=thread,
    )
    if (
        isinstance(outcome, Refusal)
        and outcome.code in ("question", "not_understood")
        and not _EXPLICIT.match(text)
    ):
        return None
    return outcome


def _text_input(
    block_id: str, label: str, initial: str = "", *, multiline: bool = False
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
    }
    if initial:
        element["initial_value"] = initial
    return {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(text: str, value: str) -> dict[str, Any]:
    return {"text": _plain(text), "value": value}


def form_view(deps: Deps, team: str | None) -> dict[str, Any]:
    """The form: kind, case number, team, date and the rest in words (parsed like a message)."""
    vocabulary = deps.registrations.parser.vocabulary
    kinds = [_option(vocabulary.kinds[k].label, k) for k in KINDS]
    teams = [_option(t.name, t.name) for t in all_teams()]
    team_select: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": teams}
    if team in {t.name for t in all_teams()}:
        team_select["initial_option"] = _option(str(team), str(team))
    return {
        "type": "modal",
        "callback_id": ids.REG_FORM,
        "title": _plain("Registreren"),
        "submit": _plain("Controleren"),
        "close": _plain("Annuleren"),
        "blocks": [
            {
                "type": "input",
                "block_id": "kind",
                "label": _plain("Wat registreer je?"),
                "element": {"type": "static_select", "action_id": "value", "options": kinds},
            },
            {
                **_text_input("case_ref", "Casusnummer (leeg bij een nieuwe aanmelding)"),
                "optional": True,
            },
            {"type": "input", "block_id": "team", "label": _plain("Team"), "element": team_select},
            {
                "type": "input",
                "block_id": "day",
                "optional": True,
                "label": _plain("Datum (leeg = vandaag)"),
                "element": {"type": "datepicker", "action_id": "value"},
            },
            {
                **_text_input(
                    "details",
                    "Verder (melder, reden, scores…), zonder namen",
                    multiline=True,
                ),
                "optional": True,
            },
        ],
    }


def _policy(deps: Deps) -> FeedbackPolicy:
    try:
        return feedback_policy(deps.settings)
    except RuntimeError as error:
        raise DeskError(
            "De Ervaringwijzer staat nog niet aan in Vraagbaak; vraag je beheerder."
        ) from error


def contact_view(metadata: dict[str, Any]) -> dict[str, Any]:
    label = CONTACT_LABEL[str(metadata["channel"])]
    return {
        "type": "modal",
        "callback_id": ids.REG_CONTACT,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Ervaringwijzer"),
        "submit": _plain("Uitnodigen"),
        "close": _plain("Annuleren"),
        "blocks": [
            {"type": "context", "elements": [{"type": "mrkdwn", "text": CARD_HINT}]},
            _text_input("contact", label),
        ],
    }


def edit_view(text: str, metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.REG_EDIT,
        "private_metadata": json.dumps(metadata),
        "title": _plain("Registratie aanpassen"),
        "submit": _plain("Controleren"),
        "close": _plain("Annuleren"),
        "blocks": [
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": "Pas de tekst aan; ik laat daarna opnieuw zien wat ik begrijp.",
                    }
                ],
            },
            _text_input("text", "Registratie", text, multiline=True),
        ],
    }


def _form_message(values: dict[str, Any], deps: Deps) -> str:
    """The form's fields written as one message, so one parser checks both ways of entering."""

    def value(block: str) -> str:
        field = values.get(block, {}).get("value", {})
        selected = field.get("selected_option") or {}
        return str(selected.get("value") or field.get("selected_date") or field.get("value") or "")

    vocabulary = deps.registrations.parser.vocabulary
    kind = value("kind")
    parts = [vocabulary.kinds[kind].phrase if kind in vocabulary.kinds else kind]
    if value("case_ref").strip():
        parts.append(f"casus {value('case_ref').strip()}")
    if value("team"):
        parts.append(f"team {value('team')}")
    if value("day"):
        year, month, day = value("day").split("-")
        parts.append(f"{int(day)}-{int(month)}-{year}")
    if value("details").strip():
        parts.append(value("details").strip())
    return " ".join(parts)


class RegistrationListeners:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client

    # -- entry points ---------------------------------------------------------------------
    def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        deps, user = self.deps, str(command.get("user_id"))
        text = str(command.get("text") or "").strip()
        with deps.sessions() as session:
            member = member_for_chat_user(session, user)
            if member is None:
                ack(text=UNKNOWN_COLLEAGUE)
                return
            if text.lower() in {"help", "hulp"}:
                ack(text=HELP)
                return
            if not text:
                ack()
                self._open(str(command.get("trigger_id")), form_view(deps, member.team))
                return
            if text.lower() in {"vandaag", "lijst", "mijn registraties"}:
                ack(text="Je registraties van vandaag staan zo in je berichten van mij.")
                self._list(session, member, key=f"slack:{command.get('trigger_id')}")
                session.commit()
                deps.after_commit()
                return
            outcome = self.propose(
                session, member, text, key=f"slack:{command.get('trigger_id')}", channel=user
            )
            if isinstance(outcome, Refusal):
                ack(text=outcome.text_nl())  # nothing of a refused message is stored
                return
            ack(text="Controleer je registratie in je berichten van mij en kies Opslaan.")
            session.commit()
        deps.after_commit()

    def propose(
        self,
        session: Session,
        member: Member,
        text: str,
        *,
        key: str,
        channel: str,
        thread: str | None = None,
        replaces: int | None = None,
        update_of: str | None = None,
    ) -> Proposal | Refusal:
        return self.deps.registrations.propose(
            session,
            member=member,
            text=text,
            sent_at=self.deps.clock.now(),
            key=key,
            channel=channel,
            thread=thread,
            replaces=replaces,
            update_of=update_of,
        )

    def from_dm(
        self, session: Session, member: Member, text: str, *, key: str, channel: str, thread: str
    ) -> Proposal | Refusal | None:
        return propose_if_registration(
            self.deps, session, member, text, key=key, channel=channel, thread=thread
        )

    # -- buttons --------------------------------------------------------------------------
    def on_action(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        deps = self.deps
        action = (body.get("actions") or [{}])[0]
        action_id, value = action.get("action_id"), str(action.get("value") or "")
        user = str((body.get("user") or {}).get("id") or "")
        channel = str((body.get("channel") or {}).get("id") or user)
        now = deps.clock.now()
        desk = deps.registrations
        with deps.sessions() as session:
            member = member_for_chat_user(session, user)
            try:
                if member is None:
                    raise DeskError(UNKNOWN_COLLEAGUE)
                if action_id == ids.REG_SAVE:
                    desk.save(session, value, member.id, now)
                elif action_id == ids.REG_CANCEL:
                    desk.cancel(session, value, member.id, now)
                elif action_id == ids.REG_UNDO:
                    desk.undo(session, value, member.id, now)
                elif action_id == ids.REG_EVENT_UNDO:
                    desk.undo_event(session, int(value), member.id, now)
                    self._list(session, member, key=f"undo:{value}:{action.get('action_ts')}")
                elif action_id == ids.REG_EDIT:
                    card = desk.card(session, value, member.id)
                    self._open(
                        str(body.get("trigger_id")),
                        edit_view(card.message, {"card": value, "replaces": card.replaces}),
                    )
                    return
                elif action_id == ids.REG_INVITE:
                    card_key, channel_kind = value.rsplit("|", 1)
                    if channel_kind in CONTACT_LABEL:
                        desk.card(session, card_key, member.id)  # only the sender may choose
                        metadata = {"card": card_key, "channel": channel_kind}
                        self._open(str(body.get("trigger_id")), contact_view(metadata))
                        return
                    outcome = desk.invite(
                        session,
                        card_key,
                        member.id,
                        channel=channel_kind,
                        contact=None,
                        now=now,
                        policy=_policy(deps),
                    )
                    if isinstance(outcome, Refused):
                        raise DeskError(outcome.message)
                elif action_id == ids.REG_CORRECT:
                    event = desk.own_event(session, int(value), member.id)
                    self._open(
                        str(body.get("trigger_id")),
                        edit_view(desk.message_of(event), {"replaces": event.id}),
                    )
                    return
                session.commit()
            except (DeskError, ValueError) as error:
                session.rollback()
                reason = (
                    error.reason if isinstance(error, DeskError) else "Deze knop begrijp ik niet."
                )
                send_notice(
                    deps, channel, user, reason, key=f"notice:reg:{user}:{action.get('action_ts')}"
                )
                return
            except IntegrityError:
                return  # the same click, handled by a concurrent delivery
        deps.after_commit()

    # -- modals ---------------------------------------------------------------------------
    def on_contact(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """The client's e-mail address or phone number for the Ervaringwijzer. It goes to the
        invitation only, never into a message, a log line or the card."""
        deps = self.deps
        user = str((body.get("user") or {}).get("id") or "")
        values = (view.get("state") or {}).get("values") or {}
        contact = str(values.get("contact", {}).get("value", {}).get("value") or "").strip()
        metadata = json.loads(view.get("private_metadata") or "{}")
        with deps.sessions() as session:
            member = member_for_chat_user(session, user)
            try:
                if member is None:
                    raise DeskError(UNKNOWN_COLLEAGUE)
                outcome = deps.registrations.invite(
                    session,
                    str(metadata.get("card")),
                    member.id,
                    channel=str(metadata.get("channel")),
                    contact=contact,
                    now=deps.clock.now(),
                    policy=_policy(deps),
                )
            except DeskError as error:
                ack(response_action="errors", errors={"contact": error.reason[:150]})
                return
            if isinstance(outcome, Refused):
                ack(response_action="errors", errors={"contact": outcome.message[:150]})
                return
            ack()
            session.commit()
        deps.after_commit()

    def on_submit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        deps = self.deps
        user = str((body.get("user") or {}).get("id") or "")
        values = (view.get("state") or {}).get("values") or {}
        if view.get("callback_id") == ids.REG_FORM:
            text, field = _form_message(values, deps), "details"
            metadata: dict[str, Any] = {}
        else:
            text, field = str(values.get("text", {}).get("value", {}).get("value") or ""), "text"
            metadata = json.loads(view.get("private_metadata") or "{}")
        with deps.sessions() as session:
            member = member_for_chat_user(session, user)
            if member is None:
                ack(response_action="errors", errors={field: UNKNOWN_COLLEAGUE})
                return
            card = metadata.get("card")
            outcome = self.propose(
                session,
                member,
                text,
                key=f"modal:{view.get('id')}:{view.get('hash', '')}",
                channel=user,
                replaces=metadata.get("replaces"),
                update_of=card,
            )
            if isinstance(outcome, Refusal):
                ack(response_action="errors", errors={field: outcome.text_nl()[:150]})
                return
            ack()
            session.commit()
        deps.after_commit()

    # -- helpers --------------------------------------------------------------------------
    def _open(self, trigger_id: str, view: dict[str, Any]) -> None:
        open_modal(self.client, trigger_id, view)

    def _list(self, session: Session, member: Member, *, key: str) -> None:
        items = self.deps.registrations.today(session, member.id, self.deps.clock.now())
        enqueue(
            session,
            key=f"registrations:{key}",
            message=RegistrationList(to=Address.member(member.id), items=tuple(items)),
            now=self.deps.clock.now(),
        )


def register(app: App, listeners: RegistrationListeners) -> None:
    app.command("/registreer")(listeners.on_command)
    for action_id in (
        ids.REG_SAVE,
        ids.REG_CANCEL,
        ids.REG_UNDO,
        ids.REG_EDIT,
        ids.REG_EVENT_UNDO,
        ids.REG_CORRECT,
        ids.REG_INVITE,
    ):
        app.action(action_id)(listeners.on_action)
    app.view(ids.REG_FORM)(listeners.on_submit)
    app.view(ids.REG_CONTACT)(listeners.on_contact)
    app.view(ids.REG_EDIT)(listeners.on_submit)
