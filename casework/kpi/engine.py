"""The KPI engine: figures per team and for the city, per week, month or quarter.

The database aggregates (kpi_cases, kpi_vraagbaak: SQL, GROUP BY team, whole numbers only);
this module divides and rounds, in Python, so SQLite and PostgreSQL give identical figures.
Definitions: ../shared/domain/kpi_definitions.md. The case tallies come from the case facts
that every event write keeps up to date (casework/kpi/maintained.py), so late corrections
show up at once; the recomputation from the event log (casework/kpi/cases.py) is the
reference they are checked against (casework/kpi/verify.py, `vraagbaak kpi --verify`) and the
fallback for a period that does not start at midnight. A report states when it was computed.

Seam for figures from other tables (Ervaringwijzer invitations and responses, once their
tables exist): implement `ExtraSource` and pass it in `extra_sources`; its figures appear
under `TeamFigures.extra[source.name]` for every team and the city.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session

from casework.kpi.cases import CaseTally, case_tallies
from casework.kpi.maintained import maintained_tallies
from casework.kpi.periods import Period
from casework.kpi.vraagbaak import VraagbaakFigures, VraagbaakTally, vraagbaak_tallies
from knowledge.teams import all_teams

SECONDS_PER_DAY = 86400
FAIL_GRADE = 6  # a rapportcijfer below this is "onvoldoende"
TOP_LEEFGEBIEDEN = 3


def _mean(total: int, count: int, unit: int = 1, digits: int = 1) -> float | None:
    """One correctly rounded division of whole numbers, then Python's round()."""
    return round(total / (count * unit), digits) if count else None


@dataclass(frozen=True)
class Share:
    """part of whole, e.g. 715 of 816 afsluitingen 'zelfstandig verder'."""

    part: int
    whole: int

    @property
    def pct(self) -> float | None:
        return _mean(100 * self.part, self.whole)

    def as_dict(self) -> dict[str, Any]:
        return {"aantal": self.part, "van": self.whole, "pct": self.pct}


@dataclass(frozen=True)
class Grades:
    mean: float | None
    n: int
    onvoldoende: int

    @property
    def onvoldoende_pct(self) -> float | None:
        return _mean(100 * self.onvoldoende, self.n)

    def as_dict(self) -> dict[str, Any]:
        return {
            "gemiddeld": self.mean,
            "n": self.n,
            "onvoldoende": self.onvoldoende,
            "onvoldoende_pct": self.onvoldoende_pct,
        }


@dataclass(frozen=True)
class CaseFigures:
    gestart: int
    lopend: int
    afgesloten: int
    gem_tijd_dagen: float | None  # aanmelding -> first kennismaking, cases gestart
    wachtlijst: int  # stand at period end
    wachtlijst_gem_dagen: float | None  # waited, by those who left the list in the period
    zelfstandig_verder: Share
    volgens_plan: Share
    rapportcijfer: Grades
    wat_telt: Share  # lopende cases with a meting
    top_leefgebieden: tuple[tuple[str, int], ...]
    hbh_aanvragen: int
    melder: Mapping[str, int]  # most frequent first, ties by name

    @classmethod
    def from_tally(cls, t: CaseTally) -> CaseFigures:
        ranked = sorted(t.leefgebieden.items(), key=lambda item: (-item[1], item[0]))
        melder = sorted(t.melder.items(), key=lambda item: (-item[1], item[0]))
        return cls(
            gestart=t.gestart,
            lopend=t.lopend,
            afgesloten=t.afgesloten,
            gem_tijd_dagen=_mean(t.kennismaking_seconds, t.kennismaking_n, SECONDS_PER_DAY),
            wachtlijst=t.wachtlijst_stand,
            wachtlijst_gem_dagen=_mean(t.wachtlijst_seconds, t.wachtlijst_uit_n, SECONDS_PER_DAY),
            zelfstandig_verder=Share(t.zelfstandig_ja, t.zelfstandig_n),
            volgens_plan=Share(t.volgens_plan_ja, t.afsluitingen),
            rapportcijfer=Grades(_mean(t.cijfer_sum, t.cijfer_n), t.cijfer_n, t.cijfer_onvoldoende),
            wat_telt=Share(t.wat_telt_gemeten, t.lopend),
            top_leefgebieden=tuple(ranked[:TOP_LEEFGEBIEDEN]),
            hbh_aanvragen=t.hbh_aanvragen,
            melder=dict(melder),
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for name in ("zelfstandig_verder", "volgens_plan", "rapportcijfer", "wat_telt"):
            data[name] = getattr(self, name).as_dict()
        data["top_leefgebieden"] = [
            {"leefgebied": s, "aantal": n} for s, n in self.top_leefgebieden
        ]
        return data


class ExtraSource(Protocol):
    """Figures from other tables, added per team and city (e.g. Ervaringwijzer later)."""

    name: str

    def figures(
        self, session: Session, periods: Sequence[Period]
    ) -> Mapping[tuple[int, str | None], Mapping[str, Any]]:
        """Per (index into `periods`, team — None for the city): figure name -> value."""
        ...


@dataclass(frozen=True)
class TeamFigures:
    cases: CaseFigures
    vraagbaak: VraagbaakFigures
    extra: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "casussen": self.cases.as_dict(),
            "vraagbaak": asdict(self.vraagbaak),
            **{name: dict(values) for name, values in self.extra.items()},
        }


@dataclass(frozen=True)
class KpiReport:
    period: Period
    teams: Mapping[str, TeamFigures]  # every canonical team, also those without events
    city: TeamFigures
    computed_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "periode": self.period.label,
            "van": self.period.start.isoformat(),
            "tot": self.period.end.isoformat(),
            "berekend_op": self.computed_at.isoformat(),
            "teams": {team: figures.as_dict() for team, figures in self.teams.items()},
            "stad": self.city.as_dict(),
        }


def compute_kpis(
    session: Session,
    periods: Sequence[Period],
    *,
    now: datetime,
    teams: Collection[str] | None = None,
    extra_sources: Sequence[ExtraSource] = (),
) -> list[KpiReport]:
    """All figures for each period, per team (all 18 unless `teams` narrows the list shown)
    and for the whole city (always every team)."""
    maintained = maintained_tallies(session, periods)
    cases = case_tallies(session, periods) if maintained is None else maintained
    questions = vraagbaak_tallies(session, periods)
    extras = {source.name: source.figures(session, periods) for source in extra_sources}
    names = sorted({t.name for t in all_teams()} | {team for _, team in [*cases, *questions]})
    shown = [name for name in names if teams is None or name in teams]
    reports = []
    for idx, period in enumerate(periods):
        city_cases, city_questions = CaseTally(), VraagbaakTally()
        per_team: dict[str, TeamFigures] = {}
        for team in names:
            team_cases = cases.get((idx, team), CaseTally())
            team_questions = questions.get((idx, team), VraagbaakTally())
            city_cases.add(team_cases)
            city_questions.add(team_questions)
            if team in shown:
                per_team[team] = _figures(team_cases, team_questions, extras, idx, team)
        city = _figures(city_cases, city_questions, extras, idx, None)
        reports.append(KpiReport(period, per_team, city, now))
    return reports


def _figures(
    cases: CaseTally,
    questions: VraagbaakTally,
    extras: Mapping[str, Mapping[tuple[int, str | None], Mapping[str, Any]]],
    idx: int,
    team: str | None,
) -> TeamFigures:
    return TeamFigures(
        CaseFigures.from_tally(cases),
        VraagbaakFigures.from_tally(questions),
        {name: values.get((idx, team), {}) for name, values in extras.items()},
    )


def compute_kpi(session: Session, period: Period, *, now: datetime) -> KpiReport:
    """All figures of one period (see compute_kpis)."""
    return compute_kpis(session, [period], now=now)[0]
