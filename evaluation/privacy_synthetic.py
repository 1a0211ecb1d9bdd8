"""Synthetic birth dates: texts generated from a specification of how Dutch people write and
dictate a date, for the learned date detector's training and for tests of its candidates.

A text is a sentence template of one voice (case note, WhatsApp, dictation, form lines,
referral letter) with a person, a birth date written in one *form family* (FAMILIES: digits
with any separator, month names full/abbreviated/misspelled/English, a weekday before it,
number words, compact digits, a year alone, an apostrophe year), a birth cue before or after
it or none where the register says it (a form line, "van 2009" after a child), and hard
negatives: dates and years that are not birth dates (appointments, deadlines, "sinds 2015",
ages, years of events, invoice and case numbers, dates after "op", "tot", "per", "vanaf"),
written in the same families so that only the context tells them apart.

Invariants: the same seed and count give the same cases (random.Random(seed), lexicons read in
sorted order); only birth dates are labelled ("geboortedatum" spans); names are drawn from
the name lexicons (knowledge/privacy/vocabulary.py), never from any labelled set.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from knowledge.privacy.date_forms import (
    MONTH_ABBREVIATIONS,
    MONTHS_EN,
    MONTHS_NL,
    cardinals,
    ordinals,
)
from knowledge.privacy.vocabulary import first_names, is_dutch_word, surnames

SEED = 20261207
APOSTROPHES = ("'", "‘", "’", "`")
WEEKDAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
Date = tuple[int, int, int]  # day, month, year


def _number_word(rng: random.Random, n: int) -> str:
    words = [w for w, v in cardinals().items() if v == n and w != "één"]
    return rng.choice(sorted(words))


def _spoken_year(rng: random.Random, year: int) -> str:
    century, rest = divmod(year, 100)
    if century == 19:
        tail = _number_word(rng, rest) if rest else ""
        if rest >= 10 and rng.random() < 0.6:
            return f"negentien {tail}"
        return f"negentienhonderd{rng.choice(['', ' '])}{tail}".strip()
    if rest == 0:
        return "tweeduizend"
    if rest >= 10 and rng.random() < 0.3:
        return f"twintig {_number_word(rng, rest)}"
    return f"tweeduizend{rng.choice([' ', ''])}{_number_word(rng, rest)}"


def _slip(rng: random.Random, word: str) -> str:
    """One typing slip (a letter dropped, doubled, or two neighbours swapped) that does not
    spell a Dutch word: "maart" without its t is "maar", which no reader takes for a month."""
    while is_dutch_word(slip := _one_slip(rng, word)):
        pass
    return slip


def _one_slip(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    slip = rng.choice(("drop", "double", "swap"))
    if slip == "drop":
        return word[:i] + word[i + 1 :]
    if slip == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _pad(rng: random.Random, n: int) -> str:
    return f"{n:02d}" if n < 10 and rng.random() < 0.5 else str(n)


def _yy(rng: random.Random, year: int) -> str:
    return f"{year % 100:02d}"


def _year_text(rng: random.Random, year: int) -> str:
    r = rng.random()
    return str(year) if r < 0.7 else f"'{_yy(rng, year)}" if r < 0.85 else _yy(rng, year)


def _case(rng: random.Random, text: str) -> str:
    r = rng.random()
    return text.upper() if r < 0.1 else text.capitalize() if r < 0.4 else text


def _numeric(rng: random.Random, d: Date, sep: str | None = None) -> str:
    sep = sep or rng.choice("-/.")
    year = str(d[2]) if rng.random() < 0.65 else _yy(rng, d[2])
    return f"{_pad(rng, d[0])}{sep}{_pad(rng, d[1])}{sep}{year}"


def _month_full(rng: random.Random, d: Date) -> str:
    return f"{d[0]} {_case(rng, MONTHS_NL[d[1] - 1])} {_year_text(rng, d[2])}"


def _month_abbr(rng: random.Random, d: Date) -> str:
    abbr = MONTH_ABBREVIATIONS[d[1] - 1] or (MONTHS_NL[d[1] - 1],)
    dot = "." if rng.random() < 0.5 else ""
    return f"{d[0]} {_case(rng, rng.choice(abbr))}{dot} {_year_text(rng, d[2])}"


def _month_misspelled(rng: random.Random, d: Date) -> str:
    month = MONTHS_NL[d[1] - 1]
    month = _slip(rng, month) if len(month) >= 5 else month
    return f"{d[0]} {month} {d[2]}"


def _month_english(rng: random.Random, d: Date) -> str:
    month = MONTHS_EN[d[1] - 1].capitalize()
    r = rng.random()
    if r < 0.3:
        return f"{month} {d[0]}, {d[2]}"
    if r < 0.5:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(d[0] % 10 if d[0] not in (11, 12, 13) else 0, "th")
        return f"{d[0]}{suffix} of {month} {d[2]}"
    return f"{d[0]} {month if rng.random() < 0.6 else month[:3]} {d[2]}"


def _weekday(rng: random.Random, d: Date) -> str:
    inner = _month_full(rng, d) if rng.random() < 0.7 else _numeric(rng, d)
    return f"{rng.choice(WEEKDAYS_NL)} {inner}"


def _said_year(rng: random.Random, year: int) -> str:
    """A year as it is dictated: in full words, in two ("zevenenvijftig" for '57), or digits."""
    r = rng.random()
    if r < 0.5:
        return _spoken_year(rng, year)
    if r < 0.75 and year % 100 >= 10:
        return _number_word(rng, year % 100)
    return str(year)


def _number_words(rng: random.Random, d: Date) -> str:
    year = _said_year(rng, d[2])
    return f"{_number_word(rng, d[0])} {MONTHS_NL[d[1] - 1]} {year}"


def _ordinal_words(rng: random.Random, d: Date) -> str:
    day = next(w for w, v in sorted(ordinals().items()) if v == d[0])
    if rng.random() < 0.3:
        day = f"{d[0]}{rng.choice(['e', 'ste', 'de'])}"
    van = "van " if rng.random() < 0.3 else ""
    year = _said_year(rng, d[2])
    return f"{day} {van}{MONTHS_NL[d[1] - 1]} {year}"


def _compact(rng: random.Random, d: Date) -> str:
    if rng.random() < 0.5:
        return f"{d[2]}{d[1]:02d}{d[0]:02d}"
    return f"{d[0]:02d}{d[1]:02d}{d[2]}"


FAMILIES: dict[str, Callable[[random.Random, Date], str]] = {
    "numeric": _numeric,
    "numeric_space": lambda rng, d: (
        _numeric(rng, (d[0], d[1], d[2]), " ")
        if rng.random() < 0.5
        else f"{_pad(rng, d[0])} {_pad(rng, d[1])} {d[2]}"
    ),
    "iso": lambda rng, d: f"{d[2]}-{d[1]:02d}-{d[0]:02d}",
    "month_full": _month_full,
    "month_abbr": _month_abbr,
    "month_misspelled": _month_misspelled,
    "month_english": _month_english,
    "weekday": _weekday,
    "number_words": _number_words,
    "ordinal_words": _ordinal_words,
    "compact": _compact,
    "year": lambda rng, d: str(d[2]),
    "apostrophe_year": lambda rng, d: rng.choice(APOSTROPHES) + _yy(rng, d[2]),
    "month_year": lambda rng, d: rng.choice(
        [f"{MONTHS_NL[d[1] - 1]} {d[2]}", f"{d[1]}-{d[2]}", f"{_pad(rng, d[1])}/{d[2]}"]
    ),
    "spoken_year": lambda rng, d: _spoken_year(rng, d[2]),
}

CUES_BEFORE = (
    "geboren",
    "geboren op",
    "geboren in",
    "geb.",
    "geb",
    "gebr",
    "gb",
    "geb. op",
    "geboortedatum",
    "geboortedatum:",
    "geb.dat.",
    "gebdat",
    "geboortejaar",
    "d.o.b.",
    "DOB",
    "dob:",
    "born",
    "*",
)
# Cues people type against the date without a space: "geb.2013", "geb:12-3-80", "*1950".
GLUED_CUES = ("geb.", "geb:", "gb.", "geboren:", "dob:", "*")
CUES_AFTER = ("geboren", "geb.", "geb")
CHILD_NOUNS = ("zoon", "dochter", "kind", "zoontje", "dochtertje", "baby", "broertje", "zusje")
PERSON_NOUNS = ("mw", "mevrouw", "dhr", "meneer", "klant", "cliënt", "moeder", "vader", "oma")

# Hard negatives: contexts in which a date or year is not a birth date.
NEGATIVES = (
    "afspraak op {date}",
    "de afspraak is {date}",
    "deadline {date}",
    "uiterlijk {date} inleveren",
    "sinds {year} in nederland",
    "sinds {year}",
    "woont daar al sinds {year}",
    "in {year} gescheiden",
    "is in {year} gestopt met werken",
    "schuld uit {year}",
    "factuur {number}",
    "zaaknummer {number}",
    "dossiernr {number}",
    "ontslag per {date}",
    "uitkering loopt tot {date}",
    "huurcontract vanaf {date}",
    "op {date} huisbezoek",
    "brief van {date}",
    "beschikking d.d. {date}",
    "is {age} jaar",
    "({age} jr)",
    "{age} jaar oud",
    "zit hier al {age} jaar",
)
VOICES = (
    "note",
    "whatsapp",
    "dictated",
    "form",
    "letter",
    "child",
)


def _name(rng: random.Random, names: tuple[list[str], list[str]]) -> str:
    first, last = rng.choice(names[0]), rng.choice(names[1])
    r = rng.random()
    full = f"{first} {last}" if r < 0.5 else first if r < 0.8 else last
    return full.lower() if rng.random() < 0.5 else full


def _birth_date(rng: random.Random, child: bool) -> Date:
    year = rng.randint(2005, 2024) if child else rng.randint(1925, 2006)
    return rng.randint(1, 28), rng.randint(1, 12), year


def _negative(rng: random.Random) -> str:
    template = rng.choice(NEGATIVES)
    d = (rng.randint(1, 28), rng.randint(1, 12), rng.randint(2008, 2027))
    family = rng.choice(["numeric", "month_full", "month_abbr", "weekday", "iso", "number_words"])
    return template.format(
        date=FAMILIES[family](rng, d),
        year=rng.choice([str(d[2]), f"'{d[2] % 100:02d}", str(rng.randint(1975, 2005))]),
        number=rng.choice([f"{d[2]}{rng.randint(1000, 9999)}", f"{rng.randint(10**7, 10**8)}"]),
        age=rng.randint(2, 95),
    )


_REST = (
    "heeft huurachterstand",
    "wil hulp bij de post",
    "zit in de schulden",
    "heeft een wmo aanvraag lopen",
    "is eenzaam en komt de deur niet uit",
    "vraagt naar bijzondere bijstand",
    "heeft geen zorgverzekering meer",
)


def _sentence(rng: random.Random, voice: str, name: str, date: str, child: bool) -> str:
    """A sentence of one voice with ``{D}`` where the birth date stands."""
    cue_side = rng.random()
    cue = rng.choice(CUES_BEFORE)
    noun = rng.choice(CHILD_NOUNS if child else PERSON_NOUNS)
    rest = rng.choice(_REST)
    if voice == "form":
        label = rng.choice(["Geboortedatum", "geboortedatum", "Geb.datum", "Geb", "DOB"])
        return f"Naam: {name}\n{label}: {{D}}\nVraag: {rest}"
    if voice == "child":
        return f"{noun} {name} van {{D}} {rest}"
    if cue_side < 0.25:
        birth = f"{{D}} {rng.choice(CUES_AFTER)}"
    elif cue_side < 0.4:
        birth = "({D})"
    elif cue_side < 0.5:
        birth = f"({rng.choice(GLUED_CUES)}{{D}})"
    else:
        birth = f"{cue} {{D}}"
    if voice == "dictated":
        return f"{noun} {name} komma {birth} komma {rest} punt"
    if voice == "letter":
        return f"Betreft: {name}, {birth}\nGeachte collega, {rest}."
    if voice == "whatsapp":
        return f"hoi! vraagje over {name} {birth}, {rest} 🙏"
    return f"{noun} {name}, {birth}, {rest}."


def synthetic_cases(count: int, seed: int = SEED) -> list[dict[str, Any]]:
    """``count`` labelled texts in the schema of privacy_dev.jsonl (birth dates only); about
    one in four has no birth date, only negatives."""
    rng = random.Random(seed)
    names = (sorted(first_names()), sorted(surnames()))
    families = sorted(FAMILIES)
    cases: list[dict[str, Any]] = []
    for i in range(count):
        child = rng.random() < 0.3
        voice = rng.choice(VOICES if child else VOICES[:-1])
        family = families[i % len(families)]
        date = FAMILIES[family](rng, _birth_date(rng, child))
        negatives = [_negative(rng) for _ in range(rng.randint(0, 2))]
        if rng.random() < 0.25:
            text = f"{_name(rng, names)} {', '.join(negatives or [_negative(rng)])}."
            cases.append({"id": f"syn{i:05d}", "text": text, "spans": [], "keep": []})
            continue
        sentence = _sentence(rng, voice, _name(rng, names), date, child)
        before, after = sentence.split("{D}")
        prefix = f"{negatives.pop()}. " if negatives and rng.random() < 0.5 else ""
        suffix = f" {negatives[0]}." if negatives else ""
        start = len(prefix) + len(before)
        text = prefix + before + date + after + suffix
        span: dict[str, Any] = {"start": start, "end": start + len(date), "kind": "geboortedatum"}
        cases.append({"id": f"syn{i:05d}", "text": text, "spans": [span], "keep": []})
    return cases


def family_examples(family: str, count: int, seed: int = SEED) -> list[str]:
    """``count`` birth dates of one form family (for tests of the candidates)."""
    rng = random.Random(f"{seed}/{family}")
    return [FAMILIES[family](rng, _birth_date(rng, rng.random() < 0.3)) for _ in range(count)]
