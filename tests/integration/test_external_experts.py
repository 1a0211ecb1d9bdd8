"""External experts (partner organisations) on both stores: only when no colleague fits well
enough or when the asker asks for them, and they never learn who asked.

Scores here come from the HashingEmbedder on the demo directory (tests/helpers.make_deps);
each test first checks the premise it relies on, so a changed directory fails loudly.
"""

from __future__ import annotations

import json

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.wiring import Deps
from models.clock import FixedClock
from models.tables import Member, Outbox, Question
from routing.dispatch import Inbound
from tests.helpers import ASKER, invitations, make_deps

# m001 (internal) fits; m020 and m031 (external) would come next on score alone.
INTERNAL_FITS = "Huurachterstand en dreigende ontruiming bij de corporatie, wie kan helpen?"
# No internal profile is close; m039 (external, reclassering) is.
NONE_FITS = (
    "Mijn cliënt heeft een reclasseringstoezicht met enkelband en meldplicht, hoe werkt dat?"
)
# Only internal colleagues rank near the top.
INTERNAL_ONLY = (
    "Wie kent de hersteloperatie toeslagen van de Belastingdienst voor gedupeerde ouders?"
)


def _ask(deps: Deps, text: str, key: str = "q1") -> Question:
    with deps.sessions() as session:
        result = deps.dispatcher.ask(
            session, Inbound(key, ASKER, text, "D1", key, deps.clock.now())
        )
        session.commit()
        return result.question


def _invited(deps: Deps, question: Question) -> dict[str, bool]:
    """Invited member id -> is external."""
    with deps.sessions() as session:
        out = {}
        for invitation in invitations(session, question.id):
            member = session.get(Member, invitation.member_id)
            assert member is not None
            out[member.id] = member.is_external
        return out


def _ranked_ids(deps: Deps, text: str) -> list[str]:
    finder = deps.finder
    with deps.sessions() as session:
        finder.refresh(session, deps.clock.now())
    slugs = [s for s, _ in finder.suggest_leefgebieden(text)[:1]]
    return [e.member_id for e in finder.ranker.rank(text, slugs, exclude={ASKER}, limit=3)]


def test_externals_are_not_invited_while_an_internal_expert_fits(
    db: Engine, clock: FixedClock
) -> None:
    deps = make_deps(db, clock)
    assert {"m020", "m031"} & set(_ranked_ids(deps, INTERNAL_FITS))  # premise: they'd rank
    invited = _invited(deps, _ask(deps, INTERNAL_FITS))
    assert "m001" in invited and len(invited) == 3
    assert not any(invited.values())


def test_externals_are_invited_when_no_internal_expert_fits(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    invited = _invited(deps, _ask(deps, NONE_FITS))
    assert invited.get("m039") is True


def test_externals_are_invited_when_the_asker_asks_for_them(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    assert not (set(_ranked_ids(deps, INTERNAL_ONLY)) & {"m004", "m010", "m020", "m039"})
    question = _ask(deps, "extern: " + INTERNAL_ONLY)
    assert question.include_external and not question.anonymous
    invited = _invited(deps, question)
    assert len(invited) == 3 and sum(invited.values()) == 1


def test_an_external_invitation_never_names_the_asker(db: Engine, clock: FixedClock) -> None:
    deps = make_deps(db, clock)
    question = _ask(deps, NONE_FITS)  # not anonymous: internal experts do see the name
    with deps.sessions() as session:
        asker = session.get(Member, ASKER)
        assert asker is not None
        payloads = {
            json.loads(row.payload)["to_member"]: row.payload
            for row in session.exec(select(Outbox).where(Outbox.template == "invitation")).all()
        }
    external = [m for m, is_external in _invited(deps, question).items() if is_external]
    internal = [m for m, is_external in _invited(deps, question).items() if not is_external]
    assert external and internal
    for member_id in external:
        assert asker.display_name not in payloads[member_id]
        assert asker.team not in payloads[member_id]
        assert json.loads(payloads[member_id])["asker_name"] == "een collega"
    for member_id in internal:
        assert asker.display_name in payloads[member_id]
