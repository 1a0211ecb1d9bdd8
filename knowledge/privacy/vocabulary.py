"""What a word is, case-insensitively: a known first name or surname, or a Dutch word.

Phone-typed questions write names in lower case ("mevrouw fatima el amrani belde"), so a
capital letter cannot be the evidence. The evidence comes from lexicons, all shipped inside
installed packages (no download, no list of our own):

- first names and surnames: deduce's Dutch name lists (Meertens Instituut and CBS sources,
  including the names of Dutch residents of every origin), plus Faker's name lists of the
  countries Utrecht's residents most often come from or have roots in (Morocco/Maghreb,
  Turkey, Surinam/India/Indonesia, Poland, Romania, Bulgaria, the Horn of Africa and East
  Africa, West Africa, Syria/Pakistan/Afghanistan in Latin transcription, Southern Europe),
  and Faker's Ukrainian and Russian names transliterated by the standards of their passports
  (KMU 2010, ICAO Doc 9303);
- Dutch words: simplemma's Dutch dictionary (Wiktionary word forms), with compounds of known
  words counted as known, and deduce's lists of words that are never names (common words,
  medical terms, eponymous diseases such as "alzheimer"), and the adverbs of time Dutch builds
  from a day and a part of it (lexicon.TEMPORAL_ADVERBS: "eergisteren", "zondagavond").

Invariants: every lookup folds case and diacritics (Öztürk = ozturk); the lexicons are loaded
once per process on first use and never change afterwards, so lookups are thread-safe.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.privacy.lexicon import TEMPORAL_ADVERBS

# Faker person-name locales in Latin script, chosen for Utrecht's population (see above).
FAKER_LOCALES = (
    "nl_NL",
    "nl_BE",
    "tr_TR",
    "az_AZ",
    "fr_DZ",
    "en_PK",
    "en_IN",
    "id_ID",
    "pl_PL",
    "ro_RO",
    "hr_HR",
    "sk_SK",
    "cs_CZ",
    "hu_HU",
    "tw_GH",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "en_KE",
    "sw",
    "es_ES",
    "pt_PT",
    "pt_BR",
    "it_IT",
    "fr_FR",
    "de_DE",
    "en_GB",
    "en_US",
)
# Shorter entries of the name lists are mostly abbreviations and noise ("Ab", "Ed").
MIN_NAME_LENGTH = 3
# A compound counts as Dutch when its parts are known words of at least this length (with 3,
# "sultani" read as "sul" + "tani").
MIN_COMPOUND_PART = 4

_lock = threading.Lock()


def fold(word: str) -> str:
    """Lower case without diacritics: how a phone-typed word is compared with a lexicon."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("’", "'")


def _deduce_list(*path: str) -> set[str]:
    """One of deduce's lookup lists, folded. The lists are plain text files inside the
    package; importing deduce would build its lookup structures and reconfigure the root
    logger, so only the package's location is looked up."""
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        return set()
    folder = Path(next(iter(spec.submodule_search_locations))).joinpath(
        "data", "lookup", "src", *path
    )
    items = _read(folder / "items.txt") - _read(folder / "exceptions.txt")
    return {fold(item) for item in items}


def _deduce_names(kind: str) -> set[str]:
    return _deduce_list("names", kind)


@cache
def _whitelist() -> frozenset[str]:
    """deduce's words that are never names: common words, medical terms, eponymous diseases
    ("alzheimer"), single words only."""
    words = set()
    for path in (
        ("whitelist", "lst_common_word"),
        ("whitelist", "lst_stop_word"),
        ("whitelist", "lst_medical_term"),
        ("whitelist", "lst_eponymous_disease"),
        ("whitelist", "lst_eponymous_disease", "lst_eponymous_single"),
    ):
        words |= {w for item in _deduce_list(*path) for w in item.split()}
    return frozenset(words)


def _read(path: Path) -> set[str]:
    if not path.exists():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}


def _faker_values(kind: str, locale: str, attribute: str) -> Iterable[str]:
    """A list of a Faker provider ("person" or "address") of one locale; empty when that
    Faker release lacks the locale or the list."""
    try:
        provider = importlib.import_module(f"faker.providers.{kind}.{locale}").Provider
    except (ImportError, AttributeError):
        return ()
    values: Iterable[str] = getattr(provider, attribute, ())
    return values


def _faker_names(attribute: str) -> set[str]:
    return {
        fold(name)
        for locale in FAKER_LOCALES
        for name in _faker_values("person", locale, attribute)
        if _latin(name)
    }


# Cyrillic names as Dutch records write them: Ukrainian by the national standard (KMU 2010,
# used in Ukrainian passports), Russian by ICAO Doc 9303 (machine-readable travel documents).
# Word-initial forms of KMU 2010 (є, ї, й, ю, я) come first.
_KMU_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def _table(pairs: str) -> dict[str, str]:
    """A transliteration table written as "letter latin" pairs ("-": the letter is dropped)."""
    items = pairs.split()
    return dict(zip(items[::2], items[1::2], strict=True))


_KMU_2010 = _table(
    "а a б b в v г h ґ g д d е e є ie ж zh з z и y і i ї i й i к k л l м m н n о o п p р r "
    "с s т t у u ф f х kh ц ts ч ch ш sh щ shch ь - ю iu я ia ' - ’ - ʼ -"
)
_ICAO_9303 = _table(
    "а a б b в v г g д d е e ё e ж zh з z и i й i к k л l м m н n о o п p р r с s т t у u "
    "ф f х kh ц ts ч ch ш sh щ shch ъ ie ы y ь - э e ю iu я ia"
)
CYRILLIC_LOCALES: tuple[tuple[str, dict[str, str], dict[str, str]], ...] = (
    ("uk_UA", _KMU_2010, _KMU_2010_INITIAL),
    ("ru_RU", _ICAO_9303, {}),
)


def transliterate(name: str, table: dict[str, str], initial: dict[str, str]) -> str:
    """A Cyrillic name in Latin letters by a standard's table ("-" drops a letter)."""
    out = []
    for index, char in enumerate(name.casefold()):
        start = index == 0 or not name[index - 1].isalpha()
        latin = (initial.get(char) if start else None) or table.get(char, char)
        out.append("" if latin == "-" else latin)
    return "".join(out)


def _cyrillic_names(attribute: str) -> set[str]:
    return {
        fold(transliterate(name, table, initial))
        for locale, table, initial in CYRILLIC_LOCALES
        for name in _faker_values("person", locale, attribute)
    }


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


def _single_words(names: Iterable[str]) -> frozenset[str]:
    """Every word of every name ("el amrani" gives "amrani"), long enough to mean something."""
    return frozenset(
        word for name in names for word in name.replace("-", " ").split() if len(word) >= 3
    )


COMMUNITY_NAMES_FILE = Path(__file__).resolve().parent.parent / "data" / "privacy_first_names.txt"


@cache
def community_first_names() -> frozenset[str]:
    """knowledge/data/privacy_first_names.txt, folded: first names of Utrecht's population
    groups the other lists miss. A name that is a whole Dutch word, one of deduce's common
    words or a place is left out, so it is judged as the ambiguous word it is."""
    listed = {
        fold(word)
        for line in _read(COMMUNITY_NAMES_FILE)
        if not line.startswith("#")
        for word in line.split()
    }
    return frozenset(
        name
        for name in listed
        if not _known(name, parts=1) and name not in _whitelist() and name not in places()
    )


@cache
def first_names() -> frozenset[str]:
    community = community_first_names()  # reads places(), which takes the lock itself
    with _lock:
        names = _deduce_names("lst_first_name") | community
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            names |= _faker_names(attribute) | _cyrillic_names(attribute)
        return frozenset(n for n in _single_words(names) if len(n) >= MIN_NAME_LENGTH)


@cache
def surnames() -> frozenset[str]:
    with _lock:
        names = _deduce_names("lst_surname") | _deduce_names("lst_interfix_surname")
        names |= _faker_names("last_names") | _cyrillic_names("last_names")
        return frozenset(n for n in _single_words(names) if len(n) >= MIN_NAME_LENGTH)


@cache
def _simplemma_known() -> object:
    import simplemma

    simplemma.is_known("en", lang="nl")  # loads the Dutch dictionary once
    return simplemma


@cache
def _dictionary() -> Mapping[str, str]:
    """simplemma's Dutch word forms with their lemmas, case kept ("jan" -> "Jan")."""
    from simplemma.strategies.dictionaries import DefaultDictionaryFactory

    dictionary: Mapping[str, str] = DefaultDictionaryFactory().get_dictionary("nl")
    return dictionary


def has_common_reading(word: str) -> bool:
    """Whether the dictionary knows the word as a whole as a common word: Wiktionary also
    lists given names, and simplemma keeps their capitalised lemma ("kim" -> "Kim", "rik"
    only as "Rik"), whereas "roos" -> "roos" and "bakker" -> "bakker" are common words."""
    dictionary = _dictionary()
    lemmas = (dictionary.get(key) for key in {word.casefold().replace("’", "'"), fold(word)})
    return any(lemma is not None and not lemma[:1].isupper() for lemma in lemmas)


@cache
def is_dutch_word(word: str) -> bool:
    """A word of the Dutch dictionary, or a compound of up to three ("schuldhulpverlening").

    A known first name counts only with a common reading of its own: the dictionary's
    proper nouns ("kim", "willemijn") and compound readings of a name ("wille" + "mijn") are
    no evidence against a first name. Surnames keep the proper nouns: many are also places
    ("groningen", "spanje"), which the dictionary lists the same way."""
    lower = word.casefold().replace("’", "'")
    if fold(word) in _whitelist() or fold(word) in TEMPORAL_ADVERBS:
        return True
    if is_first_name(word):
        return has_common_reading(word)
    return _known(lower, parts=3) or _known(fold(word), parts=3)


@cache
def is_whole_dutch_word(word: str) -> bool:
    """A word the dictionary lists as it stands, not only as a compound of its parts:
    "achterzijde" and "antwoord" are listed, the street "zuidzijde" is not."""
    return _known(word.casefold().replace("’", "'"), parts=1) or _known(fold(word), parts=1)


def _known(word: str, parts: int) -> bool:
    """Known as a whole, or a known head followed by a known compound of fewer parts; the
    linking s of Dutch compounds ("levensvragen") may sit between."""
    simplemma: Any = _simplemma_known()
    if simplemma.is_known(word, lang="nl"):
        return True
    if parts <= 1:
        return False
    for cut in range(MIN_COMPOUND_PART, len(word) - MIN_COMPOUND_PART + 1):
        if simplemma.is_known(word[:cut], lang="nl"):
            tail = word[cut:]
            if _known(tail, parts - 1):
                return True
            if tail[0] == "s" and len(tail) > MIN_COMPOUND_PART and _known(tail[1:], parts - 1):
                return True
    return False


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


@cache
def is_near_dutch_word(word: str) -> bool:
    """A Dutch word with one typo ("aanmeldng", "huurachterstnd"): one letter deleted,
    inserted, replaced or two swapped (Norvig's edits), checked against the dictionary."""
    folded = fold(word)
    if len(folded) < 4:
        return False
    splits = [(folded[:i], folded[i:]) for i in range(len(folded) + 1)]
    candidates = {a + b[1:] for a, b in splits if b}
    candidates |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    candidates |= {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    candidates |= {a + c + b for a, b in splits for c in _ALPHABET}
    candidates.discard(folded)
    return any(_known(candidate, parts=1) for candidate in candidates)


@cache
def is_base_form(word: str) -> bool:
    """Not an inflected verb: a dictionary form, a noun in any form, or the bare stem of a
    verb, which Dutch nouns share ("boer" of "boeren", "hoop" of "hopen", "kuipers" of
    "kuiper"): "groot", "bakker", "boer", but not "werd" (of "worden") or "belt" (of
    "bellen"). A lemma ending in -en is read as a verb."""
    simplemma: Any = _simplemma_known()
    lower = word.casefold()
    lemma = str(simplemma.lemmatize(lower, lang="nl"))
    return lemma == lower or not lemma.endswith("en") or lower in verb_stems(lemma)


def verb_stems(infinitive: str) -> set[str]:
    """The Dutch first-person stem of a verb by the spelling rules: drop -en, undouble a
    doubled consonant (bassen: bas), double the vowel of an open syllable (hopen: hoop), and
    write a final v or z as f or s (leven: leef, vriezen: vries)."""
    if not infinitive.endswith("en") or len(infinitive) < 4:
        return set()
    stem = infinitive[:-2]
    stems = {stem}
    if len(stem) >= 2 and stem[-1] == stem[-2]:
        stems.add(stem[:-1])
    if len(stem) >= 3 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
        stems.add(stem[:-1] + stem[-2] + stem[-1])
    final = {"v": "f", "z": "s"}
    return stems | {s[:-1] + final[s[-1]] for s in stems if s[-1] in final}


@cache
def places() -> frozenset[str]:
    """One-word place names: deduce's Dutch provinces, regions, municipalities and residences,
    and Faker's Dutch names of countries and Belgian towns ("groningen", "spanje", "curaçao",
    "antwerpen"). Many are also surnames, and a dictionary does not know them."""
    with _lock:
        names = _deduce_list("locations", "lst_placename", "lst_province")
        for kind in ("lst_region", "lst_municipality", "lst_residence"):
            names |= _deduce_list("locations", "lst_placename", kind)
        for locale, attribute in (("nl_NL", "countries"), ("nl_BE", "cities")):
            names |= {fold(name) for name in _faker_values("address", locale, attribute)}
        return frozenset(name for name in names if " " not in name and "-" not in name)


PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "privacy_places.txt"


@cache
def place_names() -> frozenset[str]:
    """Countries and territories in one or more words, folded: the ISO 3166 names in Dutch
    (Faker's nl_NL list: "sint maarten", "verenigde staten", "saoedi-arabie"), each part of a
    joint entry ("bonaire, sint eustatius en saba"), and knowledge/data/privacy_places.txt."""
    with _lock:
        names = {fold(name) for name in _faker_values("address", "nl_NL", "countries")}
        lines = _read(PLACES_FILE)
        names |= {fold(line) for line in lines if not line.startswith("#")}
        for name in list(names):
            names |= {part.strip() for part in name.replace(" en ", ",").split(",")}
        return frozenset(name for name in names if name)


def is_place(word: str) -> bool:
    return fold(word) in places()


def is_first_name(word: str) -> bool:
    return fold(word) in first_names()


def is_surname(word: str) -> bool:
    return fold(word) in surnames()


def is_name(word: str) -> bool:
    folded = fold(word)
    return folded in first_names() or folded in surnames()
