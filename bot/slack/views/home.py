"""The App Home (Start tab) in Block Kit: where my questions stand, and for experts their
invitations, profile, availability, figures and what Vraagbaak has learned about them. What it
shows is read by bot/conversation/home.py; the view stays under `MAX_BLOCKS`.
"""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.conversation.home import ExpertHome, Home, MyQuestions
from bot.conversation.profile import profile_lines
from bot.render.blocks import _button, _invitation_actions, _section
from bot.text import day, escape, short
from models.statuses import QuestionStatus
from models.tables import Member, Question

Block = dict[str, Any]
MAX_BLOCKS = 50


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:2990]}]}


def _header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text, "emoji": True}}


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


def _asker_blocks(asked: MyQuestions) -> list[Block]:
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


def _expert_blocks(member: Member, expert: ExpertHome) -> list[Block]:
    blocks: list[Block] = [{"type": "divider"}, _header("Als deskundige")]
    if not expert.invitations:
        blocks.append(_context("Geen open uitnodigingen."))
    else:
        blocks.append(_section("*Open uitnodigingen*"))
    for invitation in expert.invitations:
        urgent = "".join(f"🚨 *Spoed: {u.label}*\n" for u in invitation.urgent)
        blocks += [
            _section(urgent + short(invitation.text, 200)),
            _invitation_actions(invitation.invitation_id),
        ]
    blocks += _profile_blocks(member, expert)
    blocks.append(_section(_availability(member, expert)))
    rating = (
        f"gemiddeld cijfer {expert.average_rating:.1f} van 5 ({expert.ratings}×)"
        if expert.average_rating is not None
        else "nog geen cijfers"
    )
    blocks.append(_context(f"Deze maand {expert.answered_this_month} vragen beantwoord · {rating}"))
    blocks.append(_section("*Wat Vraagbaak denkt dat je weet*"))
    if not expert.topics:
        blocks.append(_context("Nog niets: dit leer ik van je goed beoordeelde antwoorden."))
    for topic in expert.topics:
        block = _section(f"{escape(topic.label)} · {len(topic.evidence_ids)}× in je antwoorden")
        block["accessory"] = _button("Klopt niet", ids.PROFILE_FORGET_TOPIC, topic.key[:150])
        blocks.append(block)
    return blocks


def _profile_blocks(member: Member, expert: ExpertHome) -> list[Block]:
    return [
        _section("*Mijn profiel*\n" + "\n".join(profile_lines(member, expert.profile))),
        {
            "type": "actions",
            "block_id": "home:profile",
            "elements": [_button("Profiel bewerken", ids.PROFILE_EDIT, "home")],
        },
    ]


def _availability(member: Member, expert: ExpertHome) -> str:
    if member.away_until is not None and expert.away:
        return f"*Beschikbaarheid*\nAfwezig tot {day(member.away_until)}: je krijgt geen vragen."
    return (
        f"*Beschikbaarheid*\nBeschikbaar · vandaag {expert.invitations_today} van max. "
        f"{member.daily_cap} uitnodigingen"
    )


def home_view(home: Home) -> dict[str, Any]:
    """The Home view of one member."""
    blocks = _asker_blocks(home.asked)
    if home.expert is not None:
        blocks += _expert_blocks(home.member, home.expert)
    return {"type": "home", "blocks": blocks[:MAX_BLOCKS]}


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
