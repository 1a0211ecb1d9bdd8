"""When a team's digest is due, and what people type to ask for figures or to move the digest.

A schedule is a weekday and a local wall time in a timezone, so 08:30 stays 08:30 across the
DST change. The period a digest covers follows from the moment it was due, not from the moment
it runs: the last full ISO week before that moment. A digest that runs late (a misfire after
downtime, a catch-up, a second scheduler) therefore always names the same period, which is
what makes the DigestRun claim (team, period) exactly-once.

Everything a person types is parsed here with Dutch error messages (`DigestInputError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from casework.kpi.periods import Granularity, Period, period_of
from knowledge.dutch_calendar import MONTHS, WEEKDAYS
from models.clock import AMSTERDAM
from models.errors import DomainError, Why
from models.tables import DigestSchedule, Team

_WEEKDAY_ALIASES = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}
PERIOD_EXAMPLES = '"vorige week", "deze week", "2026-W47", "november", "2026-11", "Q3" of "2026-Q3"'


class DigestInputError(DomainError):
    """What someone typed for a digest (a day, a time, a period) cannot be used."""


@dataclass(frozen=True)
class Schedule:
    team: str
    weekday: int  # 0 = maandag
    at: time
    timezone: str
    channel_id: str | None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def describe(self) -> str:
        return f"elke {WEEKDAYS[self.weekday]} om {self.at:%H:%M}"


def last_due(schedule: Schedule, now: datetime) -> datetime:
    """The latest moment at or before `now` on which the digest was due (aware, local tz)."""
    local = now.astimezone(schedule.zone)
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    due = datetime.combine(day, schedule.at, tzinfo=schedule.zone)
    return due if due <= now else datetime.combine(day - timedelta(days=7), schedule.at, due.tzinfo)


def period_due(due: datetime) -> Period:
    """The last full ISO week before the moment a digest was due."""
    return period_of(due.date() - timedelta(days=7), "week")


def granularity_of(period: Period) -> Granularity:
    if "-W" in period.label:
        return "week"
    return "quarter" if "-Q" in period.label else "month"


def period_from_key(key: str) -> Period:
    """ "2026-W47", "2026-11" or "2026-Q3" back to its Period."""
    if match := re.fullmatch(r"(\d{4})-W(\d{2})", key):
        return period_of(date.fromisocalendar(int(match[1]), int(match[2]), 1), "week")
    if match := re.fullmatch(r"(\d{4})-(\d{2})", key):
        return period_of(date(int(match[1]), int(match[2]), 1), "month")
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", key):
        return period_of(date(int(match[1]), 3 * int(match[2]) - 2, 1), "quarter")
    raise ValueError(f"unknown period key {key!r}")


# --- stored schedules ------------------------------------------------------------------------


def schedule_for(session: Session, team: str, *, weekday: int, at: time, timezone: str) -> Schedule:
    """The team's schedule: its own row, else the defaults; the channel falls back to the
    team's channel."""
    row = session.exec(select(DigestSchedule).where(DigestSchedule.team == team)).first()
    team_row = session.exec(select(Team).where(Team.name == team)).first()
    team_channel = team_row.channel_id if team_row else None
    if row is None:
        return Schedule(team, weekday, at, timezone, team_channel)
    channel = row.channel_id or team_channel
    return Schedule(team, row.weekday, parse_time(row.time), row.timezone, channel)


def scheduled_teams(session: Session) -> list[str]:
    """Teams that have somewhere to send a digest to (a team channel or a chosen one)."""
    teams = set(session.exec(select(Team.name).where(Team.channel_id != None)).all())  # noqa: E711
    chosen = select(DigestSchedule.team).where(DigestSchedule.channel_id != None)  # noqa: E711
    return sorted(teams | set(session.exec(chosen).all()))


def save_schedule(
    session: Session,
    team: str,
    *,
    weekday: int,
    at: time,
    channel_id: str | None,
    member_id: str,
    now: datetime,
    timezone: str = "Europe/Amsterdam",
) -> DigestSchedule:
    """Store the team's digest moment; a channel left out keeps the one chosen before."""
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DigestInputError(Why.UNKNOWN_TIMEZONE, timezone=timezone) from error
    row = session.exec(select(DigestSchedule).where(DigestSchedule.team == team)).first()
    if row is None:
        row = DigestSchedule(team=team, updated_at=now)
    row.weekday, row.time, row.timezone = weekday, f"{at:%H:%M}", timezone
    row.channel_id = channel_id or row.channel_id
    row.updated_by, row.updated_at = member_id, now
    session.add(row)
    session.flush()
    return row


# --- what people type ------------------------------------------------------------------------


def parse_weekday(text: str) -> int:
    word = text.strip().lower().rstrip(".")
    if word in WEEKDAYS:
        return WEEKDAYS.index(word)
    if word[:2] in _WEEKDAY_ALIASES and WEEKDAYS[_WEEKDAY_ALIASES[word[:2]]].startswith(word):
        return _WEEKDAY_ALIASES[word[:2]]
    raise DigestInputError(Why.NOT_A_DAY, text=text)


def parse_time(text: str) -> time:
    match = re.fullmatch(r"(\d{1,2})(?:[:.u](\d{2}))?(?:\s*uur|u)?", text.strip().lower())
    if match and int(match[1]) < 24 and int(match[2] or 0) < 60:
        return time(int(match[1]), int(match[2] or 0))
    raise DigestInputError(Why.NOT_A_TIME, text=text)


def _month_or_quarter(year: int | None, month: int, now: datetime, span: Granularity) -> Period:
    """A month or quarter named without a year: the latest one that has already begun."""
    today = now.astimezone(AMSTERDAM).date()
    period = period_of(date(year or today.year, month, 1), span)
    if year is None and period.start.date() > today:
        period = period_of(date(today.year - 1, month, 1), span)
    return period


def parse_period(text: str, now: datetime) -> Period:
    """A period as people write it; empty means the last full week."""
    words = " ".join(text.lower().split())
    today = now.astimezone(AMSTERDAM).date()
    relative: dict[str, tuple[Granularity, int]] = {
        "week": ("week", 7),
        "maand": ("month", 1),
        "kwartaal": ("quarter", 1),
    }
    if not words:
        return period_of(today - timedelta(days=7), "week")
    if match := re.fullmatch(r"(deze|dit|vorige|vorig|afgelopen) (week|maand|kwartaal)", words):
        span, _ = relative[match[2]]
        current = period_of(today, span)
        if match[1] in ("deze", "dit"):
            return current
        return period_of(current.start.date() - timedelta(days=1), span)
    if match := re.fullmatch(r"(\d{4})-?w(\d{1,2})|week (\d{1,2})(?: (\d{4}))?", words):
        year = int(match[1] or match[4] or today.isocalendar()[0])
        number = int(match[2] or match[3])
        try:
            return period_of(date.fromisocalendar(year, number, 1), "week")
        except ValueError as error:
            raise DigestInputError(Why.NO_SUCH_WEEK, week=number, year=year) from error
    if (match := re.fullmatch(r"(\d{4})-(\d{1,2})", words)) and 1 <= int(match[2]) <= 12:
        return period_of(date(int(match[1]), int(match[2]), 1), "month")
    if match := re.fullmatch(r"(?:(\d{4})-?q([1-4])|q([1-4])(?: (\d{4}))?)", words):
        named = match[1] or match[4]
        quarter = int(match[2] or match[3])
        return _month_or_quarter(int(named) if named else None, 3 * quarter - 2, now, "quarter")
    if match := re.fullmatch(r"([a-z]+)(?: (\d{4}))?", words):
        for number, name in enumerate(MONTHS, start=1):
            if name == match[1] or (len(match[1]) >= 3 and name.startswith(match[1])):
                in_year = int(match[2]) if match[2] else None
                return _month_or_quarter(in_year, number, now, "month")
    raise DigestInputError(Why.UNKNOWN_PERIOD, text=text, examples=PERIOD_EXAMPLES)


_PERIOD_TAIL = re.compile(
    r"(?:^|\s)((?:deze|dit|vorige|vorig|afgelopen)\s+(?:week|maand|kwartaal)"
    r"|\d{4}-?[wWqQ]\d{1,2}|\d{4}-\d{1,2}|week\s+\d{1,2}(?:\s+\d{4})?"
    r"|[qQ][1-4](?:\s+\d{4})?|[a-zA-Z]{3,}(?:\s+\d{4})?)\s*$"
)


def split_team_and_period(text: str, now: datetime) -> tuple[str, Period]:
    """ "Overvecht Centrum vorige week" -> ("Overvecht Centrum", that week). The period is
    read from the end; whatever comes before it is the team."""
    text = text.strip()
    match = _PERIOD_TAIL.search(text)
    if match is None:
        return text, parse_period("", now)
    try:
        period = parse_period(match[1], now)
    except DigestInputError:
        word = match[1].lower()
        if re.fullmatch(r"[a-z]+", word) and word not in ("week", "maand", "kwartaal"):
            # a word but no month: part of the team name ("Kanaleneiland Noord")
            return text, parse_period("", now)
        raise
    return text[: match.start(1)].strip(), period
