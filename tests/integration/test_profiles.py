"""An expert's own profile edits and the monthly nudge, on both stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.wiring import Deps
from models.clock import AMSTERDAM, FixedClock
from models.outbox import payload_of
from models.tables import ExpertiseProfile, Member, Outbox
from routing.nudges import enqueue_profile_nudges
from routing.profiles import ProfileError, confirm_profile, update_profile
from routing.tags import suggest_tags
from tests.helpers import ASKER, make_deps

DESCRIPTION = "Ik help bij schulden, bewindvoering en een huurachterstand bij de corporatie."


@pytest.fixture
def deps(db: Engine, clock: FixedClock) -> Deps:
    return make_deps(db, clock)


def top(deps: Deps, session: Session, text: str, n: int = 3) -> list[str]:
    picks = deps.finder.find(session, text, [], exclude={ASKER}, limit=n, now=deps.clock.now())
    return [pick.member_id for pick in picks]


def test_an_edit_normalises_tags_and_saves_every_field(deps: Deps, clock: FixedClock) -> None:
    now = clock.now()
    with deps.sessions() as session:
        change = update_profile(
            session,
            "m040",
            now=now,
            expertise=DESCRIPTION,
            tags=["schuldhulp", "Bewindvoering", "Wonen", "inkomensbeheer"],
            leefgebieden=["geld"],
            languages=["Arabisch", "Nederlands", "papiamento"],
            away_until=date(2026, 12, 7),
            daily_cap=3,
        )
        session.commit()
        assert change.renamed_tags == {"schuldhulp": "schuldhulpverlening"}
        assert change.tags == ("schuldhulpverlening", "bewindvoering", "inkomensbeheer")
        assert change.tags_as_leefgebieden == ("wonen",)
        assert change.leefgebieden == ("geld", "wonen")
        assert change.languages == ("arabisch", "papiaments")
        member, profile = session.get(Member, "m040"), session.get(ExpertiseProfile, "m040")
        assert member is not None and profile is not None
        assert member.daily_cap == 3 and member.languages == ("arabisch", "papiaments")
        assert member.away_until is not None
        assert member.away_until.astimezone(AMSTERDAM).date() == date(2026, 12, 7)
        assert profile.updated_at == profile.confirmed_at == now
        assert "m040" not in top(deps, session, "bezwaar tegen een besluit van de gemeente", 90)
        update_profile(session, "m040", now=now, away_until=None)  # back early
        assert "m040" in top(deps, session, "bewindvoering en schulden", 90)


def test_all_mistakes_are_reported_at_once_in_dutch_and_nothing_is_saved(
    deps: Deps, clock: FixedClock
) -> None:
    with deps.sessions() as session:
        before = session.get(ExpertiseProfile, "m040")
        assert before is not None
        expertise = before.expertise
        with pytest.raises(ProfileError) as raised:
            update_profile(
                session,
                "m040",
                now=clock.now(),
                expertise="schulden",
                tags=["x" * 41],
                leefgebieden=["fietsen"],
                languages=["Klingon"],
                away_until=clock.now() - timedelta(days=1),
                daily_cap=0,
            )
        errors = raised.value.errors
        assert set(errors) == {
            "expertise",
            "tags",
            "leefgebieden",
            "languages",
            "away_until",
            "daily_cap",
        }
        assert "minstens 20 tekens" in errors["expertise"]
        assert "geen leefgebied" in errors["leefgebieden"]
        assert "Die taal ken ik niet" in errors["languages"]
        assert "toekomst" in errors["away_until"]
        assert "1 tot en met 20" in errors["daily_cap"]
        session.rollback()
        after = session.get(ExpertiseProfile, "m040")
        assert after is not None and after.expertise == expertise
        with pytest.raises(ProfileError, match="niet als deskundige"):
            update_profile(session, "nobody", now=clock.now(), daily_cap=3)


def test_suggestions_come_from_colleagues_tags(deps: Deps) -> None:
    with deps.sessions() as session:
        assert suggest_tags(session, "schuldhulp")[0] == "schuldhulpverlening"
        assert "schuldsanering" in suggest_tags(session, "schuld")
        described = suggest_tags(session, DESCRIPTION, limit=10)
        assert {"bewindvoering", "huurachterstand"} <= set(described)


def test_a_client_who_speaks_only_arabic_prefers_an_arabic_speaking_expert(
    deps: Deps, clock: FixedClock
) -> None:
    plain = "Mevrouw heeft een huurachterstand en de corporatie dreigt met ontruiming."
    arabic = "Mevrouw spreekt alleen Arabisch, heeft een huurachterstand en er dreigt ontruiming."
    with deps.sessions() as session:
        before = top(deps, session, arabic, 90)
        plain_before = top(deps, session, plain, 10)
        speaker = before[3]  # relevant, but just outside the first wave of three
        unrelated = before[-1]
        for member_id in (speaker, unrelated):
            update_profile(session, member_id, now=clock.now(), languages=["Arabisch"])
        session.commit()
        first_wave = top(deps, session, arabic)
        assert speaker in first_wave
        assert unrelated not in first_wave  # the language alone does not make an expert
        assert top(deps, session, plain, 10) == plain_before  # no language named: no change


def test_a_stale_profile_is_nudged_at_most_once_a_month(deps: Deps, clock: FixedClock) -> None:
    def nudges(session: Session) -> list[Outbox]:
        rows = session.exec(select(Outbox).where(Outbox.template == "profile.nudge")).all()
        return [r for r in rows if r.key.startswith("profile-nudge:m001:")]

    with deps.sessions() as session:
        assert enqueue_profile_nudges(session, clock.now()) == []  # everyone just imported
        clock.advance(timedelta(days=200))
        assert "m001" in enqueue_profile_nudges(session, clock.now())
        session.commit()
        assert [r.key for r in nudges(session)] == ["profile-nudge:m001:2027-06"]
        assert payload_of(nudges(session)[0])["to_member"] == "m001"
        assert "m001" not in enqueue_profile_nudges(session, clock.now())  # a second run
        clock.set(clock.now().replace(day=1) + timedelta(days=31))  # the 1st of next month
        assert "m001" not in enqueue_profile_nudges(session, clock.now() + timedelta(hours=1))
        clock.advance(timedelta(days=28))
        assert "m001" in enqueue_profile_nudges(session, clock.now())
        session.commit()
        assert len(nudges(session)) == 2
        confirm_profile(session, "m001", clock.now())
        clock.advance(timedelta(days=60))
        assert "m001" not in enqueue_profile_nudges(session, clock.now())
        session.commit()
        assert len(nudges(session)) == 2
