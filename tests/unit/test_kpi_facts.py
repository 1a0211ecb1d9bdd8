"""What one case's events become as KPI case facts (models/kpi_facts.py::case_facts)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from models.kpi_facts import case_facts
from models.kpi_tables import OPEN_DAY, local_day


@dataclass
class Row:
    id: int
    kind: str
    occurred_at: datetime
    team: str = "Zuilen"
    case_ref: str = "17-1"
    melder: str | None = None
    zelfstandig_verder: bool | None = None
    volgens_plan: bool | None = None
    rapportcijfer: int | None = None
    extra: str | None = None


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2017, 4, day, hour, tzinfo=UTC)


def test_an_aanmelding_knows_its_kennismaking_close_and_meting() -> None:
    scores = json.dumps({"scores": {"wonen": 3, "geld": 4}})
    events = [
        Row(1, "aanmelding", _at(3), melder="huisarts"),
        Row(2, "kennismaking", _at(5)),
        Row(3, "wat_telt_meting", _at(6), extra=scores),
        Row(4, "afsluiting", _at(20), rapportcijfer=8),
    ]
    aanmelding, meting, afsluiting = case_facts(events)
    assert aanmelding["seconds"] == 2 * 86400 and aanmelding["label"] == "huisarts"
    assert aanmelding["close_day"] == local_day(_at(20))
    assert aanmelding["measured_day"] == local_day(_at(6))
    assert not aanmelding["irregular"]
    assert meting["label"] == ";geld;wonen;"
    assert afsluiting["grade"] == 8 and afsluiting["prev_day"] is None


def test_a_second_aanmelding_and_a_late_meting_are_counted_row_by_row() -> None:
    events = [
        Row(1, "aanmelding", _at(3)),
        Row(2, "afsluiting", _at(4)),
        Row(3, "wat_telt_meting", _at(8), extra=json.dumps({"scores": {"geld": 1}})),
        Row(4, "aanmelding", _at(9)),
    ]
    first, _, _, second = case_facts(events)
    assert first["irregular"]  # its case's first meting comes after the episode closed
    assert first["label"] == "onbekend"
    assert second["irregular"] and second["prev_day"] == local_day(_at(3))
    assert second["prev_close_day"] == local_day(_at(4)) and second["close_day"] is None


def test_the_waiting_list() -> None:
    events = [
        Row(1, "wachtlijst_in", _at(3)),
        Row(2, "wachtlijst_in", _at(5)),
        Row(3, "wachtlijst_uit", _at(7)),
    ]
    entered, again, left = case_facts(events)
    assert not entered["irregular"] and entered["close_day"] == local_day(_at(7))
    assert again["irregular"] and again["prev_close_day"] == local_day(_at(7))
    assert left["seconds"] == 2 * 86400  # from the latest entry before it
    open_case = case_facts([Row(1, "wachtlijst_in", _at(3)), Row(2, "wachtlijst_in", _at(4))])
    assert open_case[1]["prev_close_day"] == OPEN_DAY
