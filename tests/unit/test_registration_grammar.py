"""The general mechanisms of the fourth round, each on messages written for this test: verb
forms of closure reasons, preposition-and-article shorthand, "8/10" as a grade in an
afsluiting, weekdays (own day, wordless shortenings, shortened past cues), two-letter words of
a kind phrase, negated objections, kind compounds shortened at the head, kind phrases as the
object of a preposition, and a lone "wachtlijst" asked back. Sent on Wednesday 9 September
2026 by team Zuilen."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from casework.registration import Parsed, RegistrationParser
from casework.registration.dates import DATE_WORDS
from casework.registration.english import all_english, glossary, in_dutch
from casework.registration.model import Refusal, RefusalCode
from casework.registration.privacy import PrivacyGuard
from casework.registration.text import FILLERS, written_out
from casework.registration.vocabulary import load_vocabulary
from knowledge.embedders import HashingEmbedder
from knowledge.privacy.model import Deidentified, RemovedSpan
from knowledge.textnorm import STOPWORDS
from models.clock import AMSTERDAM

WEDNESDAY = datetime(2026, 9, 9, 12, 0, tzinfo=AMSTERDAM)


@pytest.fixture(scope="module")
def parser() -> RegistrationParser:
    return RegistrationParser(embedder=HashingEmbedder())


def parsed(parser: RegistrationParser, message: str) -> Parsed:
    result = parser.parse(message, WEDNESDAY, "Zuilen")
    assert isinstance(result, Parsed), result
    return result


def refused(parser: RegistrationParser, message: str) -> Refusal:
    result = parser.parse(message, WEDNESDAY, "Zuilen")
    assert isinstance(result, Refusal), result
    return result


@pytest.mark.parametrize(
    ("message", "reden"),
    [
        ("afgesloten 3141, klant stopt ermee", "klant_gestopt"),
        ("dossier 3142 dicht want klant gaat verhuizen", "verhuisd"),
        ("3143 afgesloten, mevrouw is overleden", "overleden"),  # the cue itself still reads
        ("afsluiting 3144 omdat we hem verwijzen naar de ggz", "verwezen"),
    ],
)
def test_a_closure_reason_reads_in_another_form_of_its_verb(parser, message, reden):
    event = parsed(parser, message)
    assert event.reden == reden


def test_a_verb_form_after_a_negation_is_no_reason(parser):
    assert parsed(parser, "afgesloten 3145, is niet verhuisd").reden is None


def test_a_verb_form_reason_is_marked_for_the_card(parser):
    assert "reden" in parsed(parser, "afgesloten 3146, klant stopt ermee").guessed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2718 vd wachtlijst", "2718 van de wachtlijst"),
        ("v.d. wachtlijst", "van de wachtlijst"),
        ("ivm verhuizing", "in verband met verhuizing"),
        ("vdw 12", "vdw 12"),  # only a whole word
    ],
)
def test_preposition_shorthand_is_written_out(text, expected):
    assert written_out(text) == expected


def test_preposition_shorthand_completes_a_kind_phrase_and_is_no_postcode(parser):
    event = parsed(parser, "2718 vd wachtlijst gehaald")
    assert (event.kind, event.case_ref) == ("wachtlijst_uit", "2718")


def test_out_of_ten_in_a_closure_is_the_grade(parser):
    event = parsed(parser, "afsluiting 3147 doel bereikt, 7/10")
    assert event.rapportcijfer == 7
    assert event.occurred_on == WEDNESDAY.date()


def test_out_of_ten_after_a_date_word_stays_a_date(parser):
    event = parsed(parser, "afgesloten 3148 op 3/9")
    assert (event.occurred_on, event.rapportcijfer) == (date(2026, 9, 3), None)


def test_out_of_ten_outside_a_closure_is_a_date(parser):
    assert parsed(parser, "kennismaking 3149 4/9").occurred_on == date(2026, 9, 4)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("woensdag", date(2026, 9, 2)),  # its own day: the week before ("vandaag" is today)
        ("sinds wo", date(2026, 9, 2)),
        ("vr met de klant", date(2026, 9, 4)),  # "vr" is no word: the day, inside a clause
        ("afgel. maandag", date(2026, 9, 7)),  # a shortened past cue
        ("jongstl vrijdag", date(2026, 9, 4)),
        ("afgel. di", date(2026, 9, 8)),
    ],
)
def test_weekday_readings(parser, words, expected):
    assert parsed(parser, f"kennismaking 3150 {words}").occurred_on == expected


def test_a_dutch_word_inside_a_clause_is_no_weekday(parser):
    assert parsed(parser, "kennismaking 3151 zo snel mogelijk gedaan").occurred_on == date(
        2026, 9, 9
    )


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("st. begeleiding 3152", "start_ondersteuning"),  # two letters beside a full word
        ("kennism.gesprek 3153 gevoerd", "kennismaking"),  # a compound shortened at its head
        ("ken gesprek 3154 gehad", "kennismaking"),
        ("afsl.gesprek 3155 gehad", "afsluiting"),
    ],
)
def test_shortened_kind_phrases(parser, message, kind):
    assert parsed(parser, message).kind == kind


def test_two_letters_alone_stay_unread(parser):
    refused(parser, "st 3156")


@pytest.mark.parametrize(
    ("message", "value"),
    [
        ("afgesloten 3157 doel bereikt, geen bezwaar tegen de vragenlijst", True),
        ("afgesloten 3158 verhuisd, ew is geen probleem", True),
        ("afgesloten 3159 verhuisd, geen ew", False),
    ],
)
def test_a_negated_objection_is_consent(parser, message, value):
    assert parsed(parser, message).ervaringwijzer is value


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("kennis gemaakt met de nieuwe aanmelding, 3160", "kennismaking"),
        ("na de kennismaking gestart met 3161", "start_ondersteuning"),
    ],
)
def test_a_kind_after_a_preposition_describes_the_event(parser, message, kind):
    assert parsed(parser, message).kind == kind


def test_only_described_kinds_are_still_read(parser):
    assert parsed(parser, "bij de intake 3162 geweest").kind == "kennismaking"


@pytest.mark.parametrize("message", ["3163 wachtlijst", "wl cs 3164", "de wachtlijst 3165"])
def test_a_lone_waiting_list_is_asked_back(parser, message):
    assert refused(parser, message).code == RefusalCode.AMBIGUOUS_KIND


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("3166 wachtlijst erbij", "wachtlijst_in"),
        ("3167 op de wl", "wachtlijst_in"),
        ("wachtlijst 3168 gisteren", "wachtlijst_in"),  # a date: the list's usual reading
    ],
)
def test_a_waiting_list_with_any_other_word_is_read(parser, message, kind):
    assert parsed(parser, message).kind == kind


@pytest.mark.parametrize(
    "message",
    [
        "aanmelding, meneer is zelf langsgekomen",
        "nieuwe klant heeft zelf gemaild",
        "zelf binnengekomen, nieuwe aanmelding",  # the kind's own verb
    ],
)
def test_zelf_beside_a_verb_is_a_zelfmelder(parser, message):
    event = parsed(parser, message)
    assert event.melder == "zelfmelder"
    assert "melder" in event.guessed


def test_zelf_beside_no_verb_names_no_melder(parser):
    assert parsed(parser, "aanmelding via de buurvrouw, zelf weinig zin").melder != "zelfmelder"


@pytest.mark.parametrize("message", ["wat telt 3170 wonen -3", "wt 3171 geld 4, werk -1"])
def test_a_negative_score_is_refused(parser, message):
    assert refused(parser, message).code == RefusalCode.SCORE_OUT_OF_RANGE


def test_a_dash_between_scores_is_no_minus(parser):
    event = parsed(parser, "wt 26-3172 wonen 4 - werk 5")
    assert dict(event.scores) == {"wonen": 4, "werk": 5}


def test_a_full_stop_after_a_shortened_word_keeps_the_leefgebied_together(parser):
    event = parsed(parser, "wt 3173 lich. gezondheid 9, wonen 2")
    assert dict(event.scores) == {"lichamelijke_gezondheid": 9, "wonen": 2}


def test_a_closure_word_after_another_kind_completes_that_kind(parser):
    assert parsed(parser, "intakegesprek afgerond, 3174").kind == "kennismaking"


def test_a_closure_word_after_a_waiting_list_is_still_asked_back(parser):
    assert refused(parser, "wachtlijst afgerond 3175").code == RefusalCode.TWO_KINDS


def test_a_team_after_a_move_is_where_the_client_went(parser):
    event = parsed(parser, "afgesloten 3176, verhuisd naar lunetten")
    assert (event.team, event.reden) == ("Zuilen", "verhuisd")


def test_a_region_completed_by_a_short_word_is_its_team(parser):
    assert parsed(parser, "km 3177 overvecht vz").team == "Overvecht Vechtzoom"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("huish. hulp aanvr. 3178 ingediend", "hbh_aanvraag"),  # "aanvr." is no name
        ("wat telt 3179 fin. 5", "wat_telt_meting"),  # nor "fin." before its score
    ],
)
def test_a_shortened_registration_word_is_no_name(parser, message, kind):
    assert parsed(parser, message).kind == kind


class _SeesWords:
    """A de-identifier that reports the given words as names (whatever the real one says)."""

    def __init__(self, *words: str) -> None:
        self.words = words

    def deidentify(self, text: str) -> Deidentified:
        spans = []
        for word in (w for w in self.words if w in text):
            start = text.index(word)
            spans.append(RemovedSpan("persoon", start, start + len(word), word))
        return Deidentified(text, tuple(spans))


def test_the_privacy_check_excuses_a_shortened_word_and_only_that():
    guard = PrivacyGuard([], [], deidentifier=_SeesWords("aanvr", "Sandra"))  # type: ignore[arg-type]
    shortened = {"aanvr"}.__contains__
    assert guard.found("hbh aanvr. 3180 met Sandra", is_shortened_word=shortened) == {"persoon": 1}
    assert guard.found("hbh aanvr. 3180", is_shortened_word=shortened) == {}


def test_the_privacy_check_reads_a_label_with_a_full_stop_before_its_score():
    guard = PrivacyGuard([], [], deidentifier=_SeesWords("fin"))  # type: ignore[arg-type]
    assert guard.found("wt 3181 fin. 5", is_score_label={"fin"}.__contains__) == {}


def test_every_glossary_translation_is_a_word_the_parser_reads():
    known = load_vocabulary().words | DATE_WORDS | FILLERS | STOPWORDS
    for dutch in glossary().values():
        assert set(dutch.split()) <= known, dutch


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3182 off the waiting list", "3182 van de wachtlijst"),
        ("case closed, goal reached", "afgesloten, doel bereikt"),
        ("offline 3183", "offline 3183"),  # whole words only
    ],
)
def test_english_words_are_written_in_dutch(text, expected):
    assert in_dutch(text) == expected


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("3184 on the waitlist", "wachtlijst_in"),
        ("first meeting 3185 yesterday", "kennismaking"),
    ],
)
def test_english_registrations_are_read(parser, message, kind):
    assert parsed(parser, message).kind == kind


def test_only_glossary_words_count_as_english():
    assert all_english("off the waitinglist")
    assert not all_english("off with sandra")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("gist:", date(2026, 9, 8)),  # a past day shortened to four letters, closing a clause
        ("eerg", date(2026, 9, 7)),
    ],
)
def test_a_relative_day_shortened_where_the_day_goes(parser, words, expected):
    assert parsed(parser, f"kennismaking 3186 {words}").occurred_on == expected


def test_four_letters_inside_a_clause_stay_a_word(parser):
    assert parsed(parser, "kennismaking 3187 gist zuilen").occurred_on == WEDNESDAY.date()


def test_a_case_number_a_melder_and_an_event_word_are_no_postcode():
    guard = PrivacyGuard([], [], deidentifier=_SeesPostcode())  # type: ignore[arg-type]
    event_word = {"melding"}.__contains__
    melder = {"vt"}.__contains__
    found = guard.found("3188 vt melding", is_word=event_word, is_any_word=melder)
    assert found == {}
    assert guard.found("3188 vt utrecht", is_word=event_word, is_any_word=melder)


class _SeesPostcode:
    """A de-identifier that reports the first two words as a postcode."""

    def deidentify(self, text: str) -> Deidentified:
        end = len(" ".join(text.split()[:2]).rstrip(",."))
        return Deidentified(text, (RemovedSpan("postcode", 0, end, text[:end]),))


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("de wijkagent meldde gisteren iemand aan", "aanmelding"),
        ("ik sluit 3189 vandaag af", "afsluiting"),
    ],
)
def test_a_separable_verb_split_over_its_clause_is_its_cue(parser, message, kind):
    assert parsed(parser, message).kind == kind


def test_a_particle_in_another_clause_joins_no_verb(parser):
    refused(parser, "ik meldde het, 3190 aan de lijn")


@pytest.mark.parametrize(
    ("message", "value"),
    [
        ("afgesloten 3191, redt het nu zonder ondersteuning", True),
        ("afgesloten 3192 verhuisd, kan niet alleen verder", False),
        ("afgesloten 3193, staat weer op eigen benen", True),
    ],
)
def test_going_on_alone_in_other_words(parser, message, value):
    assert parsed(parser, message).zelfstandig_verder is value


def test_a_dutch_word_is_never_repaired_into_a_date_word(parser):
    event = parsed(parser, "aanmelding 3194, de buren maken zich zorgen")
    assert event.occurred_on == WEDNESDAY.date()  # "zorgen" is no typo of "morgen"


def test_a_typo_is_still_repaired(parser):
    assert parsed(parser, "kennismakng 3195 gistren").occurred_on == date(2026, 9, 8)


def test_a_kind_after_a_modal_is_an_intention(parser):
    event = parsed(parser, "3196 van de wachtlijst, kan binnenkort starten")
    assert event.kind == "wachtlijst_uit"


def test_a_kind_after_a_modal_alone_is_still_read(parser):
    assert parsed(parser, "3197 gaat starten").kind == "start_ondersteuning"


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("hulp voor het huishouden aangevraagd 3198", "hbh_aanvraag"),
        ("einde van de begeleiding 3199", "afsluiting"),
    ],
)
def test_a_kind_phrase_said_with_other_glue_words(parser, message, kind):
    assert parsed(parser, message).kind == kind


def test_a_leefgebied_with_its_score_stays_a_leefgebied(parser):
    assert dict(parsed(parser, "wt 3200 huishouden 6").scores) == {"huishouden": 6}


def test_a_postcode_followed_by_punctuation_is_still_a_postcode():
    guard = PrivacyGuard([], [], deidentifier=_SeesPostcode())  # type: ignore[arg-type]
    found = guard.found(
        "3188 vt, melding",
        is_word={"melding"}.__contains__,
        is_any_word={"vt"}.__contains__,
    )
    assert found == {"postcode": 1}
