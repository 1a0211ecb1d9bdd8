"""Detectors for identifiers with a fixed format: BSN, phone, birth date (IBAN: iban.py,
postcode: postcodes.py, e-mail: emails.py).

Where the format carries a checksum (BSN eleven-test, IBAN mod 97) the checksum decides, so
case and order numbers survive. A 9-digit number explicitly labelled as BSN, or an IBAN-shaped
string after "iban" or "rekeningnummer", is removed even when the check fails, because a
mistyped account is still somebody's account. The formats come from their specifications:
ISO 13616 (IBAN lengths per country), the Dutch numbering plan (10 digits from a trunk 0, or
+31/0031 and 9 digits; its 0800/090x service numbers reach an organisation and stay),
PostNL (four digits from 1000, two letters, never SA, SD or SS), written in any case and
spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.lexicon import OTHER_NUMBER_LABEL
from knowledge.privacy.model import Hit

_SEP = r"(?:\s?[-–./]\s?|\s)?"

_BSN = re.compile(r"(?<![\w.,/+-])(?<!\d[ .-])\d(?:[ .-]?\d){7,8}(?![\w]|[.,-]\d)")
# "3304.18.269", "1234-56-789": groups joined by one repeated dot or hyphen are one number by
# their own punctuation, so a number just before ("17-02-1984 3304.18.269") does not join it.
_BSN_GROUPED = re.compile(
    r"(?<![\w.,/+-])\d{2,4}(?P<sep>[.-])\d{2,4}(?:(?P=sep)\d{2,4}){1,2}(?![\w]|[.,-]\d)"
)
# The label, then optionally whose number it is in one word ("bsn moeder:", "bsn mw", "bsn van
# de vader", "bsn hem"), as a form or a list of family members puts it.
_BSN_LABEL = re.compile(
    r"(?:bsn|burgerservicenummer|sofi-?nummer)(?:[\s-]?(?:nummer|nr\.?))?"
    r"(?:\s+(?:van\s+(?:(?:de|het|haar|zijn|mijn)\s+)?)?[^\W\d_]{1,12}\.?)?"
    r"\W{0,4}(?:is\W{1,3})?$",
    re.IGNORECASE,
)

_PHONE = re.compile(
    rf"""(?<![\w+])(?<!\d[.-])(?:
        (?:\+|00)\s?31{_SEP}(?:\(0\)\s?)?[1-9](?:{_SEP}\d){{8}}  # +31 6 2748 1930, 0031-6-…
      | \(0\d{{1,3}}\)\s?\d(?:{_SEP}\d){{5,7}}                   # (030) 271 44 86
      | 0[1-9](?:{_SEP}\d){{8}}                                  # 06-41872390, 030 271 44 86
      | (?:\+|00)\s?(?!31)[1-9]\d{{0,2}}(?:\s?\(0\))?(?:{_SEP}\d){{6,12}} # +48 512 345 678
    )(?!\d)""",
    re.VERBOSE,
)

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec"
)
_MONTH_WORD = re.compile(rf"(?i:{_MONTHS})\.?")
# A month among dates: a day number or a year before it, a year or another month next to it
# ("12 jan", "2017 jan t/m mei", "jan 2019", "jan feb mrt").
_DATE_BEFORE = re.compile(rf"(?:(?<!\d)\d{{1,4}}|(?i:\b(?:{_MONTHS})))\.?\s*$")
_DATE_AFTER = re.compile(rf"\.?\s*(?:['’]?\d{{2,4}}\b|(?i:(?:{_MONTHS})\b))")


def is_month_in_date(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a month name or abbreviation among dates."""
    if not _MONTH_WORD.fullmatch(text, start, end):
        return False
    return bool(_DATE_BEFORE.search(text, 0, start) or _DATE_AFTER.match(text, end))


# Between day, month and year: a dash, slash or dot, typed with spaces too ("1 - 3 - 1955",
# "21. 3. 1984"); a month's name needs no separator at all, its letters set it apart from the
# digits ("12mrt1979", as on some forms and wristbands).
_DATE_SEP = r"(?:[-./]|[ ][-./][ ]?|[-./][ ])"
_DATE = re.compile(
    rf"""(?<![\d/.-])(?:
        (?P<d1>\d{{1,2}}){_DATE_SEP}(?P<m1>\d{{1,2}}){_DATE_SEP}(?P<y1>\d{{4}}|\d{{2}})
      | (?P<d2>\d{{1,2}})\s*(?P<m2>{_MONTHS})\.?,?\s*(?P<y2>\d{{4}}|['’]?\d{{2}})
      | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
      | (?P<d4>\d{{1,2}})[\s./-](?-i:XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)[\s./-](?P<y4>\d{{4}})
    )(?![\d])""",
    re.VERBOSE | re.IGNORECASE,
)
_APOSTROPHE = "['’‘`]"
_YEAR = re.compile(rf"(?<![\d.,-])(?:(?:19|20)\d{{2}}|{_APOSTROPHE}\d{{2}})(?![\d.,-]\d|\d)")
# A month and year in digits: "(06-1988)", "3/1975".
_MONTH_YEAR_DIGITS = re.compile(r"(?<![\d/.-])(?:0?[1-9]|1[0-2])[-/.](?:19|20)\d{2}(?![\d/.-]?\d)")
# "geboren", "geb.", "geboortedatum:", "gebdat", "gbdatum", "geb.jaar", "dob", "jaargang",
# "°", "*"; "geboren" as typed on a phone with a letter dropped, doubled, added or swapped
# ("gebore", "geboeren", "gebroen"), and the abbreviations of its prefix and consonants
# ("geb", "gb").
_BIRTH_WORD = (
    r"(?:geboren|gebore|geboern|gebroen|geborne|geboeren|gebooren|geborren|"
    r"geboorte(?:datum|dag|jaar)|geb\.?\s?(?:datum|dat|jaar)|gebdat(?:um)?|"
    r"gbdatum|gebjaar|geb|gb|dob|jaargang)"
)
# "zij is van 1985", "hij is van '71", "ze is zelf van 2005": a person "is of" a year.
_PERSON_IS_OF = r"\b(?:(?:hij|zij|ze|ie)\s+(?:is|was)|ik\s+ben)\s+(?:zelf\s+|ook\s+)?van\s*"
_BIRTH_CUE = re.compile(
    rf"(?:(?:\b{_BIRTH_WORD}\.?|[°*])\s*(?:op|in)?\s*:?\s*\(?|{_PERSON_IS_OF})\s*$",
    re.IGNORECASE,
)
# The cue after the date: "3 april 1988 geboren", "(1961, geb.)".
_BIRTH_CUE_AFTER = re.compile(rf"^\s*\)?\s*,?\s*{_BIRTH_WORD}\b", re.IGNORECASE)
# Bare two-digit years and day-month dates, only right at a cue: "geboren in 85", "is 79
# geboren", "ze is van 86", "geboren op 2 februari".
_SHORT_AT_CUE = re.compile(
    rf"(?:(?:\b{_BIRTH_WORD}\.?\s*(?:op|in)?\s*:?\s*)|{_PERSON_IS_OF})"
    rf"(?P<date>\d{{2}}(?![\d/.,-]?\d)(?!\s*(?:jaar|jr|kg|cm|%|euro|€|uur|min))"
    rf"|\d{{1,2}}\s+(?:{_MONTHS})\b\.?(?!\s*\d))"
    rf"|(?<![\d.,/-])(?P<before>\d{{2}})\s+{_BIRTH_WORD}\b",
    re.IGNORECASE,
)
# A month and a year after a cue: "geb. maart 1961", "geboren in mei '74".
_MONTH_YEAR = re.compile(
    rf"(?<![\w])(?:{_MONTHS})\.?\s+(?:\d{{4}}|{_APOSTROPHE}\d{{2}})(?!\d)", re.IGNORECASE
)


def passes_eleven_test(digits: str) -> bool:
    """The BSN checksum: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a positive multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total > 0 and total % 11 == 0


def find_bsn(text: str) -> Iterator[Hit]:
    plain = list(_BSN.finditer(text))
    grouped = [
        m
        for m in _BSN_GROUPED.finditer(text)
        if len(re.sub(r"\D", "", m.group())) == 9
        and not any(p.start() <= m.start() < p.end() for p in plain)
    ]
    for match in plain + grouped:
        digits = re.sub(r"\D", "", match.group())
        before = text[max(0, match.start() - 30) : match.start()]
        labelled = bool(_BSN_LABEL.search(before))
        if len(digits) == 8:
            digits = "0" + digits
            if not labelled:
                continue
        if labelled or (passes_eleven_test(digits) and not OTHER_NUMBER_LABEL.search(before)):
            yield Hit(match.start(), match.end(), "bsn")


# The numbering plan's service numbers reach an organisation, never a person: 0800 (free),
# 0900, 0906 and 0909 (paid); "14 030" (a municipality), 112 and 144 are too short to match.
SERVICE_NUMBER = re.compile(r"(?:0|(?:\+|00)31(?:0)?)(?:800|90[069])")


def find_phones(text: str) -> Iterator[Hit]:
    for match in _PHONE.finditer(text):
        if not SERVICE_NUMBER.match(re.sub(r"[^\d+]", "", match.group())):
            yield Hit(match.start(), match.end(), "telefoon")


def has_birth_cue(text: str, start: int, end: int | None = None) -> bool:
    """A birth cue just before `start`, or (when `end` is given) just after `end`."""
    if _BIRTH_CUE.search(text[max(0, start - 25) : start]):
        return True
    return end is not None and bool(_BIRTH_CUE_AFTER.match(text[end : end + 20]))


def _year_of(raw: str) -> int | None:
    raw = raw.lstrip("'’")
    if len(raw) == 4:
        return int(raw)
    return None  # a two-digit year is too ambiguous without a cue


def is_birth_date(text: str, start: int, end: int, max_birth_year: int) -> bool:
    """A date counts as a birth date after a cue ("geb.", "geboren op") or when it is a full
    date at least a dozen years back: clients' questions rarely carry other old full dates."""
    if has_birth_cue(text, start, end):
        return True
    years = re.findall(r"\d{4}", text[start:end])
    return bool(years) and 1900 <= int(years[-1]) <= max_birth_year


def find_birth_dates(text: str, max_birth_year: int) -> Iterator[Hit]:
    for match in _DATE.finditer(text):
        day = int(next(match.group(g) for g in ("d1", "d2", "d3", "d4") if match.group(g)))
        month_raw = match.group("m1") or match.group("m3")
        if not 1 <= day <= 31 or (month_raw and not 1 <= int(month_raw) <= 12):
            continue
        year = str(next(match.group(g) for g in ("y1", "y2", "y3", "y4") if match.group(g)))
        old = (y := _year_of(year)) is not None and 1900 <= y <= max_birth_year
        if old or has_birth_cue(text, match.start(), match.end()):
            yield Hit(match.start(), match.end(), "geboortedatum")
    for pattern in (_YEAR, _MONTH_YEAR, _MONTH_YEAR_DIGITS):
        for match in pattern.finditer(text):
            if has_birth_cue(text, match.start(), match.end()):
                yield Hit(match.start(), match.end(), "geboortedatum")
    for match in _SHORT_AT_CUE.finditer(text):
        group = "date" if match.group("date") else "before"
        yield Hit(match.start(group), match.end(group), "geboortedatum")


# What may stand between a name and its birth date: "fatima 12-03-1961", "bram (2006)",
# "Ricardo Cijntje, 17-9-96", "emre is van 2003".
_RIGHT_AFTER = re.compile(
    rf"(?:[ ]?,?[ ]?(?:van[ ])?\(?[ ]?|[ ](?:is|was)[ ](?:zelf[ ])?van[ ]){_APOSTROPHE}?"
)
_CLAUSE_END = re.compile(r"[.!?;\n](?:\s|$)")


def birth_dates_after(text: str, end: int, window: int = 45) -> Iterator[tuple[int, int]]:
    """The date or year that follows a name in a register's way: right after it, or in the
    bracket that follows it in the same clause ("mw X uit Paramaribo (1962)", "(Moluks,
    1947)"). A birth date needs no cue there: that is what a date next to a name says."""
    after = text[end : end + window]
    if stop := _CLAUSE_END.search(after):
        after = after[: stop.start()]
    bracket = after.find("(")
    close = after.find(")", bracket) if bracket >= 0 else -1
    for pattern in (_DATE, _YEAR, _MONTH_YEAR_DIGITS):
        for match in pattern.finditer(after):
            start = match.start()
            if after[start] in "'’‘`" and start > 0 and after[start - 1] in "'’‘`":
                continue
            inside = 0 <= bracket < start and (close == -1 or match.end() <= close)
            if _RIGHT_AFTER.fullmatch(after[:start]) or inside:
                yield end + start, end + match.end()


# Between dates of one enumeration: "geb 1981 resp. 1987", "hij geb 1955 zij 1960",
# "1990, 1993 en 1997".
_LIST_GAP = re.compile(
    r"(?:[ ,/&]|(?:en|resp|respectievelijk|hij|zij|ze)\b\.?)+"
    r"(?:(?P<person>[^\W\d_]+)(?:[ ](?P<name>[^\W\d_]+))?[ ]?[(]?(?:in[ ]|van[ ])?)?",
    re.IGNORECASE,
)


def birth_dates_listed_after(
    text: str, end: int, person_nouns: frozenset[str] = frozenset()
) -> Iterator[tuple[int, int]]:
    """The dates that continue an enumeration after a birth date: the cue covers the list,
    also over a person noun and a name ("geboren in 1975 en moeder elif in 1980")."""
    while gap := _LIST_GAP.match(text, end):
        person = gap.group("person")
        if person and person.casefold() not in person_nouns:
            return
        following = None
        for pattern in (_DATE, _YEAR, _MONTH_YEAR_DIGITS):
            match = pattern.match(text, gap.end())
            if match and not text[match.end() : match.end() + 1].isdigit():
                following = match
                break
        if following is None:
            return
        yield following.start(), following.end()
        end = following.end()
