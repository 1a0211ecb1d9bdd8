"""ExpertRanker: relevance from HybridIndex, plus who may be asked and how busy they are."""

from __future__ import annotations

import dataclasses

import pytest

from knowledge.embedders import HashingEmbedder
from routing.rank import (
    DEFAULT_WEIGHTS,
    ExpertCandidate,
    ExpertRanker,
    LearnedItem,
    RankingWeights,
    is_eligible,
    load_adjustments,
)


def candidate(
    member_id: str, expertise: str, tags: tuple[str, ...], lg: tuple[str, ...], **kw: object
) -> ExpertCandidate:
    return ExpertCandidate(member_id, "Zuilen", expertise, tags, lg, **kw)  # type: ignore[arg-type]


HUUR = candidate(
    "m1",
    "Huurachterstand en dreigende ontruiming.",
    ("huurachterstand", "ontruiming"),
    ("wonen", "geld"),
)
HUUR2 = candidate(
    "m2", "Ook huurachterstand en ontruiming voorkomen.", ("huurachterstand",), ("wonen",)
)
HBH = candidate("m3", "Aanvragen hulp bij het huishouden.", ("HbH", "Wmo"), ("huishouden",))
GOK = candidate("m4", "Gokverslaving en online casino.", ("gokken", "Cruks"), ("verslaving",))
EXPERTS = [HUUR, HUUR2, HBH, GOK]


def ranker(experts: list[ExpertCandidate] = EXPERTS) -> ExpertRanker:
    return ExpertRanker(HashingEmbedder(), candidates=experts)


def ids(ranked: list) -> list[str]:  # type: ignore[type-arg]
    return [r.member_id for r in ranked]


def test_relevant_expert_first() -> None:
    assert ids(ranker().rank("klant heeft HbH nodig", ["huishouden"]))[0] == "m3"


def test_unavailable_expert_is_excluded() -> None:
    away = dataclasses.replace(HBH, available=False)
    ranked = ranker([HUUR, HUUR2, away, GOK]).rank("klant heeft HbH nodig", [])
    assert "m3" not in ids(ranked)


def test_daily_cap_is_respected() -> None:
    full = dataclasses.replace(HBH, invitations_today=5, daily_cap=5)
    assert not is_eligible(full)
    for method in ("hybrid", "lexical", "dense"):
        assert "m3" not in ids(ranker([HUUR, full]).rank("HbH", [], method=method))


def test_asker_is_excluded() -> None:
    assert "m1" not in ids(ranker().rank("huurachterstand", ["wonen"], exclude={"m1"}))


def test_open_invitations_and_slow_answers_lower_the_score_a_little() -> None:
    busy = dataclasses.replace(
        HUUR, open_invitations=3, accept_rate=0.2, median_response_minutes=600
    )
    ranked = ranker([busy, HUUR2, HBH, GOK]).rank(
        "huurachterstand en ontruiming", ["wonen"], limit=None
    )
    by_id = {r.member_id: r for r in ranked}
    assert by_id["m1"].components["open_invitations"] == pytest.approx(-0.06)
    assert by_id["m1"].components["accept_rate"] == pytest.approx(-0.04)
    assert by_id["m1"].components["response_time"] == pytest.approx(-0.03)
    assert ids(ranked).index("m2") < ids(ranked).index("m1")
    assert "m1" in ids(ranked)[:2]  # still ahead of the unrelated experts


def test_no_history_means_no_penalty() -> None:
    assert set(load_adjustments(HUUR, DEFAULT_WEIGHTS).values()) == {0.0}


def test_ranking_is_stable_and_deterministic() -> None:
    first = ranker().rank("gokken en schulden", ["verslaving"], limit=None)
    second = ranker(list(reversed(EXPERTS))).rank("gokken en schulden", ["verslaving"], limit=None)
    assert first == second


def test_leefgebied_names_and_slugs_both_work() -> None:
    r = ranker()
    by_slug = r.rank("vraag", ["verslaving"], limit=None)
    by_name = r.rank("vraag", ["alcohol, drugs, gamen en gokken"], limit=None)
    assert by_slug == by_name


def test_build_replaces_and_update_upserts() -> None:
    r = ranker()
    r.build([HBH])
    assert ids(r.rank("huurachterstand", [], limit=None)) == ["m3"]
    r.update([dataclasses.replace(GOK, open_invitations=1)])
    assert set(ids(r.rank("gokken", [], limit=None))) == {"m3", "m4"}


def test_suggested_leefgebieden_feed_the_prior_when_none_given() -> None:
    ranked = ranker().rank("klant gokt online en zit in de schulden", None)
    assert ranked and ranked[0].components["leefgebied"] >= 0.0


def test_all_weights_live_in_one_frozen_dataclass() -> None:
    weights = RankingWeights()
    with pytest.raises(dataclasses.FrozenInstanceError):
        weights.tags_field = 2.0  # type: ignore[misc]
    names = {f.name for f in dataclasses.fields(weights)}
    assert {"search", "open_invitation_penalty", "decline_penalty", "tags_field"} <= names
    assert dataclasses.is_dataclass(weights.search)


def test_a_load_only_refresh_re_embeds_nothing_but_changes_the_order() -> None:
    r = ranker()
    before = ids(r.rank("huurachterstand ontruiming", ["wonen"]))
    busy = dataclasses.replace(HUUR, open_invitations=3, accept_rate=0.0)
    assert r.build([busy, HUUR2, HBH, GOK]) == 0  # no passage embedded again
    after = r.rank("huurachterstand ontruiming", ["wonen"])
    assert after[ids(after).index("m1")].components["open_invitations"] < 0
    assert before[:2] == ["m1", "m2"] or before[:2] == ["m2", "m1"]
    edited = dataclasses.replace(HUUR2, expertise="Nu ook schuldhulp.")
    assert r.update([edited]) > 0


def test_decline_penalty_grows_with_the_share_declined() -> None:
    penalties = [
        load_adjustments(dataclasses.replace(HUUR, accept_rate=rate), DEFAULT_WEIGHTS)
        for rate in (1.0, 0.5, 0.0)
    ]
    assert [p["accept_rate"] for p in penalties] == pytest.approx([0.0, -0.025, -0.05])


def test_fading_evidence_re_embeds_nothing_until_an_item_leaves() -> None:
    r = ranker()
    taught = dataclasses.replace(HBH, learned=(LearnedItem("Wie kent Cruks?", (), 1.0),))
    assert r.update([taught]) > 0  # the new evidence is embedded once
    assert (
        r.update([dataclasses.replace(taught, learned=(LearnedItem("Wie kent Cruks?", (), 0.6),))])
        == 0
    )
    assert r.index.get("m3").boosts["learned"] == 0.3  # type: ignore[union-attr]
    faded = dataclasses.replace(taught, learned=(LearnedItem("Wie kent Cruks?", (), 0.1),))
    # The item leaves the document, which is again the profile embedded at the start: its
    # passage vectors are still held, so nothing is embedded for it.
    assert r.update([faded]) == 0
    assert r.index.get("m3").fields["learned"] == ""  # type: ignore[union-attr]
