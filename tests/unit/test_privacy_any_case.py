"""De-identification of text as people type it on a phone: names in lower case, identifiers in
any case and spacing. The examples are made up for the rules, not taken from an eval set."""

from __future__ import annotations

import pytest

from knowledge.privacy import Deidentified, Deidentifier
from knowledge.privacy.vocabulary import (
    _ICAO_9303,
    _KMU_2010,
    _KMU_2010_INITIAL,
    is_base_form,
    is_dutch_word,
    is_name,
    transliterate,
    verb_stems,
)


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, max_birth_year=2012)


def removed(result: Deidentified, kind: str) -> list[str]:
    return [span.original for span in result.removed if span.kind == kind]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("mevrouw fatima el amrani belde in paniek", ["fatima el amrani"]),
        ("mw de groot wil verhuizen naar een kleinere woning", ["de groot"]),
        ("meneer bakker heeft schulden bij de belastingdienst", ["bakker"]),
        ("haar zoon milan (15) spijbelt", ["milan"]),
        ("dhr noah van der meer zoekt werk", ["noah van der meer"]),
        ("kevin wil niet meer naar school en kevin blowt", ["kevin", "kevin"]),
        ("naam m. bouzid, hoe help ik hem met zijn aanvraag", ["m. bouzid"]),
        ("de kinderen ayoub en yasmina gaan niet naar school", ["ayoub", "yasmina"]),
        ("cliënte mariam sultani vraagt om een tolk", ["mariam sultani"]),
        ("Mw Wil Hoek vraagt hulp", ["Wil Hoek"]),
    ],
)
def test_names_in_any_case_are_removed(deid, text, names):
    assert removed(deid.deidentify(text), "persoon") == names


@pytest.mark.parametrize(
    "text",
    [
        "haar man wil scheiden en meneer werd boos aan de balie",
        "sinds overlijden van haar man heel angstig, dementie of iets anders?",
        "Ze heeft 2 kinderen. Wie kan helpen?",
        "zijn zoon erin laten wonen na overlijden, kan dat bij de corporatie?",
        "aanmeldng zelfmeldr via huisarts",
        "hoop dat iemand weet hoe de schuldhulpverlening werkt",
        "klant ff gebeld over de wmo en het pgb",
    ],
)
def test_ordinary_words_after_cues_are_no_names(deid, text):
    assert removed(deid.deidentify(text), "persoon") == []


def test_a_name_is_a_lexicon_word_that_is_no_inflected_form():
    assert is_name("bakker") and is_base_form("bakker") and is_dutch_word("bakker")
    assert is_base_form("boer") and is_base_form("hoop")  # stems of boeren and hopen
    assert not is_base_form("werd") and not is_base_form("belt")
    assert verb_stems("vriezen") >= {"vries"} and verb_stems("bassen") >= {"bas"}
    assert is_dutch_word("schuldhulpverlening")  # a compound of known words


@pytest.mark.parametrize(
    ("text", "postcode"),
    [
        ("woont in 3531 ab utrecht", "3531 ab"),
        ("postcode 3531AB", "3531AB"),
        ("3531ab is de postcode", "3531ab"),
        ("Berlijnplein 202 3541 cm Utrecht", "3541 cm"),
        ("postcode 3553 en", "3553 en"),
    ],
)
def test_postcodes_in_any_case_and_spacing(deid, text, postcode):
    assert removed(deid.deidentify(text), "postcode") == [postcode]


@pytest.mark.parametrize("text", ["in 2019 en 2020 op de lijst", "1500 en nog 12 km verder"])
def test_numbers_before_words_and_units_are_no_postcodes(deid, text):
    assert removed(deid.deidentify(text), "postcode") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("ze is geboren in '74 en heeft geen uitkering", "'74"),
        ("geb 3-4-88, woont alleen", "3-4-88"),
        ("3 april 1988 geboren en nu dakloos", "3 april 1988"),
        ("geb. maart 1961", "maart 1961"),
        ("fatima (1961) belde", "1961"),
        ("dhr Ferry Pattinama 1959 wil verhuizen", "1959"),
    ],
)
def test_birth_dates_with_the_cue_before_or_after(deid, text, date):
    assert removed(deid.deidentify(text), "geboortedatum") == [date]


def test_other_years_stay(deid):
    text = "sinds 2019 in de schuldhulp, in 2021 verhuisd naar Overvecht"
    assert deid.deidentify(text).text == text


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("geb. 07-05-1986 0031 6 28471103 wil bijstand", "0031 6 28471103"),
        ("11-06-1995 06 4419 0283 heeft een baby", "06 4419 0283"),
        ("bel 0032 470 12 34 56 na vijven", "0032 470 12 34 56"),
        ("tel +31(0)30 1234567", "+31(0)30 1234567"),
    ],
)
def test_phone_numbers_in_every_form(deid, text, phone):
    assert removed(deid.deidentify(text), "telefoon") == [phone]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("adres Ibisdreef 12-2hg", "Ibisdreef 12-2hg"),
        ("woont op de marco pololaan 214-bis", "marco pololaan 214-bis"),
        ("Kanaalweg nr. 7 bis", "Kanaalweg nr. 7 bis"),
        ("kanaalstraat huisnr 12a", "kanaalstraat huisnr 12a"),
        ("Amsterdamsestraatweg 512-3", "Amsterdamsestraatweg 512-3"),
    ],
)
def test_house_numbers_with_additions_and_number_words(deid, text, address):
    assert removed(deid.deidentify(text), "adres") == [address]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("het gezin haile woont met vier kinderen in een flat", ["haile"]),
        ("meneer van der berg heeft het formulier", ["van der berg"]),
        ("dhr piet van 't veer krijgt leefgeld", ["piet van 't veer"]),
        ("mw vissers zit in de schuldhulp", ["vissers"]),  # a plural noun, a surname
        ("lotte (19) wil op zichzelf wonen", ["lotte"]),
        ("op bezoek bij kees en ria de vos", ["kees", "ria de vos"]),
    ],
)
def test_names_from_families_particles_ages_and_pairs(deid, text, names):
    assert sorted(removed(deid.deidentify(text), "persoon")) == sorted(names)


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("naam Sandra Rijkaard, 4-11-88, belt morgen", "4-11-88"),
        ("meneer Latuperisa (Moluks, 1951) woont alleen", "1951"),
        ("fatima el amrani ('72) zoekt werk", "'72"),
        ("mw jolanda pinas (3 feb '90) heeft een zoon", "3 feb '90"),
    ],
)
def test_a_date_next_to_a_name_is_its_birth_date(deid, text, date):
    assert removed(deid.deidentify(text), "geboortedatum") == [date]


def test_a_date_later_in_the_sentence_is_no_birth_date(deid):
    text = "mw jansen heeft sinds 2019 schulden en op 12-03-2025 een afspraak"
    assert removed(deid.deidentify(text), "geboortedatum") == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        # the subject of a birth date, and the name joined to it by "en"
        ("tamrat en hiwet zijn broer en zus. tamrat geb 1988", ["tamrat", "hiwet", "tamrat"]),
        ("bilal is 2001 geboren en zoekt werk", ["bilal"]),
        # a possessive before a relation
        ("jan's dochter belt steeds over de huur", ["jan"]),
        # a first name that is also a common word recurs as it was written
        ("dochter roos (7) wil niet naar school, roos huilt veel", ["roos", "roos"]),
        # a first name, particles and a surname, without a cue
        ("koen van dijk heeft een brief van het CJIB", ["koen van dijk"]),
        # initials without a cue, a first name the dictionary knows only as a proper noun
        ("de huurder is r. janssen en betaalt niet", ["r. janssen"]),
        ("willemijn vraagt om een tolk", ["willemijn"]),
    ],
)
def test_names_found_from_the_findings_around_them(deid, text, names):
    assert removed(deid.deidentify(text), "persoon") == names


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("ze werkt in de kas, 1980 geboren, en heeft rugklachten", "in de kas,"),  # came earlier
        ("haar zus woont in groningen en belt ons steeds", "in groningen en"),  # also a surname
        ("de zoon verkoopt een roos; een roos kost 2 euro", "een roos; een roos kost"),
        ("kennismaking 26-0193 12 jan", "12 jan"),  # a month after a day number
        ("Meneer Kok uit Vleuten is kok geweest", "is kok geweest"),  # the trade, in lower case
    ],
)
def test_places_trades_months_and_common_words_stay(deid, text, kept):
    assert kept in deid.deidentify(text).text


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("fam. el idrissi, geb 1981 resp. 1985", ["1981", "1985"]),
        ("hij geb 1950 zij 1953, allebei slecht ter been", ["1950", "1953"]),
    ],
)
def test_a_list_after_a_birth_cue_is_all_birth_dates(deid, text, dates):
    assert removed(deid.deidentify(text), "geboortedatum") == dates


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("tetiana belt, haar leefgeld is niet gestort", ["tetiana"]),  # KMU 2010 transliteration
        ("bezoek bij dhr van der meer, 82 jaar", ["van der meer"]),  # a surname after particles
        ("achternaam el khatib, voornaam onbekend", ["el khatib"]),  # a naming noun
        ("gesprek met wim en ans jacobs over de trap", ["wim", "ans jacobs"]),
    ],
)
def test_second_round_names(deid, text, names):
    assert removed(deid.deidentify(text), "persoon") == names


@pytest.mark.parametrize(
    "text",
    [
        "een team bestaat uit circa tien van die generalistische hulpverleners",
        "cijfers 2017 jan t/m mei, daarna per kwartaal",
        "onvergetelijk leven b.v.\t6\t7",
    ],
)
def test_numbers_months_and_company_forms_are_no_names(deid, text):
    assert removed(deid.deidentify(text), "persoon") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("dhr yilmaz is van '71 en heeft last van zijn rug", "'71"),
        ("zij is van 1985, alleenstaand", "1985"),
        ("mevrouw is jaargang 1950 en woont alleen", "1950"),
    ],
)
def test_a_person_of_a_year_is_born_in_it(deid, text, date):
    assert removed(deid.deidentify(text), "geboortedatum") == [date]


def test_the_letter_of_a_year_is_no_birth_date(deid):
    assert (
        removed(deid.deidentify("de brief is van 2023 en nog niet betaald"), "geboortedatum") == []
    )


def test_cyrillic_names_by_the_passport_standards():
    assert transliterate("Ірина", _KMU_2010, _KMU_2010_INITIAL) == "iryna"
    assert transliterate("Юлія", _KMU_2010, _KMU_2010_INITIAL) == "yuliia"
    assert transliterate("Ирина", _ICAO_9303, {}) == "irina"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("jongen gebore in 1988, blowt veel", ["1988"]),  # a typo of the cue
        ("gb 14/7/82 mw pinas", ["14/7/82"]),  # the cue's consonants
        ("ze is van 86, net op zichzelf", ["86"]),  # a bare year right at a cue
        ("hij is 79 geboren", ["79"]),
        ("baby is geboren op 2 februari", ["2 februari"]),  # a day and month at a cue
        ("dhr arslan (06-1988) krijgt minder", ["06-1988"]),  # month and year in digits
        ("dhr vos geboren in ‘57, zelfverwaarlozing", ["‘57"]),  # a left quote as apostrophe
        ("echtpaar: mw 1949, dhr 1946", ["1949", "1946"]),  # after a person noun
        ("vader is geboren in 1975 en moeder elif in 1980", ["1975", "1980"]),  # a list
        ("shurandy is van 2008 en komt terug", ["2008"]),  # someone who is of a year
    ],
)
def test_fifth_round_birth_dates(deid, text, dates):
    assert removed(deid.deidentify(text), "geboortedatum") == dates


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("een vrouw van 98 die alleen woont", "van 98"),  # an age
        ("de brief is van 2023 en nog open", "2023"),
        ("kind zit op het Globe College in Overvecht", "Globe College"),  # an institution
    ],
)
def test_ages_letters_and_institutions_stay(deid, text, kept):
    assert kept in deid.deidentify(text).text


def test_the_rules_keep_the_year_of_a_thing():
    """The rules keep it; the learned detector takes this year (a recent year after "van",
    as in "ze is van 2019"): one of the removals it adds that are no client data, which its
    threshold allows one in four of (evaluation/privacy_train.py, MIN_PRECISION)."""
    rules = Deidentifier(use_deduce=False, max_birth_year=2012, use_learned=False)
    text = "de bijeenkomst is geboren uit een idee van 2019"
    assert rules.deidentify(text).text == text


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("woont Balijelaan 61 BS, 3e verdieping", "Balijelaan 61 BS, 3e verdieping"),
        ("huurt een kamer op Oudegracht 210 kamer 4 sinds mei", "Oudegracht 210 kamer 4"),
        ("adres Vleutenseweg 12 app. 3", "Vleutenseweg 12 app. 3"),
    ],
)
def test_bag_additions_of_capitals_and_rooms_in_shared_housing(deid, text, address):
    assert removed(deid.deidentify(text), "adres") == [address]


def test_an_organisation_after_a_house_number_stays(deid):
    result = deid.deidentify("woont op Kanaalstraat 12 GGD komt morgen langs")
    assert removed(result, "adres") == ["Kanaalstraat 12"] and "GGD" in result.text


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("mail: s.bakker (at) gmail.com graag", "s.bakker (at) gmail.com"),
        ("mailt vanaf y.demir[at]hotmail.nl nu", "y.demir[at]hotmail.nl"),
        ("haar mail is fatima apenstaartje outlook.com", "fatima apenstaartje outlook.com"),
    ],
)
def test_an_at_sign_written_out_is_still_an_email(deid, text, email):
    assert removed(deid.deidentify(text), "email") == [email]


def test_an_iban_of_a_country_outside_the_registry_passes_on_its_checksum(deid):
    # Morocco uses 28-character IBAN-formatted accounts not in the ISO 13616 registry
    text = "rekening van broer MA64 0115 1900 0001 2050 0053 4921 voor de huur"
    assert removed(deid.deidentify(text), "iban") == ["MA64 0115 1900 0001 2050 0053 4921"]
    broken = "order MA65 0115 1900 0001 2050 0053 4921 geleverd"
    assert removed(deid.deidentify(broken), "iban") == []


@pytest.mark.parametrize(
    ("text", "email"),
    [
        ("mailen op o.ozturk[at]gmail[dot]com graag", "o.ozturk[at]gmail[dot]com"),
        ("mail hiba.a[at]yahoo[.]com voor de factuur", "hiba.a[at]yahoo[.]com"),
        (
            "email priya punt ramsaran at gmail punt com ze belt",
            "priya punt ramsaran at gmail punt com",
        ),
    ],
)
def test_an_address_written_out_against_harvesters_or_said_aloud(deid, text, email):
    assert removed(deid.deidentify(text), "email") == [email]


def test_at_and_punt_in_a_sentence_without_a_domain_are_no_address(deid):
    text = "ze is at home, punt uit, en belt de Stadsbank"
    assert removed(deid.deidentify(text), "email") == []


@pytest.mark.parametrize(
    ("text", "date"),
    [("geb. 11 III 1985 in Gdansk", "11 III 1985"), ("geboren 2.IV.1975 (paspoort)", "2.IV.1975")],
)
def test_a_birth_date_with_a_roman_month_as_in_eastern_european_papers(deid, text, date):
    assert removed(deid.deidentify(text), "geboortedatum") == [date]


def test_international_prefix_with_hyphens(deid):
    text = "bel dhr via 0031-6-23344556 na vijven"
    assert removed(deid.deidentify(text), "telefoon") == ["0031-6-23344556"]


def test_a_street_with_an_ordinal_keeps_it(deid):
    text = "woont nu Tweede Daalsedijk 7 kamer 3 met haar zoon"
    assert removed(deid.deidentify(text), "adres") == ["Tweede Daalsedijk 7 kamer 3"]
