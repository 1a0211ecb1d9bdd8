"""`/cijfers [team] [periode]` and `/cijfers instellen <dag> <tijd> [#kanaal]`.

The figures are answered privately (a DM through the outbox, keyed by the command's trigger
id); the slash command's ack only says they are coming, or what was wrong with the input.
`instellen` stores the team's DigestSchedule and announces the new moment in the digest's
channel in the same transaction. The console chat gets the same behaviour as plain text.

Invariant: only a coordinator (Member.is_coordinator) sets a digest, and only their own team's:
the channel decides who reads a team's figures, so a colleague cannot move them elsewhere.
A refusal is raised before anything is written.
"""

from __future__ import annotations

import base64
import re
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from slack_bolt import Ack, App
from sqlmodel import Session

from bot.messages import DIGEST_COORDINATOR_ONLY, DIGEST_OWN_TEAM_ONLY, UNKNOWN_COLLEAGUE
from bot.render.digest_blocks import digest_text
from bot.slack.members import member_for_chat_user
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

COMMAND = "/cijfers"
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
        raise DigestInputError("Die periode is nog niet begonnen.")
    if team_text:
        team = resolve_team(team_text)
        if team is None:
            options = team_candidates(team_text, score_cutoff=60.0)[:3]
            hint = f" Bedoel je {' of '.join(options)}?" if options else ""
            raise DigestInputError(f'Ik ken geen team "{team_text}".{hint}')
        return team, period
    if member is None or member.team in ("", EXTERNAL):
        raise DigestInputError("Noem het team erbij, bijvoorbeeld: /cijfers Zuilen vorige week.")
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

    Raises DigestInputError (nothing written) unless `member` is a coordinator of a buurtteam
    and the team, when named, is their own.
    """
    if member.team in ("", EXTERNAL):
        raise DigestInputError("Alleen leden van een buurtteam kunnen het weekoverzicht instellen.")
    if not member.is_coordinator:
        raise DigestInputError(DIGEST_COORDINATOR_ONLY)
    team_text, words = _split_team(words)
    if team_text and resolve_team(team_text) != member.team:
        raise DigestInputError(DIGEST_OWN_TEAM_ONLY.format(team=member.team))
    if len(words) not in (2, 3):
        raise DigestInputError(HOW_TO_SET)
    weekday, at = parse_weekday(words[0]), parse_time(words[1])
    channel = None
    if len(words) == 3:
        match = _CHANNEL.fullmatch(words[2])
        if match is None:
            raise DigestInputError(
                f'Ik herken het kanaal "{words[2]}" niet. Typ # en kies het kanaal uit de lijst.'
            )
        channel = match[1] or match[2]
    elif digest_channel(session, member.team) is None:
        if not here or here[0] not in "CG":
            raise DigestInputError(f"In welk kanaal moet het weekoverzicht komen? {HOW_TO_SET}")
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


def _figures(deps: Deps, team: str, period: Period, channel: str) -> FiguresDigest:
    with deps.sessions() as session:
        digest = build_digest(session, team, period, now=deps.clock.now())
    return validated(FiguresDigest, digest, to=Address.conversation(channel))


class _Slack:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def on_command(self, ack: Ack, command: dict[str, Any]) -> None:
        text = " ".join(str(command.get("text") or "").split())
        user = str(command.get("user_id") or "")
        key = f"cijfers:{command.get('trigger_id')}"
        if text.lower() in ("help", "hulp", "?"):
            ack(text=HELP)
            return
        with self.deps.sessions() as session:
            member = member_for_chat_user(session, user)
            if member is None:
                ack(text=UNKNOWN_COLLEAGUE)
                return
            words = text.split()
            if words and words[0].lower() == "instellen":
                self._configure(session, ack, member, words[1:], command, key)
                return
        try:
            team, period = figures_request(member, text, self.deps.clock.now())
        except DigestInputError as error:
            ack(text=str(error))
            return
        ack(text=f"Ik zoek de cijfers van {team} over {period_title(period)} op. Je krijgt ze zo.")
        figures = _figures(self.deps, team, period, user)
        with self.deps.sessions() as session:
            enqueue(session, key=key, message=figures, now=self.deps.clock.now())
            session.commit()
        self.deps.after_commit()

    def _configure(
        self,
        session: Session,
        ack: Ack,
        member: Member,
        words: list[str],
        command: dict[str, Any],
        key: str,
    ) -> None:
        try:
            team, schedule = configure(
                session, self.deps, member, words, here=str(command.get("channel_id") or "")
            )
        except DigestInputError as error:
            session.rollback()
            ack(text=str(error))
            return
        when, where = schedule.describe(), f"<#{schedule.channel_id}>"
        ack(text=f"Gedaan: het weekoverzicht van {team} komt voortaan {when} in {where}.")
        notice = (
            f"{member.display_name} heeft het weekoverzicht van {team} ingesteld: "
            f"{schedule.describe()} in dit kanaal."
        )
        message = Notice(to=Address.conversation(schedule.channel_id or ""), text=notice)
        enqueue(session, key=key, message=message, now=self.deps.clock.now())
        session.commit()
        schedules_changed()
        self.deps.after_commit()


def register(app: App, deps: Deps) -> None:
    """Add /cijfers to the Bolt app (manifest: the command with should_escape true)."""
    app.command(COMMAND)(_Slack(deps).on_command)


def console_command(
    deps: Deps, member_id: str, args: list[str], *, chart_dir: Path | None = None
) -> str:
    """/cijfers in the console chat: the same answers as plain text; the chart is saved as a
    PNG file whose path the answer names."""
    text = " ".join(args)
    with deps.sessions() as session:
        member = session.get(Member, member_id)
        if member is None:
            return UNKNOWN_COLLEAGUE
        if text.lower() in ("help", "hulp", "?"):
            return HELP
        try:
            if args and args[0].lower() == "instellen":
                team, schedule = configure(session, deps, member, args[1:])
                session.commit()  # stored before "Gedaan" is said
                schedules_changed()
                return f"Gedaan: het weekoverzicht van {team} komt voortaan {schedule.describe()}."
            team, period = figures_request(member, text, deps.clock.now())
        except DigestInputError as error:
            return str(error)
    figures = _figures(deps, team, period, member_id)
    answer = digest_text(figures)
    if figures.chart_png:
        path = (chart_dir or Path(tempfile.gettempdir())) / str(figures.chart_filename)
        path.write_bytes(base64.b64decode(figures.chart_png))
        answer += f"\n\nDe grafiek staat in {path}"
    return answer
