"""Properties: nothing crashes the parser, what it parses is sane, and events survive the
round trip through `to_message`.

Example counts are modest so the module runs in a few seconds; the round trip draws its
events from the full data (every kind, team, melder, reason, flag and leefgebied).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.registration import KINDS, Parsed, Refusal, RegistrationParser, to_message
from casework.registration.dates import local_day
from casework.registration.model import GRADE_RANGE, REDENEN, SCORE_RANGE
from casework.registration.vocabulary import load_vocabulary
from knowledge.embedders import HashingEmbedder
from knowledge.taxonomy import slugs
from knowledge.teams import all_teams

PARSER = RegistrationParser(embedder=HashingEmbedder())
TEAMS = [team.name for team in all_teams()]
VOCABULARY_WORDS = sorted(load_vocabulary().words)
SENT = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
CASE_REFS = st.from_regex(r"[1-9][0-9]{3,5}|[0-9]{2}-[0-9]{4}", fullmatch=True)
FLAG = st.none() | st.booleans()

# Registration-like noise reaches deeper into the parser than random text does.
WORDY = st.lists(
    st.sampled_from(VOCABULARY_WORDS)
    | st.sampled_from(["gisteren", "3/11", "31-4", "#4411", "12", "?", ",", "Sandra", "0"])
    | st.text(max_size=8),
    max_size=20,
).map(" ".join)


def assert_sane(result: Parsed | Refusal, sent_at: datetime) -> None:
    if isinstance(result, Refusal):
        assert result.reason_nl and result.suggestion_nl
        return
    assert result.kind in KINDS
    assert result.team in TEAMS
    assert result.occurred_on <= local_day(sent_at)
    assert result.case_ref or result.kind == "aanmelding"
    assert all(score in SCORE_RANGE for _, score in result.scores)
    assert result.rapportcijfer is None or result.rapportcijfer in GRADE_RANGE


@settings(max_examples=150, deadline=None, database=None)
@given(message=st.text(max_size=300) | WORDY, sent_at=SENT, team=st.sampled_from([*TEAMS, None]))
def test_no_message_crashes_the_parser(message: str, sent_at: datetime, team: str | None) -> None:
    assert_sane(PARSER.parse(message, sent_at, team), sent_at)


@settings(
    max_examples=5, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.text(min_size=1, max_size=200) | WORDY.filter(bool))
def test_very_long_messages_are_handled(seed: str) -> None:
    message = (seed * (10_000 // len(seed) + 1))[:10_000]  # Hypothesis draws at most ~8 kB
    sent_at = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    assert_sane(PARSER.parse(message, sent_at, "Zuilen"), sent_at)
    unlimited = RegistrationParser(max_length=20_000, embedder=HashingEmbedder())
    assert_sane(unlimited.parse(message[:10_000], sent_at, "Zuilen"), sent_at)


@st.composite
def events(draw: st.DrawFn) -> tuple[Parsed, datetime]:
    sent_at = draw(SENT)
    kind = draw(st.sampled_from(KINDS))
    fields: dict[str, object] = {}
    if kind == "aanmelding":
        fields["melder"] = draw(st.none() | st.sampled_from(sorted(load_vocabulary().melders)))
    if kind == "afsluiting":
        fields["reden"] = draw(st.none() | st.sampled_from(REDENEN))
        for flag in ("zelfstandig_verder", "volgens_plan", "ervaringwijzer"):
            fields[flag] = draw(FLAG)
            if fields["reden"] == "overleden" and flag != "volgens_plan" and fields[flag]:
                fields[flag] = None  # a client who died goes on neither alone nor surveyed
        fields["rapportcijfer"] = draw(st.none() | st.integers(1, 10))
    if kind == "wat_telt_meting":
        chosen = draw(st.lists(st.sampled_from(slugs()), min_size=1, max_size=6, unique=True))
        order = {slug: i for i, slug in enumerate(slugs())}
        chosen.sort(key=order.__getitem__)
        fields["scores"] = tuple((slug, draw(st.integers(1, 15))) for slug in chosen)
    event = Parsed(
        kind=kind,
        team=draw(st.sampled_from(TEAMS)),
        occurred_on=local_day(sent_at) - timedelta(days=draw(st.integers(0, 300))),
        case_ref=draw(st.none() | CASE_REFS) if kind == "aanmelding" else draw(CASE_REFS),
        **fields,  # type: ignore[arg-type]
    )
    return event, sent_at


@settings(max_examples=300, deadline=None, database=None)
@given(events())
def test_an_event_written_back_parses_to_the_same_event(drawn: tuple[Parsed, datetime]) -> None:
    event, sent_at = drawn
    message = to_message(event)
    result = PARSER.parse(message, sent_at, "Zuilen")
    assert isinstance(result, Parsed), (message, result)
    assert result.as_dict() == event.as_dict(), message


@pytest.mark.parametrize("team", TEAMS)
def test_every_team_name_round_trips_as_the_sender_default(team: str) -> None:
    sent_at = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)
    result = PARSER.parse("kennismaking 4411", sent_at, team)
    assert isinstance(result, Parsed)
    assert result.team == team
