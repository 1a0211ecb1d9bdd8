"""The team's figures: `/cijfers [team] [periode]` and `/cijfers instellen <dag> <tijd> [#kanaal]`.

Invariant: only a coordinator (Member.is_coordinator) sets a digest, and only their own team's:
the channel decides who reads a team's figures, so a colleague cannot move them elsewhere.
A refusal is raised (`Unreadable` or the domain's `DigestInputError`) before anything is
written. Setting the moment announces it in the digest's channel in the same transaction.
"""

from __future__ import annotations

import base64
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from bot.messages import DIGEST_COORDINATOR_ONLY, DIGEST_OWN_TEAM_ONLY, UNKNOWN_COLLEAGUE
from bot.refusals import REFUSALS, Unreadable, refusal_text
from bot.wiring import Deps
from bot.workers.scheduler import schedules_changed
from casework.digest import build_digest, digest_channel, period_title
from casework.digest_schedule import (
    PERIOD_EXAMPLES,
    DigestInputError,
    Schedule,
    parse_time,
    parse_weekday,
    save_schedule,
    schedule_for,
    split_team_and_period,
)
from casework.kpi.periods import Period
from knowledge.teams import EXTERNAL, resolve_team, team_candidates
from models.messages import Address, FiguresDigest, Notice, validated
from models.outbox import enqueue
from models.tables import Member

HELP = (
    "Met /cijfers zie je de cijfers van je team, privé.\n"
    "• /cijfers: je eigen team, vorige week\n"
    "• /cijfers Zuilen november: een ander team of een andere periode\n"
    f"  Periodes: {PERIOD_EXAMPLES}.\n"
    "• /cijfers instellen dinsdag 09:00 #kanaal: wanneer en waar het weekoverzicht van je "
    "team komt (alleen voor de coördinator van het team)."
)
HOW_TO_SET = "Schrijf het zo: /cijfers instellen dinsdag 09:00 #kanaal"
_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{6,})")


def figures_request(member: Member | None, text: str, now: datetime) -> tuple[str, Period]:
    """Which team and period someone asks for; their own team and last week by default."""
    team_text, period = split_team_and_period(text, now)
    if period.start > now:
        raise Unreadable("Die periode is nog niet begonnen.")
    if team_text:
        team = resolve_team(team_text)
        if team is None:
            options = team_candidates(team_text, score_cutoff=60.0)[:3]
            hint = f" Bedoel je {' of '.join(options)}?" if options else ""
            raise Unreadable(f'Ik ken geen team "{team_text}".{hint}')
        return team, period
    if member is None or member.team in ("", EXTERNAL):
        raise Unreadable("Noem het team erbij, bijvoorbeeld: /cijfers Zuilen vorige week.")
    return member.team, period


def _split_team(words: list[str]) -> tuple[str, list[str]]:
    """("Zuilen", ["dinsdag", "09:00"]) from "Zuilen dinsdag 09:00": the words before the first
    weekday name a team; without a weekday nothing is split off (the parse error follows)."""
    for index, word in enumerate(words):
        try:
            parse_weekday(word)
        except DigestInputError:
            continue
        return " ".join(words[:index]), words[index:]
    return "", words


def configure(
    session: Session,
    deps: Deps,
    member: Member,
    words: list[str],
    *,
    here: str | None = None,
) -> tuple[str, Schedule]:
    """Store the member's team's digest moment from "[team] dinsdag 09:00 [#kanaal]".

    Raises `Unreadable` or `DigestInputError` (nothing written) unless `member` is a
    coordinator of a buurtteam and the team, when named, is their own.
    """
    if member.team in ("", EXTERNAL):
        raise Unreadable("Alleen leden van een buurtteam kunnen het weekoverzicht instellen.")
    if not member.is_coordinator:
        raise Unreadable(DIGEST_COORDINATOR_ONLY)
    team_text, words = _split_team(words)
    if team_text and resolve_team(team_text) != member.team:
        raise Unreadable(DIGEST_OWN_TEAM_ONLY.format(team=member.team))
    if len(words) not in (2, 3):
        raise Unreadable(HOW_TO_SET)
    weekday, at = parse_weekday(words[0]), parse_time(words[1])
    channel = None
    if len(words) == 3:
        match = _CHANNEL.fullmatch(words[2])
        if match is None:
            raise Unreadable(
                f'Ik herken het kanaal "{words[2]}" niet. Typ # en kies het kanaal uit de lijst.'
            )
        channel = match[1] or match[2]
    elif digest_channel(session, member.team) is None:
        if not here or here[0] not in "CG":
            raise Unreadable(f"In welk kanaal moet het weekoverzicht komen? {HOW_TO_SET}")
        channel = here  # typed in a channel: that is where it goes
    save_schedule(
        session,
        member.team,
        weekday=weekday,
        at=at,
        channel_id=channel,
        member_id=member.id,
        now=deps.clock.now(),
        timezone=deps.settings.digest_timezone,
    )
    settings = deps.settings
    schedule = schedule_for(
        session,
        member.team,
        weekday=settings.digest_weekday,
        at=parse_time(settings.digest_time),
        timezone=settings.digest_timezone,
    )
    return member.team, schedule


def figures_for(deps: Deps, team: str, period: Period, channel: str) -> FiguresDigest:
    """The figures as a message to `channel` (computing them is the slow part)."""
    with deps.sessions() as session:
        digest = build_digest(session, team, period, now=deps.clock.now())
    return validated(FiguresDigest, digest, to=Address.conversation(channel))


@dataclass(frozen=True)
class FiguresPlan:
    """A figures request that was understood; `ack` is what the person is told at once."""

    team: str
    period: Period
    ack: str


def understand(deps: Deps, member: Member | None, text: str) -> FiguresPlan | str:
    """Cheap work only (a transport answers within seconds): the plan, or the Dutch reply
    that ends the request (help, a stranger, a refusal). `instellen` is `set_moment`'s."""
    text = " ".join(text.split())
    if text.lower() in ("help", "hulp", "?"):
        return HELP
    if member is None:
        return UNKNOWN_COLLEAGUE
    try:
        team, period = figures_request(member, text, deps.clock.now())
    except REFUSALS as error:
        return refusal_text(error)
    return FiguresPlan(
        team,
        period,
        f"Ik zoek de cijfers van {team} over {period_title(period)} op. Je krijgt ze zo.",
    )


def send_figures(deps: Deps, plan: FiguresPlan, *, to: str, key: str) -> None:
    """Compute the figures and send them privately to `to` (an outbox row keyed by `key`)."""
    figures = figures_for(deps, plan.team, plan.period, to)
    with deps.sessions() as session:
        enqueue(session, key=key, message=figures, now=deps.clock.now())
        session.commit()
    deps.after_commit()


def is_setting(text: str) -> bool:
    """`/cijfers instellen …` sets the digest's moment instead of asking for figures."""
    return text.lower().split()[:1] == ["instellen"]


def set_moment(deps: Deps, member: Member | None, text: str, *, here: str | None, key: str) -> str:
    """Store the team's digest moment, announce it in the digest's channel (one transaction,
    keyed by `key`) and say what was set; a refusal writes nothing."""
    if member is None:
        return UNKNOWN_COLLEAGUE
    with deps.sessions() as session:
        try:
            team, schedule = configure(session, deps, member, text.split()[1:], here=here)
        except REFUSALS as error:
            session.rollback()
            return refusal_text(error)
        notice = (
            f"{member.display_name} heeft het weekoverzicht van {team} ingesteld: "
            f"{schedule.describe()} in dit kanaal."
        )
        message = Notice(to=Address.conversation(schedule.channel_id or ""), text=notice)
        enqueue(session, key=key, message=message, now=deps.clock.now())
        session.commit()
    schedules_changed()
    when, where = schedule.describe(), f"<#{schedule.channel_id}>"
    return f"Gedaan: het weekoverzicht van {team} komt voortaan {when} in {where}."


def save_chart(figures: FiguresDigest, folder: Path | None = None) -> Path | None:
    """The chart of delivered figures as a PNG file (the console cannot show a picture)."""
    if not figures.chart_png:
        return None
    path = (folder or Path(tempfile.gettempdir())) / str(figures.chart_filename)
    path.write_bytes(base64.b64decode(figures.chart_png))
    return path
