"""Each figure of kpi_definitions.md on a small, hand-made quarter (2017-Q2), on both stores.

Case by case (team Zuilen unless said otherwise):
  A  aanmelding March, closed exactly at 1 April 00:00  -> lopend (not closed *before* start)
  B  aanmelding March, closed 31 March 23:59            -> not lopend
  C  gestart 3 April, kennismaking 2.5 days later, a Wat Telt meting
  D  gestart 30 June 23:59, kennismaking a day later (in July: still counts)
  E  aanmelding 1 July 00:00                            -> not in Q2 (half-open)
  F  gestart, on the waiting list 11 days, a meting
  G  gestart, still on the waiting list at the end, a meting
  H, I  older cases closed in Q2 (grades, zelfstandig verder, volgens plan)
  J  an aanmelding retracted right after registering -> counts nowhere
  K  team West
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from casework.events import import_events, parse_event, record_event, retract_event
from casework.kpi.engine import Share, compute_kpi, compute_kpis
from casework.kpi.periods import parse_quarter
from models.clock import AMSTERDAM
from models.tables import Answer, Invitation, Member, Question

NOW = datetime(2017, 7, 3, 9, 0, tzinfo=UTC)
CLOSE = {"reden": "doel_bereikt", "ervaringwijzer": True}
EVENTS: list[tuple[str, str, str, dict[str, object]]] = [
    ("A", "aanmelding", "2017-03-20T10:00", {"melder": "zelfmelder"}),
    ("A", "kennismaking", "2017-03-22T10:00", {}),
    ("A", "afsluiting", "2017-04-01T00:00", {**CLOSE, "volgens_plan": False, "rapportcijfer": 5}),
    ("B", "aanmelding", "2017-03-01T10:00", {"melder": "huisarts"}),
    ("B", "afsluiting", "2017-03-31T23:59", {**CLOSE, "volgens_plan": True}),
    ("C", "aanmelding", "2017-04-03T09:00", {"melder": "zelfmelder"}),
    ("C", "kennismaking", "2017-04-05T21:00", {}),
    ("C", "kennismaking", "2017-04-06T10:00", {}),  # only the first one counts
    ("C", "wat_telt_meting", "2017-04-10T10:00", {"scores": {"geld": 4, "wonen": 7}}),
    ("D", "aanmelding", "2017-06-30T23:59", {"melder": "huisarts"}),
    ("D", "kennismaking", "2017-07-01T23:59", {}),
    ("E", "aanmelding", "2017-07-01T00:00", {"melder": "politie"}),
    ("F", "aanmelding", "2017-04-20T09:00", {}),
    ("F", "wachtlijst_in", "2017-04-20T12:00", {}),
    ("F", "wachtlijst_uit", "2017-05-01T12:00", {}),
    ("F", "wat_telt_meting", "2017-05-03T10:00", {"scores": {"geld": 9, "werk": 2}}),
    ("G", "aanmelding", "2017-05-01T09:00", {"melder": "zelfmelder"}),
    ("G", "wachtlijst_in", "2017-05-02T09:00", {}),
    ("G", "wat_telt_meting", "2017-06-03T10:00", {"scores": {"geld": 10}}),
    ("G", "hbh_aanvraag", "2017-06-04T10:00", {}),
    ("H", "aanmelding", "2017-02-01T09:00", {"melder": "zelfmelder"}),
    ("H", "afsluiting", "2017-05-10T10:00", {**CLOSE, "zelfstandig_verder": True,
                                              "volgens_plan": True, "rapportcijfer": 9}),
    ("I", "aanmelding", "2017-01-10T09:00", {"melder": "zelfmelder"}),
    ("I", "afsluiting", "2017-06-10T10:00", {**CLOSE, "zelfstandig_verder": False,
                                              "volgens_plan": True}),
    ("I", "hbh_aanvraag", "2017-06-11T10:00", {}),
]  # fmt: skip


def _import(session: Session, events: list[tuple[str, str, str, dict[str, object]]]) -> None:
    lines = [
        json.dumps({"case_ref": ref, "team": "Zuilen", "kind": kind, "occurred_at": at, **fields})
        for ref, kind, at, fields in events
    ]
    report = import_events(session, reversed(lines), now=NOW)  # arrival order does not matter
    assert report.rejected == [] and report.imported == len(events)


def test_every_case_figure_follows_its_definition(db: Engine) -> None:
    q2 = parse_quarter("2017-Q2")
    with Session(db) as session:
        _import(session, EVENTS)
        west = parse_event(
            {"case_ref": "K", "team": "West", "kind": "aanmelding",
             "occurred_at": "2017-05-05T10:00", "melder": "politie"}
        )  # fmt: skip
        record_event(session, west, registered_by="m001", now=NOW)
        for kind in ("aanmelding", "hbh_aanvraag"):
            mistake = parse_event(
                {"case_ref": "J", "team": "Zuilen", "kind": kind, "occurred_at": "2017-05-05T10:00"}
            )
            recorded = record_event(session, mistake, registered_by="m001", now=NOW)
            retract_event(session, recorded.event_id, now=NOW + timedelta(minutes=3))
        session.commit()
        report = compute_kpi(session, q2, now=NOW)

    zuilen = report.teams["Zuilen"].cases
    assert (zuilen.gestart, zuilen.lopend, zuilen.afgesloten) == (4, 7, 3)
    assert zuilen.gem_tijd_dagen == 1.8  # (2.5 + 1.0) / 2 = 1.75, Python's round
    assert (zuilen.wachtlijst, zuilen.wachtlijst_gem_dagen) == (1, 11.0)
    assert zuilen.zelfstandig_verder == Share(1, 2)  # A's unknown is left out
    assert zuilen.zelfstandig_verder.pct == 50.0
    assert zuilen.volgens_plan == Share(2, 3) and zuilen.volgens_plan.pct == 66.7
    assert (zuilen.rapportcijfer.mean, zuilen.rapportcijfer.n) == (7.0, 2)
    assert zuilen.rapportcijfer.onvoldoende_pct == 50.0
    assert zuilen.wat_telt == Share(3, 7) and zuilen.wat_telt.pct == 42.9
    assert zuilen.top_leefgebieden == (("geld", 3), ("werk", 1), ("wonen", 1))
    assert zuilen.hbh_aanvragen == 2
    assert dict(zuilen.melder) == {"zelfmelder": 2, "huisarts": 1, "onbekend": 1}
    assert list(zuilen.melder) == ["zelfmelder", "huisarts", "onbekend"]

    assert report.teams["West"].cases.gestart == 1
    assert report.teams["Binnenstad"].cases.gestart == 0
    assert report.teams["Binnenstad"].cases.gem_tijd_dagen is None
    city = report.city.cases
    assert (city.gestart, city.lopend) == (5, 8)
    assert dict(city.melder) == {"zelfmelder": 2, "huisarts": 1, "onbekend": 1, "politie": 1}
    assert report.computed_at == NOW
    assert report.as_dict()["teams"]["Zuilen"]["casussen"]["wat_telt"]["pct"] == 42.9


def test_quarter_figures_are_the_same_when_asked_per_month_or_all_at_once(db: Engine) -> None:
    with Session(db) as session:
        _import(session, EVENTS)
        session.commit()
        q2 = compute_kpi(session, parse_quarter("2017-Q2"), now=NOW)
        both = compute_kpis(session, [parse_quarter("2017-Q1"), parse_quarter("2017-Q2")], now=NOW)
    assert both[1] == q2
    assert both[0].teams["Zuilen"].cases.gestart == 4  # A, B, H and I


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2017, 4, day, hour, minute, tzinfo=AMSTERDAM)


def test_vraagbaak_figures_per_team_of_the_asker(db: Engine) -> None:
    with Session(db) as session:
        session.add_all(
            [
                Member(id="m1", display_name="Asker", team="Zuilen"),
                Member(id="m2", display_name="Expert 2", team="West"),
                Member(id="m3", display_name="Expert 3", team="West"),
            ]
        )
        questions = [(1, _at(10, 10)), (2, _at(12, 10)), (3, _at(20, 10))]
        for qid, created in questions:
            session.add(
                Question(id=qid, source_key=f"q{qid}", asker_id="m1", text="…",
                         reply_channel="c", reply_thread=str(qid), created_at=created)
            )  # fmt: skip
        session.flush()
        answers = [(1, _at(10, 10, 30)), (1, _at(10, 11)), (2, _at(12, 11, 30))]
        for n, (qid, created) in enumerate(answers):
            session.add(
                Answer(source_key=f"a{n}", question_id=qid, member_id="m2", text="…",
                       created_at=created)
            )  # fmt: skip
        for qid, member in [(1, "m2"), (1, "m3"), (2, "m2"), (3, "m2")]:
            session.add(
                Invitation(question_id=qid, member_id=member, wave=1, rank=1, score=0.5,
                           created_at=_at(10, 10))
            )  # fmt: skip
        session.commit()
        report = compute_kpi(session, parse_quarter("2017-Q2"), now=NOW)
    zuilen = report.teams["Zuilen"].vraagbaak
    assert (zuilen.vragen, zuilen.beantwoord, zuilen.beantwoord_pct) == (3, 2, 66.7)
    assert zuilen.mediaan_minuten_eerste_antwoord == 60.0  # median of 30 and 90
    assert (zuilen.uitnodigingen, zuilen.deskundigen_uitgenodigd) == (4, 2)
    assert zuilen.uitnodigingen_per_deskundige == 2.0
    assert report.teams["West"].vraagbaak.vragen == 0
    assert report.city.vraagbaak == zuilen
