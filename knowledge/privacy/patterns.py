"""Detectors for identifiers with a fixed format: BSN, IBAN, phone, e-mail, postcode, birth date.

Where the format carries a checksum (BSN eleven-test, IBAN mod 97) the checksum decides, so
case and order numbers survive. A 9-digit number explicitly labelled as BSN is removed even
when the check fails, because a mistyped BSN is still somebody's BSN.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.model import Hit

_SEP = r"(?:\s?[-–./]\s?|\s)?"

_BSN = re.compile(r"(?<![\w.,/+-])(?<!\d[ .-])\d(?:[ .-]?\d){7,8}(?![\w]|[.,-]\d)")
_BSN_LABEL = re.compile(
    r"(?:bsn|burgerservicenummer|sofi-?nummer)(?:[\s-]?(?:nummer|nr\.?))?\W{0,4}(?:is\W{1,3})?$",
    re.IGNORECASE,
)
# Numbers people quote that are not BSNs, even when they happen to pass the eleven-test.
_OTHER_NUMBER = re.compile(
    r"(?:(?:dossier|zaak|order|factuur|klant|casus|registratie|polis|contract|relatie|debiteur|"
    r"huurders|referentie|beschikking|aanslag|cjib)[\s-]?(?:nummer|nr\.?)|kenmerk|referentie|"
    r"order|factuur|dossier|zaak|casus)\W{0,4}$",
    re.IGNORECASE,
)

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")

_PHONE = re.compile(
    rf"""(?<![\w+])(?<!\d[ .-])(?:
        (?:\+|00)\s?31\s?(?:\(0\)\s?)?[1-9](?:{_SEP}\d){{8}}     # +31 6 2748 1930
      | \(0\d{{1,3}}\)\s?\d(?:{_SEP}\d){{5,7}}                   # (030) 271 44 86
      | 0[89]00(?:{_SEP}\d){{4,7}}                               # 0800-1234
      | 0[1-9](?:{_SEP}\d){{8}}                                  # 06-41872390, 030 271 44 86
      | \+(?!31)\d{{1,3}}(?:{_SEP}\d){{6,12}}                    # +48 512 345 678
    )(?!\d)""",
    re.VERBOSE,
)

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

_POSTCODE = re.compile(
    r"(?<![\w-])[1-9]\d{3}(?: ?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})(?![\w-])"
)

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|febr?|mrt|apr|jun|jul|aug|sept?|okt|nov|dec"
)
_DATE = re.compile(
    rf"""(?<![\d/.-])(?:
        (?P<d1>\d{{1,2}})[-./](?P<m1>\d{{1,2}})[-./](?P<y1>\d{{4}}|\d{{2}})
      | (?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTHS})\.?,?\s+(?P<y2>\d{{4}}|['’]\d{{2}})
      | (?P<y3>\d{{4}})-(?P<m3>\d{{2}})-(?P<d3>\d{{2}})
    )(?![\d])""",
    re.VERBOSE | re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,-])(?:19|20)\d{2}(?![\d.,-]\d|\d)")
_BIRTH_CUE = re.compile(
    r"(?:\b(?:geboren|geb|geboortedatum|geb\.\s?datum|geboortejaar)\.?|[°*])\s*(?:op|in)?\s*:?"
    r"\s*\(?\s*$",
    re.IGNORECASE,
)


def passes_eleven_test(digits: str) -> bool:
    """The BSN checksum: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a positive multiple of 11."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total > 0 and total % 11 == 0


def is_valid_iban(compact: str) -> bool:
    """ISO 13616 mod-97 check; NL accounts must also have the Dutch length of 18."""
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    if compact.startswith("NL") and len(compact) != 18:
        return False
    rotated = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1


def find_bsn(text: str) -> Iterator[Hit]:
    for match in _BSN.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        before = text[max(0, match.start() - 30) : match.start()]
        labelled = bool(_BSN_LABEL.search(before))
        if len(digits) == 8:
            digits = "0" + digits
            if not labelled:
                continue
        if labelled or (passes_eleven_test(digits) and not _OTHER_NUMBER.search(before)):
            yield Hit(match.start(), match.end(), "bsn")


def find_iban(text: str) -> Iterator[Hit]:
    for match in _IBAN.finditer(text):
        raw = match.group()
        # The greedy match may have swallowed a following word; shrink until the checksum holds.
        for end in range(len(raw), 14, -1):
            if raw[end - 1] != " " and is_valid_iban(raw[:end].replace(" ", "")):
                yield Hit(match.start(), match.start() + end, "iban")
                break


def find_phones(text: str) -> Iterator[Hit]:
    for match in _PHONE.finditer(text):
        yield Hit(match.start(), match.end(), "telefoon")


def find_emails(text: str) -> Iterator[Hit]:
    for match in _EMAIL.finditer(text):
        yield Hit(match.start(), match.end(), "email")


def find_postcodes(text: str) -> Iterator[Hit]:
    for match in _POSTCODE.finditer(text):
        yield Hit(match.start(), match.end(), "postcode")


def has_birth_cue(text: str, start: int) -> bool:
    return bool(_BIRTH_CUE.search(text[max(0, start - 25) : start]))


def _year_of(raw: str) -> int | None:
    raw = raw.lstrip("'’")
    if len(raw) == 4:
        return int(raw)
    return None  # a two-digit year is too ambiguous without a cue


def is_birth_date(text: str, start: int, end: int, max_birth_year: int) -> bool:
    """A date counts as a birth date after a cue ("geb.", "geboren op") or when it is a full
    date at least a dozen years back: clients' questions rarely carry other old full dates."""
    if has_birth_cue(text, start):
        return True
    years = re.findall(r"\d{4}", text[start:end])
    return bool(years) and 1900 <= int(years[-1]) <= max_birth_year


def find_birth_dates(text: str, max_birth_year: int) -> Iterator[Hit]:
    for match in _DATE.finditer(text):
        day = int(match.group("d1") or match.group("d2") or match.group("d3"))
        month_raw = match.group("m1") or match.group("m3")
        if not 1 <= day <= 31 or (month_raw and not 1 <= int(month_raw) <= 12):
            continue
        year = match.group("y1") or match.group("y2") or match.group("y3")
        old = (y := _year_of(year)) is not None and 1900 <= y <= max_birth_year
        if old or has_birth_cue(text, match.start()):
            yield Hit(match.start(), match.end(), "geboortedatum")
    for match in _YEAR.finditer(text):
        if has_birth_cue(text, match.start()):
            yield Hit(match.start(), match.end(), "geboortedatum")
