"""Birth dates written every way Dutch people write and dictate them: the specification
(knowledge/privacy/date_forms.py), the generator (evaluation/privacy_synthetic.py), and the
date candidates of the learned detector covering every form family."""

from __future__ import annotations

import pytest

from evaluation.privacy_synthetic import FAMILIES, NEGATIVES, family_examples, synthetic_cases
from knowledge.privacy import Deidentifier
from knowledge.privacy.date_candidates import date_candidates, is_written_date
from knowledge.privacy.date_forms import is_birth_word, month_words, number_value


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize(
    "template",
    [
        "mw x geboren {} woont in utrecht",  # cue before
        "Geboortedatum: {}\nAdres: onbekend",  # a form line
        "zoon ilias ({}) zit op school",  # in brackets after a name
        "dhr {} geb, heeft schulden",  # cue after
        "school belt over mila(geb.{}), 40 uur",  # a cue glued to the date
        "client, born {}, undocumented",  # English
    ],
)
def test_every_form_family_is_one_candidate(family, template):
    """Each generated birth date lies inside a single date candidate, whatever its form."""
    for example in family_examples(family, 20):
        text = template.format(example)
        start = template.index("{}")
        end = start + len(example)
        spans = [(c.start, c.end) for c in date_candidates(text)]
        assert any(s <= start and end <= e for s, e in spans), (family, example, spans)


@pytest.mark.parametrize(
    "words, value",
    [
        ("negentien zevenentachtig", 1987),  # a year said as two numbers
        ("negentienhonderdzevenentachtig", 1987),  # ... or as one word
        ("negentienhonderd vijf", 1905),
        ("tweeduizend negen", 2009),
        ("twintig tien", 2010),  # as people say the 2010s
        ("eenentwintig", 21),
        ("tweeëntwintig", 22),  # with the diaeresis
        ("tweeentwintig", 22),  # and as a phone types it
        ("eenentwintigste", 21),
        ("derde", 3),
        ("achtste", 8),
        ("zomaar", None),
    ],
)
def test_number_words(words, value):
    assert number_value(words) == value


@pytest.mark.parametrize(
    "token, expected",
    [
        ("geb.", True),
        ("gebr", True),  # a slip
        ("gb", True),  # the consonants
        ("geb.dat.", True),
        ("gbdatum", True),
        ("geboortejr", True),
        ("d.o.b.", True),
        ("DOB", True),
        ("gebruik", False),  # words that merely start like the cue
        ("gebouw", False),
        ("gebied", False),
        ("gebeld", False),
    ],
)
def test_ways_of_writing_a_birth_cue(token, expected):
    assert is_birth_word(token) is expected


def test_month_slips_are_months_unless_they_spell_a_word():
    months = month_words()
    assert {"febuari", "feburari", "augustsu", "sepetmber", "mrt", "oct", "may"} <= months
    assert "maar" not in months  # "maart" without its t is a word


def test_a_weekday_belongs_to_its_date():
    text = "geboren op dinsdag 3 maart 1987"
    assert [text[c.start : c.end] for c in date_candidates(text)] == ["dinsdag 3 maart 1987"]


def test_spoken_dates_get_their_year():
    text = "geboren eenentwintig juni negentien zevenentachtig"
    (candidate,) = date_candidates(text)
    assert text[candidate.start : candidate.end] == text[len("geboren ") :]
    assert "age=31-50" in candidate.features or "age=18-30" in candidate.features


@pytest.mark.parametrize("template", [n for n in NEGATIVES if "{date}" in n])
def test_hard_negatives_are_candidates_too(template):
    """Dates that are not birth dates are judged as well, in every form: only their context
    tells them apart."""
    for family in sorted(FAMILIES):
        (example,) = family_examples(family, 1)
        text = template.format(date=example)
        start = template.index("{date}")
        spans = [(c.start, c.end) for c in date_candidates(text)]
        assert any(s <= start and start + len(example) <= e for s, e in spans), (family, text)


def test_the_generator_mixes_texts_without_a_birth_date():
    cases = synthetic_cases(200)
    assert 30 < sum(not c["spans"] for c in cases) < 80


def test_the_generator_is_deterministic_and_labels_the_date():
    first, second = synthetic_cases(120), synthetic_cases(120)
    assert first == second
    for case in first:
        for span in case["spans"]:
            assert span["kind"] == "geboortedatum"
            date = case["text"][span["start"] : span["end"]]
            assert date.strip() == date and date


@pytest.mark.parametrize(
    "piece, expected",
    [
        ("drie maart zevenenvijftig", True),  # a year said in two digits
        ("negentien negenenveertig", True),
        ("maandag 3 maart 1987", True),
        ("negentien", False),  # a number alone is no date
        ("mei", False),
        ("hallo", False),
    ],
)
def test_a_date_in_words_is_a_date(piece, expected):
    """What the de-identifier keeps as a birth date though it has no digit."""
    assert is_written_date(piece) is expected


def test_a_birth_date_in_words_is_removed():
    """The learned detector finds a dictated birth date and the de-identifier keeps the hit,
    though it has no digit."""
    text = "dhr bakker, geboren vijf mei negentien vierenvijftig, vraagt om hulp"
    result = Deidentifier(use_deduce=False).deidentify(text)
    assert "vierenvijftig" not in result.text and "[geboortedatum]" in result.text
