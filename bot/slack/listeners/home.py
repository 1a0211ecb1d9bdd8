"""The App Home (Start tab): where my questions stand, and for experts their invitations,
profile, figures and what Vraagbaak has learned about them.

A Home view is not a message: it is published with `views.publish` directly, not through the
outbox. Nothing is lost when a publish fails: the next change or the next opening of the tab
publishes the whole view again. It is published on `app_home_opened` and after every delivery
round for the members the delivered rows concern (`to_member`, the asker of `question_id`),
once per member per round. The view is built with a handful of queries and stays under
`MAX_BLOCKS`, so it opens fast on a phone.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from bot import ids
from bot.conversation.direct import Told, Typed, ask
from bot.conversation.profile import profile_lines
from bot.messages import UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, refusal_text
from bot.render.blocks import _button, _invitation_actions, _section
from bot.slack.members import member_of
from bot.slack.notices import send_notice
from bot.slack.payloads import user_of
from bot.text import day, escape, short, without_chat_markup
from bot.wiring import Deps
from knowledge.urgency import signals_of
from models.clock import AMSTERDAM
from models.outbox import payload_of
from models.statuses import InvitationState, QuestionStatus
from models.tables import Answer, ExpertiseProfile, Invitation, Member, Outbox, Question, Rating
from routing.learning import learned_profile, remove_topic

log = logging.getLogger(__name__)
Block = dict[str, Any]

MAX_BLOCKS = 50
SHOWN_QUESTIONS = 6
SHOWN_ANSWERS = 5
SHOWN_INVITATIONS = 4
SHOWN_TOPICS = 5
RECENTLY_CLOSED = timedelta(days=7)
_QUESTION_KEY = re.compile(r"question:(\d+):")


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:2990]}]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


@dataclass(frozen=True)
class _Asked:
    questions: list[Question]
    pending: Counter[int]  # question id -> open invitations
    answers: list[tuple[Answer, str]]  # (answer, expert name), newest first
    names: dict[str, str]


def _asked(session: Session, member_id: str, now: datetime) -> _Asked:
    questions = list(
        session.exec(
            select(Question)
            .where(
                Question.asker_id == member_id,
                or_(
                    col(Question.status) != QuestionStatus.CLOSED,
                    col(Question.closed_at) >= now - RECENTLY_CLOSED,
                ),
            )
            .order_by(col(Question.created_at).desc())
            .limit(SHOWN_QUESTIONS)
        ).all()
    )
    pending: Counter[int] = Counter()
    if questions:
        rows = session.exec(
            select(Invitation.question_id, func.count())
            .where(
                col(Invitation.question_id).in_([q.id for q in questions]),
                Invitation.state == InvitationState.PENDING,
            )
            .group_by(col(Invitation.question_id))
        ).all()
        pending.update(dict(rows))
    answers = session.exec(
        select(Answer, Member.display_name)
        .join(Question, col(Question.id) == col(Answer.question_id))
        .join(Member, col(Member.id) == col(Answer.member_id))
        .where(Question.asker_id == member_id)
        .order_by(col(Answer.created_at).desc(), col(Answer.id).desc())
        .limit(SHOWN_ANSWERS)
    ).all()
    taken = {q.taken_by for q in questions if q.taken_by}
    names = dict(
        session.exec(select(Member.id, Member.display_name).where(col(Member.id).in_(taken))).all()
        if taken
        else []
    )
    return _Asked(questions, pending, [(a, n) for a, n in answers], names)


def _stand(question: Question, pending: int, names: dict[str, str]) -> str:
    match question.status:
        case QuestionStatus.HELD:
            return "wacht op jou: helpt een eerder antwoord?"
        case QuestionStatus.TAKEN:
            return f"opgepakt door {escape(names.get(question.taken_by or '', 'een collega'))}"
        case QuestionStatus.ANSWERED:
            return "beantwoord"
        case QuestionStatus.CLOSED:
            return "gesloten"
        case _ if pending:
            return f"voorgelegd aan {pending} collega" + ("" if pending == 1 else "'s")
        case _:
            return "ik zoek nog collega's"


def _asker_blocks(asked: _Asked) -> list[Block]:
    blocks: list[Block] = [
        _header("Mijn vragen"),
        {
            "type": "actions",
            "block_id": "home:ask",
            "elements": [_button("Nieuwe vraag stellen", ids.HOME_ASK, "ask", "primary")],
        },
    ]
    if not asked.questions:
        blocks.append(_context("Je hebt geen open vragen."))
    for q in asked.questions:
        stand = _stand(q, asked.pending[q.id or 0], asked.names)
        blocks.append(_section(f"*{short(q.text, 120)}*\n{stand} · {day(q.created_at)}"))
    if asked.answers:
        lines = [f"• {escape(name)}: {short(a.text, 100)}" for a, name in asked.answers]
        blocks.append(_section("*Laatste antwoorden*\n" + "\n".join(lines)))
    return blocks


def _expert_blocks(
    session: Session, member: Member, profile: ExpertiseProfile, now: datetime
) -> list[Block]:
    blocks: list[Block] = [{"type": "divider"}, _header("Als deskundige")]
    blocks += _invitation_blocks(session, member.id)
    blocks += _profile_blocks(member, profile)
    blocks.append(_section(_availability(session, member, now)))
    blocks.append(_context(_figures(session, member.id, now)))
    blocks += _learned_blocks(session, member.id, now)
    return blocks


def _invitation_blocks(session: Session, member_id: str) -> list[Block]:
    rows = session.exec(
        select(Invitation.id, Question.text, Question.urgent)
        .join(Question, col(Question.id) == col(Invitation.question_id))
        .where(Invitation.member_id == member_id, Invitation.state == InvitationState.PENDING)
        .order_by(col(Invitation.created_at).desc())
        .limit(SHOWN_INVITATIONS)
    ).all()
    if not rows:
        return [_context("Geen open uitnodigingen.")]
    blocks: list[Block] = [_section("*Open uitnodigingen*")]
    for invitation_id, text, kinds in rows:
        urgent = "".join(f"🚨 *Spoed: {u.label}*\n" for u in signals_of(kinds, text))
        blocks += [_section(urgent + short(text, 200)), _invitation_actions(invitation_id or 0)]
    return blocks


def _profile_blocks(member: Member, profile: ExpertiseProfile) -> list[Block]:
    return [
        _section("*Mijn profiel*\n" + "\n".join(profile_lines(member, profile))),
        {
            "type": "actions",
            "block_id": "home:profile",
            "elements": [_button("Profiel bewerken", ids.PROFILE_EDIT, "home")],
        },
    ]


def _availability(session: Session, member: Member, now: datetime) -> str:
    if member.away_until is not None and member.away_until > now:
        return f"*Beschikbaarheid*\nAfwezig tot {day(member.away_until)}: je krijgt geen vragen."
    start = now.astimezone(AMSTERDAM).replace(hour=0, minute=0, second=0, microsecond=0)
    today = session.exec(
        select(func.count())
        .select_from(Invitation)
        .where(Invitation.member_id == member.id, col(Invitation.created_at) >= start)
    ).one()
    return (
        f"*Beschikbaarheid*\nBeschikbaar · vandaag {today} van max. {member.daily_cap} "
        "uitnodigingen"
    )


def _figures(session: Session, member_id: str, now: datetime) -> str:
    month = now.astimezone(AMSTERDAM).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    answered = session.exec(
        select(func.count(func.distinct(Answer.question_id))).where(
            Answer.member_id == member_id, col(Answer.created_at) >= month
        )
    ).one()
    count, average = session.exec(
        select(func.count(), func.avg(Rating.score)).where(Rating.member_id == member_id)
    ).one()
    rating = (
        f"gemiddeld cijfer {float(average):.1f} van 5 ({count}×)" if count else "nog geen cijfers"
    )
    return f"Deze maand {answered} vragen beantwoord · {rating}"


def _learned_blocks(session: Session, member_id: str, now: datetime) -> list[Block]:
    learned = learned_profile(session, member_id, now, top_terms=SHOWN_TOPICS)
    topics = [*learned.terms, *learned.leefgebieden[:2]]
    blocks: list[Block] = [_section("*Wat Vraagbaak denkt dat je weet*")]
    if not topics:
        return [*blocks, _context("Nog niets: dit leer ik van je goed beoordeelde antwoorden.")]
    for topic in topics:
        block = _section(f"{escape(topic.label)} · {len(topic.evidence_ids)}× in je antwoorden")
        block["accessory"] = _button("Klopt niet", ids.PROFILE_FORGET_TOPIC, topic.key[:150])
        blocks.append(block)
    return blocks


def build_home(session: Session, member: Member, now: datetime) -> dict[str, Any]:
    """The Home view of one member, built with a few queries."""
    blocks = _asker_blocks(_asked(session, member.id, now))
    profile = session.get(ExpertiseProfile, member.id)
    if profile is not None:
        blocks += _expert_blocks(session, member, profile, now)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


def publish_home(deps: Deps, client: WebClient, member_ids: set[str]) -> None:
    """Publish the Home of each member (with a chat id); a failure is logged, not raised."""
    if not member_ids:
        return
    with deps.sessions() as session:
        members = session.exec(
            select(Member).where(col(Member.id).in_(member_ids), Member.is_active == True)  # noqa: E712
        ).all()
        views = [(m.chat_user_id, build_home(session, m, deps.clock.now())) for m in members]
    for user_id, view in views:
        if not user_id:
            continue
        try:
            client.views_publish(user_id=user_id, view=view)
        except SlackApiError as error:
            log.warning("views.publish failed: %s", error.response.get("error"))


def concerned_members(session: Session, row_ids: list[int]) -> set[str]:
    """The members whose Home a set of delivered outbox rows changes."""
    members: set[str] = set()
    questions: set[int] = set()
    for row in session.exec(select(Outbox).where(col(Outbox.id).in_(row_ids))).all():
        if row.channel_kind != "chat":
            continue
        payload = payload_of(row)
        members |= {str(payload[k]) for k in ("to_member", "private_to") if payload.get(k)}
        if isinstance(payload.get("question_id"), int):
            questions.add(payload["question_id"])
        elif match := _QUESTION_KEY.match(row.key):  # replies to the asker name it in the key
            questions.add(int(match[1]))
    if questions:
        members |= set(
            session.exec(select(Question.asker_id).where(col(Question.id).in_(questions))).all()
        )
    return members


def ask_modal() -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": ids.HOME_ASK_MODAL,
        "title": {"type": "plain_text", "text": "Nieuwe vraag"},
        "submit": {"type": "plain_text", "text": "Vraag stellen"},
        "close": {"type": "plain_text", "text": "Annuleren"},
        "blocks": [
            {
                "type": "input",
                "block_id": "question",
                "label": {"type": "plain_text", "text": "Je vraag"},
                "hint": {
                    "type": "plain_text",
                    "text": "Zonder namen of andere gegevens van een cliënt.",
                },
                "element": {
                    "type": "plain_text_input",
                    "action_id": "value",
                    "multiline": True,
                    "max_length": 3000,
                },
            }
        ],
    }


class HomeListeners:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client

    def refresh(self, member_ids: set[str]) -> None:
        publish_home(self.deps, self.client, member_ids)

    def on_delivered(self, row_ids: list[int]) -> None:
        with self.deps.sessions() as session:
            members = concerned_members(session, row_ids)
        self.refresh(members)

    def on_opened(self, ack: Ack, event: dict[str, Any], context: BoltContext) -> None:
        ack()
        if event.get("tab", "home") != "home":
            return
        member = member_of(context)
        if member is None:
            view = {"type": "home", "blocks": [_section(UNKNOWN_COLLEAGUE)]}
            self._publish(str(event.get("user") or ""), view)
            return
        self.refresh({member.id})

    def _publish(self, user_id: str, view: dict[str, Any]) -> None:
        try:
            self.client.views_publish(user_id=user_id, view=view)
        except SlackApiError as error:
            log.warning("views.publish failed: %s", error.response.get("error"))

    def on_ask_button(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        try:
            self.client.views_open(trigger_id=str(body.get("trigger_id")), view=ask_modal())
        except SlackApiError as error:  # an expired trigger: the user taps again
            log.warning("views.open failed: %s", error.response.get("error"))

    def on_ask_submit(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        """The modal's question goes the way of /vraag: intake, then the dispatcher."""
        deps, user = self.deps, user_of(body)
        values = (view.get("state") or {}).get("values") or {}
        text = str(values.get("question", {}).get("value", {}).get("value") or "").strip()
        try:
            deps.dispatcher.intake.check(without_chat_markup(text))
        except REFUSALS as refused:
            ack(response_action="errors", errors={"question": refusal_text(refused)[:150]})
            return
        asker = member_of(context)
        if asker is None:
            ack(response_action="errors", errors={"question": UNKNOWN_COLLEAGUE[:150]})
            return
        ack()
        typed = Typed(
            member=asker,
            text=text,
            key=f"slack:home:{view.get('id')}",
            channel=user,
            question_only=True,
        )
        outcome = ask(deps, typed)
        if isinstance(outcome, Told):
            send_notice(deps, user, user, outcome.text, key=f"notice:home:{view.get('id')}")
            return
        deps.after_commit()

    def on_forget(self, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        ack()
        deps, user = self.deps, user_of(body)
        action = (body.get("actions") or [{}])[0]
        member = member_of(context)
        if member is None:
            return
        with deps.sessions() as session:
            try:
                remove_topic(session, member.id, str(action.get("value") or ""), deps.clock.now())
            except REFUSALS as error:
                session.rollback()
                send_notice(
                    self.deps,
                    user,
                    user,
                    refusal_text(error),
                    key=f"notice:action:{user}:{action.get('action_ts')}",
                )
                return
            session.commit()
        self.refresh({member.id})


def register_home(app: App, deps: Deps) -> HomeListeners:
    """The Home tab's listeners, and its refresh after every delivery round."""
    listeners = HomeListeners(deps, app.client)
    app.event("app_home_opened")(listeners.on_opened)
    app.action(ids.HOME_ASK)(listeners.on_ask_button)
    app.view(ids.HOME_ASK_MODAL)(listeners.on_ask_submit)
    app.action(ids.PROFILE_FORGET_TOPIC)(listeners.on_forget)
    deps.on_delivered.append(listeners.on_delivered)
    return listeners
