"""`/expertise`: an expert edits their own profile in a modal, confirms it, or (in the console
and after the command's text) changes one field at a time.

The modal's blocks are named after the fields of `routing.profiles.update_profile`, so the
Dutch messages of `ProfileError.errors` land next to their inputs (`response_action="errors"`).
A save is confirmed by a short DM through the outbox (keyed by the modal's submission) that
names the tags that were renamed to the colleagues' spelling and the tags colleagues use that
may fit; the Home is published again right after the commit. The monthly "profile.nudge" is
rendered in bot/render/profile.py; its "Klopt nog" and "Bewerken" are answered here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot import ids
from bot.conversation.profile import CONFIRMED, confirmation, profile_command, split_list
from bot.messages import UNKNOWN_COLLEAGUE
from bot.slack.listeners.home import publish_home
from bot.slack.members import member_of
from bot.slack.notices import open_modal
from bot.slack.payloads import user_of
from bot.wiring import Deps
from knowledge.languages import all_languages
from knowledge.taxonomy import load_leefgebieden
from models.clock import AMSTERDAM
from models.messages import Address, Notice
from models.outbox import enqueue
from models.tables import ExpertiseProfile, Member
from routing.profiles import ProfileError, confirm_profile, update_profile
from routing.tags import suggest_tags

Block = dict[str, Any]

COMMAND = "/expertise"
FIELDS = ("expertise", "tags", "leefgebieden", "languages", "away_until", "daily_cap")


# -- the modal -------------------------------------------------------------------------------
def _option(text: str, value: str) -> Block:
    return {"text": {"type": "plain_text", "text": text[:75]}, "value": value}


def _input(block_id: str, label: str, element: Block, *, hint: str = "") -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "optional": block_id != "expertise",
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": "value", **element},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint[:2000]}
    return block


def _multi(options: list[Block], chosen: list[str]) -> Block:
    element: Block = {"type": "multi_static_select", "options": options}
    initial = [o for o in options if o["value"] in chosen]
    if initial:
        element["initial_options"] = initial
    return element


def profile_modal(session: Session, member: Member, now: datetime) -> dict[str, Any]:
    profile = session.get(ExpertiseProfile, member.id) or ExpertiseProfile(member_id=member.id)
    tags = list(profile.tags)
    hint = "Gescheiden door komma's, bijvoorbeeld: schulden, Wmo, inburgering."
    ideas = [t for t in suggest_tags(session, profile.expertise) if t not in tags]
    if ideas:
        hint += " Collega's gebruiken ook: " + ", ".join(ideas)
    away = member.away_until if member.away_until and member.away_until > now else None
    date_picker: Block = {"type": "datepicker"}
    if away is not None:
        date_picker["initial_date"] = away.astimezone(AMSTERDAM).date().isoformat()
    text_input: Block = {"type": "plain_text_input", "multiline": True, "max_length": 2000}
    text_input["initial_value"] = profile.expertise
    blocks = [
        _input("expertise", "Waar kunnen collega's je voor vragen?", text_input),
        _input(
            "tags",
            "Trefwoorden",
            {"type": "plain_text_input", "multiline": True, "initial_value": ", ".join(tags)},
            hint=hint,
        ),
        _input(
            "leefgebieden",
            "Leefgebieden",
            _multi(
                [_option(lg.name, lg.slug) for lg in load_leefgebieden()],
                list(profile.leefgebieden),
            ),
        ),
        _input(
            "languages",
            "Talen die je met cliënten spreekt (naast Nederlands)",
            _multi(
                [_option(lg.name, lg.slug) for lg in all_languages()],
                list(member.languages),
            ),
        ),
        _input("away_until", "Afwezig tot", date_picker, hint="Leeg = je bent er gewoon."),
        _input(
            "daily_cap",
            "Maximaal aantal uitnodigingen per dag",
            {
                "type": "number_input",
                "is_decimal_allowed": False,
                "min_value": "1",
                "max_value": "20",
                "initial_value": str(member.daily_cap),
            },
        ),
    ]
    return {
        "type": "modal",
        "callback_id": ids.PROFILE_MODAL,
        "title": {"type": "plain_text", "text": "Mijn expertise"},
        "submit": {"type": "plain_text", "text": "Opslaan"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": blocks,
    }


def _state(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict(values.get(block_id, {}).get("value") or {})


def changes_from_modal(values: dict[str, Any]) -> dict[str, Any]:
    """The modal's state as keyword arguments for update_profile (ProfileError on bad input)."""
    picked = str(_state(values, "away_until").get("selected_date") or "")
    cap = str(_state(values, "daily_cap").get("value") or "").strip()
    if cap and not cap.isdigit():
        raise ProfileError({"daily_cap": "Vul een heel getal in."})
    return {
        "expertise": str(_state(values, "expertise").get("value") or ""),
        "tags": split_list(str(_state(values, "tags").get("value") or "")),
        "leefgebieden": [
            str(o["value"]) for o in _state(values, "leefgebieden").get("selected_options") or []
        ],
        "languages": [
            str(o["value"]) for o in _state(values, "languages").get("selected_options") or []
        ],
        "away_until": date.fromisoformat(picked) if picked else None,
        "daily_cap": int(cap) if cap else None,
    }


# -- Slack -----------------------------------------------------------------------------------
class ExpertiseListeners:
    def __init__(
        self, deps: Deps, client: WebClient, refresh: Callable[..., None] | None = None
    ) -> None:
        self.deps = deps
        self.client = client
        # the Home's refresh (it remembers what each member was last shown); alone in tests
        self.refresh = refresh or (
            lambda members, **_: publish_home(self.deps, self.client, members)
        )

    def on_command(self, ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
        text = str(command.get("text") or "").strip()
        member = member_of(context)
        if member is None:
            ack(text=UNKNOWN_COLLEAGUE)
            return
        if not text:
            ack()
            self._open(str(command.get("trigger_id")), member)
            return
        ack(text=profile_command(self.deps, member, text))
        self.refresh({member.id}, always=True)

    def on_edit(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        member = member_of(context)
        if member is not None:
            self._open(str(body.get("trigger_id")), member)

    def _open(self, trigger_id: str, member: Member) -> None:
        with self.deps.sessions() as session:
            view = profile_modal(session, member, self.deps.clock.now())
        open_modal(self.client, trigger_id, view)

    def on_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        deps, user = self.deps, user_of(body)
        values = (view.get("state") or {}).get("values") or {}
        member = member_of(context)
        try:
            with deps.sessions() as session:
                if member is None:
                    raise ProfileError({"expertise": UNKNOWN_COLLEAGUE})
                changes = changes_from_modal(values)
                change = update_profile(session, member.id, now=deps.clock.now(), **changes)
                ack()
                text = confirmation(session, change, changes["expertise"])
                self._notice(session, user, text, key=f"profile:{view.get('id')}")
                session.commit()
                member_id = member.id
        except ProfileError as error:
            errors = {(k if k in FIELDS else "expertise"): v[:150] for k, v in error.errors.items()}
            ack(response_action="errors", errors=errors)
            return
        except IntegrityError:
            return  # the same submission, delivered twice
        deps.after_commit()
        self.refresh({member_id}, always=True)

    def on_confirm(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, user = self.deps, user_of(body)
        action = (body.get("actions") or [{}])[0]
        member = member_of(context)
        if member is None:
            return
        try:
            with deps.sessions() as session:
                try:
                    confirm_profile(session, member.id, deps.clock.now())
                    text = CONFIRMED
                except ProfileError as error:
                    text = " ".join(error.errors.values())
                key = f"notice:action:{user}:{action.get('action_ts')}"
                self._notice(session, user, text, key=key)
                session.commit()
                member_id = member.id
        except IntegrityError:
            return
        deps.after_commit()
        self.refresh({member_id}, always=True)

    def _notice(self, session: Session, user: str, text: str, *, key: str) -> None:
        notice = Notice(to=Address.conversation(user), text=text)
        enqueue(session, key=key, message=notice, now=self.deps.clock.now())


def register_expertise(
    app: App, deps: Deps, refresh: Callable[..., None] | None = None
) -> ExpertiseListeners:
    listeners = ExpertiseListeners(deps, app.client, refresh)
    app.command(COMMAND)(listeners.on_command)
    app.action(ids.PROFILE_EDIT)(listeners.on_edit)
    app.action(ids.PROFILE_CONFIRM)(listeners.on_confirm)
    app.view(ids.PROFILE_MODAL)(listeners.on_submit)
    return listeners
