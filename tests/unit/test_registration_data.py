"""The data files behind registrations: complete, consistent, and what the README names."""

from __future__ import annotations

import pytest

from casework.registration import KINDS
from casework.registration.model import REDENEN
from casework.registration.vocabulary import Vocabulary, load_vocabulary

README_MELDERS = {
    "zelfmelder",
    "familie",
    "huisarts",
    "veilig_thuis",
    "woningcorporatie",
    "zorgpartner",
    "sociaal_netwerk",
    "overig",
}


def test_every_kind_has_a_label_and_cues() -> None:
    vocab = load_vocabulary()
    assert set(vocab.kinds) == set(KINDS)
    assert vocab.needs_case_ref == set(KINDS) - {"aanmelding"}


def test_melder_slugs_follow_the_taxonomy() -> None:
    melders = load_vocabulary().melders
    assert set(melders) >= README_MELDERS
    assert all(slug == slug.lower() and " " not in slug for slug in melders)
    assert len(melders) >= 25  # the KTSD list in taxonomy.md


def test_every_closure_value_can_be_written() -> None:
    closure = load_vocabulary().closure
    assert {value for (name, value) in closure if name == "reden"} == set(REDENEN)
    for flag in ("zelfstandig_verder", "volgens_plan", "ervaringwijzer"):
        assert {(flag, "true"), (flag, "false")} <= set(closure)


def test_regions_come_from_the_team_data() -> None:
    regions = load_vocabulary().regions
    assert len(regions["overvecht"]) == 4
    assert regions["kanaleneiland"] == ("Kanaleneiland Noord", "Kanaleneiland Zuid")


def test_a_phrase_cannot_mean_two_things_of_one_kind() -> None:
    vocab = Vocabulary()
    vocab.add("via huisarts", "melder", "huisarts")
    with pytest.raises(ValueError, match="both"):
        vocab.add("Via Huisarts", "melder", "poh")
