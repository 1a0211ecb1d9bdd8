"""The KPI case facts' tables: what each live case event means for the figures, kept up to date
(computed and refreshed by models/kpi_facts.py).

Why: recomputing the figures from the raw events needs, per aanmelding, the first kennismaking
and afsluiting after it (correlated look-ups over the whole log), which cannot reach the 1 s
target at 1,000,000 events. A fact row stores those derived moments once, as Amsterdam day
numbers (date.toordinal()), so every period's figures become a few GROUP BY day aggregates
(casework/kpi/maintained.py). Periods start and end at local midnights, so "moment < period
start" is exactly "day < start day".

Invariants:
- The facts of a case are a pure function of its live events (models/kpi_facts.py);
  `refresh_cases` replaces them whole, in the transaction that changed the events
  (casework/events.py calls it on every write, retraction and import).
- One fact row per live anchor event (aanmelding, afsluiting, wachtlijst_in, wachtlijst_uit,
  hbh_aanvraag, wat_telt_meting), deleted with it (ON DELETE CASCADE): erasure and retention
  remove whole cases, so their facts go with them.
- `irregular` rows are those a day histogram cannot count (a second aanmelding, afsluiting or
  wachtlijst_in of the same team and case, or a Wat Telt meting only after the episode closed);
  the reader evaluates them one by one. In real data they are a few percent.

This module lives in models/ (not casework/) because migration 0014 builds the facts for the
events already stored; it depends on nothing above models.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from models.clock import AMSTERDAM

OPEN_DAY = date.max.toordinal()  # prev_close_day of an earlier episode that never closed
UNKNOWN_MELDER = "onbekend"  # the melder label of an aanmelding that names none


class KpiCaseFact(SQLModel, table=True):
    """One live anchor event of a case with what the KPI figures need of it (see module)."""

    __tablename__ = "kpicasefact"
    __table_args__ = (
        Index("ix_kpicasefact_kind_irregular_day", "kind", "irregular", "day"),
        Index("ix_kpicasefact_kind_irregular_close_day", "kind", "irregular", "close_day"),
        Index("ix_kpicasefact_kind_irregular_measured_day", "kind", "irregular", "measured_day"),
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("caseevent.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    case_ref: str = Field(index=True)
    team: str
    kind: str
    day: int  # local day of the event
    prev_day: int | None = None  # previous event of this kind, same team and case
    close_day: int | None = None  # first afsluiting (aanmelding) / wachtlijst_uit at or after
    prev_close_day: int | None = None  # latest close_day of the earlier ones (OPEN_DAY: open)
    measured_day: int | None = None  # aanmelding: max(day, first Wat Telt meting of the case)
    seconds: int | None = None  # to the first kennismaking / waited on the list
    grade: int | None = None
    zelfstandig: bool | None = None
    volgens_plan: bool | None = None
    label: str | None = None  # melder slug, or ';geld;wonen;' for a meting's leefgebieden
    irregular: bool = False


CLOSURE_SUMS = (  # what the afsluitingen of a period add up to (the reference and the tallies)
    "afsluitingen",
    "zelfstandig_ja",
    "zelfstandig_n",
    "volgens_plan_ja",
    "cijfer_sum",
    "cijfer_n",
    "cijfer_onvoldoende",
)
DAY_COLUMNS = (
    "started",  # regular aanmeldingen on this day
    "kennismaking_n",
    "kennismaking_seconds",
    "closed",  # regular aanmeldingen whose episode closed on this day
    "closed_measured",  # ... and whose case has a Wat Telt meting
    "measured",  # regular aanmeldingen whose max(day, first meting) is this day
    *CLOSURE_SUMS,
    "wachtlijst_in",
    "wachtlijst_left",  # regular wachtlijst_in facts that left the list on this day
    "wachtlijst_uit_n",
    "wachtlijst_seconds",
    "hbh_aanvragen",
    "metingen",
)


class KpiDay(SQLModel, table=True):
    """The regular facts' sums per team and day: what the figures read (a few rows per team
    and day, however many events). Kept by adding each refresh's difference (an upsert that
    adds, so concurrent writers never lose an update); equal to summing `contributions` over
    the regular facts, which `rebuild_all` recomputes."""

    __tablename__ = "kpiday"
    team: str = Field(primary_key=True)
    day: int = Field(primary_key=True, index=True)
    started: int = 0
    kennismaking_n: int = 0
    kennismaking_seconds: int = 0
    closed: int = 0
    closed_measured: int = 0
    measured: int = 0
    afsluitingen: int = 0
    zelfstandig_ja: int = 0
    zelfstandig_n: int = 0
    volgens_plan_ja: int = 0
    cijfer_sum: int = 0
    cijfer_n: int = 0
    cijfer_onvoldoende: int = 0
    wachtlijst_in: int = 0
    wachtlijst_left: int = 0
    wachtlijst_uit_n: int = 0
    wachtlijst_seconds: int = 0
    hbh_aanvragen: int = 0
    metingen: int = 0


class KpiDayLabel(SQLModel, table=True):
    """Counts per team, day and label of the regular facts: kind 'melder' (gestart by melder)
    and 'leefgebied' (metingen scoring it); kept like KpiDay."""

    __tablename__ = "kpidaylabel"
    __table_args__ = (Index("ix_kpidaylabel_kind_day", "kind", "day", "team", "label", "n"),)
    kind: str = Field(primary_key=True)
    team: str = Field(primary_key=True)
    label: str = Field(primary_key=True)
    day: int = Field(primary_key=True)
    n: int = 0


FACTS: sa.Table = KpiCaseFact.__table__  # type: ignore[attr-defined]
DAYS: sa.Table = KpiDay.__table__  # type: ignore[attr-defined]
LABELS: sa.Table = KpiDayLabel.__table__  # type: ignore[attr-defined]


def local_day(moment: datetime) -> int:
    """The Amsterdam calendar day of an aware moment, as a day number."""
    return moment.astimezone(AMSTERDAM).date().toordinal()
