"""The KPI evaluation: figures in the exact shape of kpi_expected_2017.json.

Per quarter: `teams` (gestart, lopend, afgesloten, gem_tijd_dagen per canonical team),
`totaal` (the same for the city) and `melder` (gestarte casussen per melder, most first).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from casework.kpi.engine import CaseFigures, compute_kpis
from casework.kpi.periods import parse_quarter


def _core(figures: CaseFigures) -> dict[str, Any]:
    return {
        "gestart": figures.gestart,
        "lopend": figures.lopend,
        "afgesloten": figures.afgesloten,
        "gem_tijd_dagen": figures.gem_tijd_dagen,
    }


def evaluate_kpis(
    db: Session | Engine, quarters: Sequence[str], *, now: datetime
) -> dict[str, Any]:
    """{"2017-Q1": {"teams": {...}, "totaal": {...}, "melder": {...}}, ...}."""
    periods = [parse_quarter(label) for label in quarters]
    if isinstance(db, Engine):
        with Session(db) as session:
            reports = compute_kpis(session, periods, now=now)
    else:
        reports = compute_kpis(db, periods, now=now)
    return {
        period.label: {
            "teams": {team: _core(f.cases) for team, f in report.teams.items()},
            "totaal": _core(report.city.cases),
            "melder": dict(report.city.cases.melder),
        }
        for period, report in zip(periods, reports, strict=True)
    }
