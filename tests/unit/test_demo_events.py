"""The demo's year of case events: deterministic, valid, and plausible per team."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from casework.events import parse_event
from knowledge.demo import DEMO_CASE_PREFIX, demo_events
from knowledge.teams import all_teams

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_the_same_week_gives_the_same_events_and_none_after_now() -> None:
    events = demo_events(NOW)
    assert events == demo_events(NOW)
    later = demo_events(NOW + timedelta(hours=6))  # later in the same week: only more events
    assert all(e in later for e in events[:500]) and len(later) >= len(events)
    parsed = [parse_event(e) for e in events]  # every one is valid for the importer
    assert max(e.occurred_at for e in parsed) <= NOW
    assert min(e.occurred_at for e in parsed) >= NOW - timedelta(weeks=54)
    assert all(e.case_ref.startswith(DEMO_CASE_PREFIX) for e in parsed)


def test_the_figures_look_like_utrecht() -> None:
    events = demo_events(NOW)
    kinds = Counter(str(e["kind"]) for e in events)
    assert 6000 <= kinds["aanmelding"] <= 11000  # about 8.700 new cases a year in the city
    per_team = Counter(str(e["team"]) for e in events if e["kind"] == "aanmelding")
    assert set(per_team) == {t.name for t in all_teams()}
    assert min(per_team.values()) >= 150 and max(per_team.values()) <= 900
    assert len(set(per_team.values())) > 10  # teams differ in size
    melders = Counter(str(e["melder"]) for e in events if e["kind"] == "aanmelding")
    assert 0.4 <= melders["zelfmelder"] / kinds["aanmelding"] <= 0.6
    closures = [e for e in events if e["kind"] == "afsluiting"]
    known = [e for e in closures if "zelfstandig_verder" in e]
    assert 0.7 <= sum(bool(e["zelfstandig_verder"]) for e in known) / len(known) <= 0.9
    grades = [int(str(e["rapportcijfer"])) for e in closures if "rapportcijfer" in e]
    assert 7.2 <= sum(grades) / len(grades) <= 8.0
    assert kinds["wat_telt_meting"] > 0 and kinds["hbh_aanvraag"] > 0
    assert kinds["wachtlijst_in"] >= kinds["wachtlijst_uit"] > 0
