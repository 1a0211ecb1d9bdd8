"""KPI reports as rows with Dutch column headers, for the CLI table and CSV (and digests).

Tables show Dutch notation (decimal comma) because people read them; CSV keeps the decimal
point so spreadsheets and scripts parse it the same everywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from casework.kpi.engine import KpiReport, TeamFigures

CITY = "Stad Utrecht"
Cell = int | float | str | None

COLUMNS: tuple[tuple[str, Callable[[TeamFigures], Cell]], ...] = (
    ("Gestart", lambda f: f.cases.gestart),
    ("Lopend", lambda f: f.cases.lopend),
    ("Afgesloten", lambda f: f.cases.afgesloten),
    ("Gem. tijd (dagen)", lambda f: f.cases.gem_tijd_dagen),
    ("Wachtlijst", lambda f: f.cases.wachtlijst),
    ("Gem. wachttijd (dagen)", lambda f: f.cases.wachtlijst_gem_dagen),
    ("Zelfstandig verder %", lambda f: f.cases.zelfstandig_verder.pct),
    ("Volgens plan %", lambda f: f.cases.volgens_plan.pct),
    ("Rapportcijfer", lambda f: f.cases.rapportcijfer.mean),
    ("Aantal cijfers", lambda f: f.cases.rapportcijfer.n),
    ("Onvoldoende %", lambda f: f.cases.rapportcijfer.onvoldoende_pct),
    ("Wat Telt %", lambda f: f.cases.wat_telt.pct),
    ("Meest gescoord", lambda f: ";".join(slug for slug, _ in f.cases.top_leefgebieden)),
    ("HbH-aanvragen", lambda f: f.cases.hbh_aanvragen),
    ("Vragen", lambda f: f.vraagbaak.vragen),
    ("Beantwoord %", lambda f: f.vraagbaak.beantwoord_pct),
    ("Mediaan min. tot antwoord", lambda f: f.vraagbaak.mediaan_minuten_eerste_antwoord),
    ("Uitnodigingen per deskundige", lambda f: f.vraagbaak.uitnodigingen_per_deskundige),
)
HEADERS = ("Periode", "Team", *(header for header, _ in COLUMNS))


def report_rows(reports: Sequence[KpiReport], *, city: bool = True) -> list[list[Cell]]:
    """One row per period and team shown, then the city's row of that period."""
    rows: list[list[Cell]] = []
    for report in reports:
        shown = list(report.teams.items()) + ([(CITY, report.city)] if city else [])
        for team, figures in shown:
            rows.append([report.period.label, team, *(value(figures) for _, value in COLUMNS)])
    return rows


def _dutch(cell: Cell) -> str:
    if cell is None:
        return "–"
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    return str(cell)


def render_table(rows: Sequence[Sequence[Cell]]) -> str:
    cells = [list(HEADERS)] + [[_dutch(cell) for cell in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    lines = []
    for number, row in enumerate(cells):
        padded = [
            cell.ljust(width) if column < 2 else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(padded).rstrip())
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render_csv(rows: Sequence[Sequence[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    writer.writerows([["" if cell is None else cell for cell in row] for row in rows])
    return out.getvalue()
