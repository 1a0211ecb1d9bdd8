"""A team's digest: its figures for a period against the period before and the average team.

Invariants:
- Small-number protection: every count below 5 is shown as "<5", and a percentage, mean or
  median based on fewer than 5 cases as "n<5"; a change is left out when either side is
  hidden (7 then "<5" with "-4" would give the number away). This holds in channel digests
  and also in `/cijfers` answers sent privately: a DM is forwarded or screenshotted as easily
  as a channel message, and one rule is easier to explain. Exact small numbers stay available
  to management through the KPI CLI. The chart follows the same rule (casework/chart.py).
- "Average team" is the mean over the teams: counts are the city total divided by the number
  of teams, rates and means the mean of the teams' own values.
- A digest states when its figures were computed: registrations arrive late, so the same
  week can show other numbers later ("KTSD is een real time monitoring systeem").
- `claim_digest` sends a team's weekly digest at most once per period: the DigestRun row is
  inserted with insert-or-nothing in the transaction that writes the outbox message.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from casework.chart import Series, trend_chart
from casework.digest_schedule import granularity_of, period_from_key
from casework.kpi.engine import KpiReport, TeamFigures, compute_kpis
from casework.kpi.periods import Period, period_of
from knowledge.dutch_calendar import MONTHS, WEEKDAYS
from knowledge.taxonomy import name_for
from models.clock import AMSTERDAM
from models.errors import DomainError, Why
from models.messages import Address, TeamDigest, validated
from models.outbox import enqueue
from models.tables import DigestRun, DigestSchedule, Team

SMALL = 5  # counts below this are not shown exactly
WAT_TELT_TARGET = 50.0
TREND_PERIODS = 8
_RUNS: sa.Table = DigestRun.__table__  # type: ignore[attr-defined]

Value = float | int | None


class DigestError(DomainError):
    """A digest cannot be made (an unknown team, no channel for the team)."""


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    kind: str  # count | pct | days | grade | minutes
    value: Callable[[TeamFigures], Value]
    base: Callable[[TeamFigures], int] | None = None  # cases behind a rate or mean


MEASURES: tuple[tuple[str, tuple[Measure, ...]], ...] = (
    (
        "Casussen",
        (
            Measure("gestart", "Gestart", "count", lambda f: f.cases.gestart),
            Measure("lopend", "Lopend", "count", lambda f: f.cases.lopend),
            Measure("afgesloten", "Afgesloten", "count", lambda f: f.cases.afgesloten),
            # the base is the cases gestart: the KPI figures do not expose how many of them
            # had a kennismaking, which can only be fewer
            Measure(
                "gem_tijd",
                "Dagen tot kennismaking",
                "days",
                lambda f: f.cases.gem_tijd_dagen,
                lambda f: f.cases.gestart,
            ),
            Measure("wachtlijst", "Op de wachtlijst", "count", lambda f: f.cases.wachtlijst),
            Measure("hbh", "Aanvragen HbH", "count", lambda f: f.cases.hbh_aanvragen),
        ),
    ),
    (
        "Resultaat",
        (
            Measure(
                "doelbereik",
                "Zelfstandig verder",
                "pct",
                lambda f: f.cases.zelfstandig_verder.pct,
                lambda f: f.cases.zelfstandig_verder.whole,
            ),
            Measure(
                "rapportcijfer",
                "Rapportcijfer",
                "grade",
                lambda f: f.cases.rapportcijfer.mean,
                lambda f: f.cases.rapportcijfer.n,
            ),
            Measure(
                "wat_telt",
                "Wat Telt ingezet",
                "pct",
                lambda f: f.cases.wat_telt.pct,
                lambda f: f.cases.wat_telt.whole,
            ),
        ),
    ),
    (
        "Vraagbaak",
        (
            Measure("vragen", "Vragen gesteld", "count", lambda f: f.vraagbaak.vragen),
            Measure(
                "beantwoord",
                "Beantwoord",
                "pct",
                lambda f: f.vraagbaak.beantwoord_pct,
                lambda f: f.vraagbaak.vragen,
            ),
            Measure(
                "eerste_antwoord",
                "Minuten tot eerste antwoord (mediaan)",
                "minutes",
                lambda f: f.vraagbaak.mediaan_minuten_eerste_antwoord,
                lambda f: f.vraagbaak.beantwoord,
            ),
        ),
    ),
)


def dutch_number(value: float, digits: int = 1) -> str:
    """1234.5 -> "1.234,5": people read the digest, so it uses Dutch notation."""
    return f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _shown(value: Value, base: int | None, kind: str, protect: bool) -> tuple[str, bool]:
    """(text, hidden?) for one value."""
    if value is None:
        return "–", False
    if kind == "count":
        if protect and value < SMALL:
            return f"<{SMALL}", True
        return dutch_number(value, 0), False
    if protect and base is not None and base < SMALL:
        return f"n<{SMALL}", True
    return dutch_number(value) + ("%" if kind == "pct" else ""), False


def _change(now: Value, before: Value, kind: str) -> str | None:
    if now is None or before is None:
        return None
    diff = now - before
    if abs(diff) < 0.05:
        return "±0"
    return ("+" if diff > 0 else "-") + dutch_number(abs(diff), 0 if kind == "count" else 1)


def _city(report: KpiReport, measure: Measure, protect: bool) -> str:
    teams = list(report.teams.values())
    values = [v for v in (measure.value(f) for f in teams) if v is not None]
    if not teams or not values:
        return "–"
    base = measure.base
    total_base = sum((base(f) if base else measure.value(f)) or 0 for f in teams)
    if protect and total_base < SMALL:
        return f"n<{SMALL}"
    count = len(teams) if measure.kind == "count" else len(values)
    mean = sum(values) / count
    return dutch_number(mean) + ("%" if measure.kind == "pct" else "")


def _line(
    measure: Measure, now: TeamFigures, before: TeamFigures, city: KpiReport, protect: bool
) -> dict[str, Any]:
    value, base = measure.value(now), measure.base(now) if measure.base else None
    old, old_base = measure.value(before), measure.base(before) if measure.base else None
    text, hidden = _shown(value, base, measure.kind, protect)
    old_text, old_hidden = _shown(old, old_base, measure.kind, protect)
    line: dict[str, Any] = {"key": measure.key, "label": measure.label, "value": text}
    line |= {"previous": old_text, "city": _city(city, measure, protect)}
    line["change"] = None if hidden or old_hidden else _change(value, old, measure.kind)
    if measure.key == "wat_telt":
        target = f"doel {dutch_number(WAT_TELT_TARGET, 0)}%"
        reached = (
            "" if hidden or value is None else (" gehaald" if value >= 50 else " niet gehaald")
        )
        line["note"] = target + reached
    return line


def period_title(period: Period) -> str:
    first, last = period.start.date(), period.end.date() - timedelta(days=1)
    granularity = granularity_of(period)
    if granularity == "week":
        span = f"{first.day} {MONTHS[first.month - 1]}" if first.month != last.month else first.day
        return f"week {first.isocalendar()[1]} ({span} t/m {last.day} {MONTHS[last.month - 1]})"
    if granularity == "month":
        return f"{MONTHS[first.month - 1]} {first.year}"
    return f"kwartaal {(first.month - 1) // 3 + 1} van {first.year}"


def moment_text(moment: datetime) -> str:
    local = moment.astimezone(AMSTERDAM)
    day = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"
    return f"{day} om {local:%H:%M}"


def trend_periods(period: Period, count: int = TREND_PERIODS) -> list[Period]:
    periods = [period]
    while len(periods) < count:
        day_before = periods[0].start.date() - timedelta(days=1)
        periods.insert(0, period_of(day_before, granularity_of(period)))
    return periods


def _axis_label(period: Period) -> str:
    first = period.start.date()
    granularity = granularity_of(period)
    if granularity == "week":
        return str(first.isocalendar()[1])
    if granularity == "month":
        return MONTHS[first.month - 1][:3]
    return f"Q{(first.month - 1) // 3 + 1}\n{first.year}"


def _chart(team: str, reports: Sequence[KpiReport], protect: bool) -> bytes:
    units = {"week": "weken", "month": "maanden", "quarter": "kwartalen"}
    granularity = granularity_of(reports[-1].period)
    panels = []
    counts: tuple[tuple[str, Callable[[TeamFigures], int]], ...] = (
        ("Gestart", lambda f: f.cases.gestart),
        ("Afgesloten", lambda f: f.cases.afgesloten),
        ("Lopend", lambda f: f.cases.lopend),
    )
    for title, get in counts:
        team_values = [float(get(r.teams[team])) for r in reports]
        city = [sum(get(f) for f in r.teams.values()) / max(1, len(r.teams)) for r in reports]
        panels.append(Series(title, team_values, city))
    return trend_chart(
        f"{team}: laatste {len(reports)} {units[granularity]}",
        [_axis_label(r.period) for r in reports],
        panels,
        team_name=team,
        hidden_below=SMALL if protect else None,
        xlabel={"week": "week", "month": "maand", "quarter": "kwartaal"}[granularity],
    )


def build_digest(
    session: Session,
    team: str,
    period: Period,
    *,
    now: datetime,
    protect: bool = True,
    chart: bool = True,
) -> dict[str, Any]:
    """The digest as an outbox payload (JSON): Dutch texts, protected numbers, chart PNG."""
    reports = compute_kpis(session, trend_periods(period), now=now)
    current, before = reports[-1], reports[-2]
    if team not in current.teams:
        raise DigestError(Why.DIGEST_UNKNOWN_TEAM, team=team)
    sections = [
        {
            "title": title,
            "lines": [
                _line(m, current.teams[team], before.teams[team], current, protect)
                for m in measures
            ],
        }
        for title, measures in MEASURES
    ]
    top = [
        {"name": name_for(slug).capitalize(), "value": _shown(n, None, "count", protect)[0]}
        for slug, n in current.teams[team].cases.top_leefgebieden
    ]
    payload: dict[str, Any] = {
        "team": team,
        "period": period.label,
        "period_title": period_title(period),
        "granularity": granularity_of(period),
        "previous_title": period_title(before.period),
        "computed_at": now.isoformat(),
        "computed_at_text": moment_text(now),
        "sections": sections,
        "top_leefgebieden": top,
        "protected": protect,
    }
    if chart:
        png = _chart(team, reports, protect)
        payload["chart_png"] = base64.b64encode(png).decode("ascii")
        payload["chart_filename"] = f"cijfers-{team.lower().replace(' ', '-')}-{period.label}.png"
        payload["chart_alt"] = (
            f"Grafiek van {team}: gestart, afgesloten en lopend per periode, "
            f"tot en met {period_title(period)}, met het gemiddelde team in Utrecht."
        )
    return payload


def digest_channel(session: Session, team: str) -> str | None:
    chosen = session.exec(select(DigestSchedule.channel_id).where(DigestSchedule.team == team))
    team_channel = session.exec(select(Team.channel_id).where(Team.name == team))
    return chosen.first() or team_channel.first()


def claim_digest(session: Session, team: str, period_key: str, now: datetime, claimer: str) -> bool:
    """Claim the team's digest of the period and enqueue it; False when it was claimed before.

    The insert waits for a concurrent claim of the same row to finish (PostgreSQL: the unique
    index; SQLite: the write lock), so of two schedulers exactly one gets True. The caller
    commits: the claim and the outbox row become visible together or not at all.
    """
    channel = digest_channel(session, team)
    if channel is None:
        raise DigestError(Why.DIGEST_NO_CHANNEL, team=team)
    period = period_from_key(period_key)
    module: Any = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    claim = module.insert(_RUNS).on_conflict_do_nothing(index_elements=["team", "period_key"])
    values: dict[str, Any] = {"team": team, "period_key": period_key, "channel_id": channel}
    values |= {"claimed_by": claimer, "claimed_at": now}
    # RETURNING says whether this statement inserted; rowcount is -1 for it on psycopg
    if session.execute(claim.values(**values).returning(_RUNS.c.id)).first() is None:
        return False
    digest = build_digest(session, team, period, now=now)
    key = f"digest:{team}:{period_key}"
    message = validated(TeamDigest, digest, to=Address.conversation(channel))
    enqueue(session, key=key, message=message, now=now)
    session.execute(
        sa.update(_RUNS)
        .where(_RUNS.c.team == team, _RUNS.c.period_key == period_key)
        .values(outbox_key=key, computed_at=now)
    )
    return True
