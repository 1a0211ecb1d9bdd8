"""`/expertise` as text: an expert shows their profile or changes one field at a time
(Slack after the command's text, the console always). The modal is bot/slack/listeners/
expertise.py's; both save through routing/profiles.py and confirm with `confirmation`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.messages import UNKNOWN_COLLEAGUE
from bot.text import day, escape, short
from bot.wiring import Deps
from knowledge.languages import language_name
from knowledge.taxonomy import name_for
from models.tables import ExpertiseProfile, Member
from routing.learning import learned_profile, remove_topic
from routing.profiles import ProfileChange, ProfileError, confirm_profile, update_profile
from routing.tags import suggest_tags

HELP = (
    "Met /expertise bewerk je je profiel als deskundige.\n"
    "• /expertise: je profiel in een formulier\n"
    "• /expertise klopt: je profiel klopt nog\n"
    "• /expertise tags schulden, Wmo · /expertise talen Arabisch, Turks\n"
    "• /expertise afwezig 2026-12-24 (of: afwezig nee) · /expertise vergeet ONDERWERP"
)
DUTCH_NOT_STORED = (
    "Nederlands sla ik niet op: dat spreekt iedereen, dus het helpt niet bij het kiezen van "
    "een collega. De andere talen staan in je profiel."
)
CONFIRMED = "Dank je! Je profiel telt weer volledig mee bij het zoeken naar collega's."


def split_list(text: str) -> list[str]:
    """The items of a typed list: "schulden, Wmo; taal" gives three."""
    return [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]


def profile_lines(member: Member, profile: ExpertiseProfile) -> list[str]:
    """The profile as short Dutch lines (escaped), for the Home and the console."""
    areas = [name_for(s) for s in profile.leefgebieden]
    languages = [language_name(s) for s in member.languages]
    return [
        short(profile.expertise, 300) or "_(nog geen omschrijving)_",
        f"Trefwoorden: {escape(', '.join(profile.tags)) or '-'}",
        f"Leefgebieden: {', '.join(areas) or '-'}",
        f"Talen: {', '.join(languages) or 'Nederlands'}",
        f"Afwezig tot: {day(member.away_until) or '-'} · max. {member.daily_cap} per dag",
    ]


def confirmation(session: Session, change: ProfileChange, expertise: str) -> str:
    """The Dutch confirmation of a save: renamed tags and colleagues' tags that may fit."""
    lines = ["Je profiel is opgeslagen." if change.changed else "Je profiel is bevestigd."]
    if change.renamed_tags:
        renames = ", ".join(f"{typed} → {saved}" for typed, saved in change.renamed_tags.items())
        lines.append(f"Zo noemen collega's het al: {renames}.")
    if change.tags_as_leefgebieden:
        areas = ", ".join(name_for(s) for s in change.tags_as_leefgebieden)
        lines.append(f"Opgeslagen als leefgebied, niet als trefwoord: {areas}.")
    ideas = [t for t in suggest_tags(session, expertise) if t not in change.tags]
    if ideas:
        lines.append(f"Misschien past ook: {', '.join(ideas)}.")
    return "\n".join(lines)


def _show(session: Session, member: Member, now: datetime) -> str:
    profile = session.get(ExpertiseProfile, member.id)
    if profile is None:
        return "Je hebt nog geen profiel. Begin met: /expertise tags schulden, Wmo"
    lines = ["Je profiel:", *profile_lines(member, profile)]
    learned = learned_profile(session, member.id, now, top_terms=5)
    topics = [t.label for t in (*learned.terms, *learned.leefgebieden[:2])]
    lines.append("Wat Vraagbaak denkt dat je weet: " + (", ".join(topics) or "nog niets"))
    return "\n".join(lines).replace("*", "")


def _forget(session: Session, member_id: str, topic: str, now: datetime) -> str:
    learned = learned_profile(session, member_id, now, top_terms=50)
    wanted = topic.strip().lower()
    key = next(
        (t.key for t in (*learned.terms, *learned.leefgebieden) if t.label.lower() == wanted),
        topic,
    )
    removed = remove_topic(session, member_id, key, now)
    if not removed:
        return f"Ik vond niets over '{topic}' in wat ik van je antwoorden heb geleerd."
    return f"Vergeten: '{topic}' ({removed}× in je antwoorden). Het telt niet meer mee."


def _apply(session: Session, member: Member, verb: str, rest: str, now: datetime) -> str:
    if verb == "klopt":
        confirm_profile(session, member.id, now)
        return CONFIRMED
    if verb == "vergeet" and rest:
        return _forget(session, member.id, rest, now)
    changes: dict[str, Any]
    if verb == "tags" and rest:
        changes = {"tags": split_list(rest)}
    elif verb == "talen" and rest:
        changes = {"languages": split_list(rest)}
    elif verb == "afwezig" and rest:
        if rest.lower() in ("nee", "geen", "niet", "-"):
            changes = {"away_until": None}
        else:
            try:
                changes = {"away_until": date.fromisoformat(rest)}
            except ValueError:
                return "Schrijf de datum zo: /expertise afwezig 2026-12-24"
    else:
        return HELP
    profile = session.get(ExpertiseProfile, member.id)
    change = update_profile(session, member.id, now=now, **changes)
    return confirmation(session, change, profile.expertise if profile else "")


def profile_command(deps: Deps, member: Member | None, text: str) -> str:
    """`/expertise …` as text: show the profile, or change one thing, and say what happened
    (committed; a refusal writes nothing)."""
    verb, _, rest = text.strip().partition(" ")
    now = deps.clock.now()
    if member is None:
        return UNKNOWN_COLLEAGUE
    with deps.sessions() as session:
        if not verb:
            return _show(session, member, now)
        if verb.lower() in ("help", "hulp"):
            return HELP
        try:
            reply = _apply(session, member, verb.lower(), rest.strip(), now)
        except ProfileError as error:
            return " ".join(error.errors.values())
        session.commit()
    if verb.lower() == "talen" and any(w.lower() == "nederlands" for w in split_list(rest)):
        reply += "\n" + DUTCH_NOT_STORED
    return reply
