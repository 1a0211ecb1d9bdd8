"""The learned detector in the whole de-identifier (with deduce), and its training.

Slow: the rules (with deduce) run over every training text to give the model its rule
features, as `vraagbaak privacy train` does.
"""

from __future__ import annotations

import pytest

from evaluation.privacy_train import fit_model, load_texts, rule_spans
from knowledge.privacy import Deidentifier
from knowledge.privacy.learned import MODEL_FILE, model_bytes, shipped_model

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def rules() -> Deidentifier:
    deidentifier = Deidentifier(use_deduce=True, use_learned=False)
    deidentifier.preload()
    return deidentifier


def test_training_gives_the_shipped_model_byte_for_byte(rules):
    """The committed model is what the training script makes of the development sets."""
    shipped = shipped_model()
    thresholds = {
        "persoon": shipped.persoon.threshold,
        "geboortedatum": shipped.geboortedatum.threshold,
    }
    model = fit_model(load_texts(rule_spans(rules)), thresholds)
    assert model_bytes(model) == MODEL_FILE.read_bytes()


def _removed_characters(result):
    return {i for span in result.removed for i in range(span.start, span.end)}


def test_the_model_adds_to_the_rules_and_keeps_what_routing_needs(rules):
    with_model = Deidentifier(use_deduce=True)
    text = "Wie kent Altrecht, Lister of Jellinek in Vleuten, De Meern of Utrecht?"
    assert with_model.deidentify(text).text == text
    for sample in (
        "mw el khattabi (geb 14-9-1962) belde",
        "Naam: W. (Wendy) Bosman",
        "Gisteren sprak ik met Wim. Wim is 81 en woont in Tuindorp.",
    ):
        assert _removed_characters(rules.deidentify(sample)) <= _removed_characters(
            with_model.deidentify(sample)
        )


def test_without_the_model_the_rules_alone_run(rules):
    text = "mevrouw Jansen geb 1960 belde"
    assert rules.deidentify(text).text == "mevrouw [naam] geb [geboortedatum] belde"
