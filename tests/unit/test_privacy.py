"""De-identification with our own detectors only (deduce off), so these run in milliseconds.

The sentences are written for these tests (invented people), not taken from the eval set.
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError

import pytest

from evaluation.privacy import evaluate_privacy, load_cases
from knowledge.privacy import Deidentified, Deidentifier, KeepList, RemovedSpan
from knowledge.privacy.iban import is_valid_iban
from knowledge.privacy.keep import DEFAULT_KEEP_FILE
from knowledge.privacy.patterns import passes_eleven_test


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier(use_deduce=False, max_birth_year=2012)


def removed(result: Deidentified, kind: str) -> list[str]:
    return [span.original for span in result.removed if span.kind == kind]


# --- BSN -----------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["111222333", "123456782", "012345672"])
def test_eleven_test_accepts_valid_bsns(digits):
    assert passes_eleven_test(digits)


@pytest.mark.parametrize("digits", ["111222334", "107261207", "000000000", "12345678"])
def test_eleven_test_rejects_invalid_numbers(digits):
    assert not passes_eleven_test(digits)


@pytest.mark.parametrize(
    "bsn",
    [
        "111222333",  # plain
        "1112.22.333",  # dotted 4-2-3
        "111 222 333",  # spaced 3-3-3
        "12345672",  # 8 digits: leading zero dropped, needs the label
    ],
)
def test_labelled_bsn_is_removed(deid, bsn):
    result = deid.deidentify(f"Haar BSN is {bsn}, wie helpt met de aanvraag?")
    assert removed(result, "bsn") == [bsn]
    assert result.text == "Haar BSN is [BSN], wie helpt met de aanvraag?"


def test_valid_bsn_without_label_is_removed(deid):
    assert removed(deid.deidentify("Klant (123456782) wil hulp."), "bsn") == ["123456782"]


def test_nine_digit_number_failing_eleven_test_is_kept(deid):
    text = "Mijn klant heeft order 107261207 nooit ontvangen."
    assert deid.deidentify(text).text == text


def test_valid_number_labelled_as_order_or_case_is_kept(deid):
    text = "Dossiernummer 123456782 staat nog open bij de gemeente."
    assert deid.deidentify(text).text == text


# --- IBAN, phone, e-mail, postcode --------------------------------------------------------


@pytest.mark.parametrize(
    "iban", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "BE68 5390 0754 7034"]
)
def test_iban_with_valid_checksum_is_removed(deid, iban):
    result = deid.deidentify(f"De huur gaat van {iban} af.")
    assert removed(result, "iban") == [iban]
    assert is_valid_iban(iban.replace(" ", ""))


def test_iban_with_wrong_checksum_is_kept_without_a_label(deid):
    assert not is_valid_iban("NL91ABNA0417164301")
    assert removed(deid.deidentify("Kenmerk NL91ABNA0417164301 klopt niet."), "iban") == []


@pytest.mark.parametrize(
    ("text", "iban"),
    [
        ("Rekening NL91ABNA0417164301 klopt niet.", "NL91ABNA0417164301"),
        ("iban: nl12 abcd 0123 4567 89 graag", "nl12 abcd 0123 4567 89"),
        ("rek.nr. BE71 0961 2345 6768 staat op de brief", "BE71 0961 2345 6768"),
    ],
)
def test_iban_shaped_string_after_a_label_is_removed_even_with_a_bad_checksum(deid, text, iban):
    assert removed(deid.deidentify(text), "iban") == [iban]


@pytest.mark.parametrize(
    "iban",
    [
        "BE71 0961 2345 6769",  # Belgium, 16
        "DE89 3704 0044 0532 0130 00",  # Germany, 22
        "PL61 1090 1014 0000 0712 1981 2874",  # Poland, 28
        "TR33 0006 1005 1978 6457 8413 26",  # Turkey, 26
    ],
)
def test_ibans_of_every_registered_country_are_checked_by_their_length_and_mod_97(iban):
    compact = iban.replace(" ", "")
    assert is_valid_iban(compact)
    assert not is_valid_iban(compact + "0")  # one character more is another country's length


def test_an_unregistered_country_is_judged_by_mod_97_alone():
    """Morocco uses IBAN-formatted accounts outside the ISO 13616 registry."""
    assert is_valid_iban("ma64011519000001205000534921")
    assert not is_valid_iban("MA64011519000001205000534922")


@pytest.mark.parametrize(
    "phone",
    [
        "06-12345678",
        "0612345678",
        "06 12 34 56 78",
        "06-12 34 56 78",
        "06 1234 5678",
        "030-2345678",
        "030 234 56 78",
        "(030) 234 56 78",
        "+31 6 1234 5678",
        "+31612345678",
        "0031 6 12345678",
        "+31 30 234 5678",
    ],
)
def test_dutch_phone_numbers_are_removed(deid, phone):
    result = deid.deidentify(f"Bel hem op {phone} na vijven.")
    assert removed(result, "telefoon") == [phone]
    assert result.text == "Bel hem op [telefoonnummer] na vijven."


@pytest.mark.parametrize(
    "service", ["0800-1234", "0800 0432", "0900 1234567", "0906-123456", "0909 1234", "14 020"]
)
def test_service_numbers_reach_an_organisation_and_stay(deid, service):
    """Numbering plan: free-phone, paid and municipal numbers are nobody's own number."""
    text = f"Bel de hulplijn op {service} na vijven."
    assert deid.deidentify(text).text == text


def test_case_number_with_dash_is_not_a_phone_number(deid):
    text = "Zaaknummer 2026-004417 gaat over de huur."
    assert deid.deidentify(text).text == text


@pytest.mark.parametrize("email", ["jan.jansen@example.nl", "a_b+c@mail.example.com"])
def test_email_is_removed(deid, email):
    result = deid.deidentify(f"Mail naar {email}.")
    assert result.text == "Mail naar [e-mailadres]."


@pytest.mark.parametrize("postcode", ["3562 JT", "3523KP", "3523kp"])
def test_postcode_is_removed(deid, postcode):
    assert removed(deid.deidentify(f"Ze woont in {postcode} Utrecht."), "postcode") == [postcode]


def test_four_digits_alone_are_not_a_postcode(deid):
    text = "Klant met postcode 3554 zoekt de dichtstbijzijnde voedselbank."
    assert deid.deidentify(text).text == text


# --- dates of birth -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Mevrouw is geboren 12-03-1961 in Paramaribo.", "12-03-1961"),
        ("Hij is geb. 3 mei 1950, weduwnaar.", "3 mei 1950"),
        ("De cliënt (12-3-1961) woont alleen.", "12-3-1961"),
        ("Zoon (geb. 1994) woont nog thuis.", "1994"),
        ("Geboren op 9 februari 1970 in Tanger.", "9 februari 1970"),
        ("Meneer, geb. 7 okt '48, is slechtziend.", "7 okt '48"),
        ("Geboortedatum: 01.02.1955.", "01.02.1955"),
    ],
)
def test_date_of_birth_is_removed(deid, text, date):
    assert removed(deid.deidentify(text), "geboortedatum") == [date]


def test_recent_date_without_birth_cue_is_kept(deid):
    text = "Sinds 01-03-2024 zit hij in de schuldsanering."
    assert deid.deidentify(text).text == text


# --- addresses and names ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "Marco Pololaan 214",
        "Amsterdamsestraatweg 12bis",
        "Kanaalstraat 12 bis",
        "Jan van Scorelstraat 88",
        "Burgemeester Reigerstraat 15",
        "Oudegracht 301A",
        "Tigrisdreef 7-2",
    ],
)
def test_street_with_house_number_is_removed(deid, address):
    result = deid.deidentify(f"Zijn laatste adres was {address}, daarna sliep hij buiten.")
    assert removed(result, "adres") == [address]


def test_address_typed_in_lower_case_is_removed(deid):
    result = deid.deidentify("mevr woont op de vleutenseweg 12 en is haar pinpas kwijt")
    assert removed(result, "adres") == ["vleutenseweg 12"]


def test_address_after_cue_without_street_suffix_is_removed(deid):
    assert removed(deid.deidentify("Ze woont op Neude 11 boven de winkel."), "adres") == [
        "Neude 11"
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mevrouw Fatima El Amrani vraagt om hulp.", "Fatima El Amrani"),
        ("Gesprek met dhr. J.P. de Vries over zijn schulden.", "J.P. de Vries"),
        ("Mevrouw de Wit wil verhuizen.", "de Wit"),
        ("Klant Gert-Jan Verhoeven heeft beschermingsbewind.", "Gert-Jan Verhoeven"),
        ("De familie Öztürk zoekt een tolk.", "Öztürk"),
        ("Mijn cliënt Paweł Kowalski is dakloos.", "Paweł Kowalski"),
        ("Meneer Van Noord woont in Noordoost.", "Van Noord"),
        ("Mevrouw Ria Oost woont in Oost.", "Ria Oost"),
        ("Zijn dochter Sanne belt elke dag.", "Sanne"),
        ("Klant (Jeroen, 41) zoekt werk.", "Jeroen"),
        ("Het gaat om Dawit, 34 jaar, uit Zuilen.", "Dawit"),
        ("Graag hulp voor de familie Van der Meer.", "Van der Meer"),
        ("Hij heet Piotr Nowicki en slaapt buiten.", "Piotr Nowicki"),
    ],
)
def test_name_after_title_or_relation_is_removed(deid, text, name):
    assert removed(deid.deidentify(text), "persoon") == [name]


def test_title_stays_readable(deid):
    assert deid.deidentify("Mevrouw Joke Smit belde.").text == "Mevrouw [naam] belde."


def test_name_without_title_is_found_by_its_capitals(deid):
    result = deid.deidentify("Tesfay Gebremedhin is statushouder en zoekt een taalmaatje.")
    assert removed(result, "persoon") == ["Tesfay Gebremedhin"]


def test_a_found_name_is_removed_everywhere(deid):
    result = deid.deidentify("De buurvrouw van Roos Visser belde: Roos eet niet meer.")
    assert removed(result, "persoon") == ["Roos Visser", "Roos"]


@pytest.mark.parametrize(
    "text",
    [
        "Kent iemand Stichting Al Amal of Buurtteam Overvecht De Gagel?",
        "De kinderen zitten op De Kleine Prins en gaan naar de cursus Positief Opvoeden.",
        "Een man van 62 uit Leidsche Rijn (78 jaar oud, eind 50 gezien) zoekt hulp.",
        "Heeft Mitros, Portaal of Bo-Ex een regeling? Of Veilig Thuis, Werk en Inkomen, het UWV?",
        "Wie kent Taal Doet Meer, het Leger des Heils of Humanitas Thuisadministratie?",
        "Vraag voor Kanaleneiland Zuid: loopt er schuldhulpverlening, WSNP of bijzondere bijstand?",
        "Hoog Catharijne, Tuindorp en Lombok: waar is een Sociaal Raadslid of de Voedselbank?",
        "mitros en overvecht in kleine letters blijven ook staan",
    ],
)
def test_routing_words_survive(deid, text):
    assert deid.deidentify(text).text == text


def test_keep_list_is_data_with_teams_and_organisations():
    keep = KeepList.load(DEFAULT_KEEP_FILE)
    for term in ("Zuilen", "Kanaleneiland", "Dichters- en Rivierenwijk", "Mitros", "Bo-Ex"):
        assert term in keep.terms
    assert not any(term.startswith("#") for term in keep.terms)


def test_custom_keep_list_protects_its_terms():
    deid = Deidentifier(use_deduce=False, keep=KeepList(["Zonnehuis Oost"]))
    assert deid.deidentify("Hij woont in Zonnehuis Oost.").text == "Hij woont in Zonnehuis Oost."


# --- the result object --------------------------------------------------------------------


TEXT = (
    "Meneer Ahmed Benali (geb. 1958), BSN 111222333, woont op Rijnlaan 5, 3522 BJ. "
    "Bel 06-12345678 of mail a.benali@example.nl; IBAN NL91 ABNA 0417 1643 00."
)


def test_offsets_point_into_the_original_text(deid):
    result = deid.deidentify(TEXT)
    assert [s.kind for s in result.removed] == [
        "persoon",
        "geboortedatum",
        "bsn",
        "adres",
        "postcode",
        "telefoon",
        "email",
        "iban",
    ]
    for span in result.removed:
        assert TEXT[span.start : span.end] == span.original
    starts_and_ends = [(s.start, s.end) for s in result.removed]
    assert starts_and_ends == sorted(starts_and_ends)
    assert all(a[1] <= b[0] for a, b in zip(starts_and_ends, starts_and_ends[1:], strict=False))


def test_redacted_text_replaces_each_span_by_its_placeholder(deid):
    assert deid.deidentify(TEXT).text == (
        "Meneer [naam] (geb. [geboortedatum]), BSN [BSN], woont op [adres], [postcode]. "
        "Bel [telefoonnummer] of mail [e-mailadres]; IBAN [IBAN]."
    )


def test_summary_in_dutch(deid):
    result = deid.deidentify("Klant Jeroen Bakker, BSN 111222333, zoekt hulp.")
    assert result.summary_nl() == "Verwijderd voordat experts je vraag zien: 1 naam, 1 BSN-nummer."
    assert result.kinds == {"persoon": 1, "bsn": 1}


def test_summary_uses_plurals(deid):
    result = deid.deidentify(
        "Mevrouw Joke Smit en meneer Piet Smit bellen 06-12345678 en 0612345679."
    )
    assert result.summary_nl() == (
        "Verwijderd voordat experts je vraag zien: 2 namen, 2 telefoonnummers."
    )


def test_nothing_removed_gives_empty_summary(deid):
    result = deid.deidentify("Wie kent een budgetcursus in Zuilen?")
    assert result.removed == ()
    assert result.summary_nl() == ""
    assert result.kinds == {}


def test_results_are_immutable(deid):
    result = deid.deidentify("Klant Jeroen Bakker zoekt werk.")
    with pytest.raises(FrozenInstanceError):
        result.text = "x"
    with pytest.raises(FrozenInstanceError):
        result.removed[0].original = "x"
    assert isinstance(result.removed[0], RemovedSpan)


# --- the evaluation metric ----------------------------------------------------------------


CASES = [
    {
        "id": "t1",
        "text": "Klant Jeroen Bakker uit Zuilen, BSN 111222333.",
        "spans": [
            {"start": 6, "end": 19, "kind": "persoon"},
            {"start": 36, "end": 45, "kind": "bsn"},
        ],
        "keep": ["Zuilen"],
    },
    {
        "id": "t2",
        "text": "Ordernummer 107261207 van Mitros.",
        "spans": [{"start": 12, "end": 21, "kind": "bsn"}],  # pretend gold: a miss for us
        "keep": ["Mitros"],
    },
]


def test_evaluate_privacy_counts_recall_and_over_redaction(deid):
    report = evaluate_privacy(CASES, deid)
    assert report["n"] == 2
    assert report["recall"] == {"persoon": 1.0, "bsn": 0.5}
    assert report["over_redaction"] == 0.0
    assert report["missed"] == [{"id": "t2", "kind": "bsn", "start": 12, "end": 21}]
    json.dumps(report)


def test_partly_removed_keep_string_counts_as_over_redaction(deid):
    case = {"id": "t3", "text": "Meneer Jan Zuilen-Oost woont hier.", "spans": [], "keep": ["Jan"]}
    report = evaluate_privacy([case], deid)
    assert report["over_redaction"] == 1.0
    assert report["missed"] == [{"id": "t3", "kind": "keep", "keep_index": 0}]


def test_load_cases_reads_jsonl(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in CASES) + "\n\n", encoding="utf-8")
    assert load_cases(path) == CASES
