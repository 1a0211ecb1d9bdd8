"""IBANs (ISO 13616): the mod-97 check decides, so order and case numbers survive; a
mistyped account is still somebody's account, so an IBAN-shaped string also counts after a
label ("iban", "rekeningnummer") and, for a Dutch IBAN, when its bank identifier is one a
Dutch bank uses (Betaalvereniging Nederland's list, knowledge/data/privacy_nl_bank_codes.txt):
"NL10 RABO 0123 4567 89" is an account number with a bad check digit, not a phone number.
After the label of another number ("kenmerk", "dossiernummer") the check decides alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from knowledge.privacy.lexicon import OTHER_NUMBER_LABEL, word_set
from knowledge.privacy.model import Hit

BANK_CODES_FILE = Path(__file__).resolve().parent.parent / "data" / "privacy_nl_bank_codes.txt"

_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}(?![A-Za-z0-9])")
_IBAN_LABEL = re.compile(
    r"(?:iban|(?:bank)?rekening(?:nummer|nr)?|rek\.?\s?(?:nr|nummer)\.?|reknr\.?|"
    r"bankn(?:umme)?r|bank)\W{0,4}(?:is\W{1,3})?$",
    re.IGNORECASE,
)
# ISO 13616 registry: the length of an IBAN per country (SWIFT, release 2024).
IBAN_LENGTHS = {
    code: int(length)
    for code, length in (
        item.split(":")
        for item in word_set(
            """AD:24 AE:23 AL:28 AT:20 AZ:28 BA:20 BE:16 BG:22 BH:22 BI:27 BR:29 BY:28
        CH:21 CR:22 CY:28 CZ:24 DE:22 DJ:27 DK:18 DO:28 EE:20 EG:29 ES:24 FI:18 FK:18 FO:18
        FR:27 GB:22 GE:22 GI:23 GL:18 GR:27 GT:28 HN:28 HR:21 HU:28 IE:22 IL:23 IQ:23 IS:26
        IT:27 JO:30 KW:30 KZ:20 LB:28 LC:32 LI:21 LT:20 LU:20 LV:21 LY:25 MC:27 MD:24 ME:22
        MK:19 MN:20 MR:27 MT:31 MU:30 NI:28 NL:18 NO:15 OM:23 PK:24 PL:28 PS:29 PT:25 QA:29
        RO:24 RS:22 RU:33 SA:24 SC:31 SD:18 SE:24 SI:19 SK:24 SM:27 SO:23 ST:25 SV:28 TL:23
        TN:24 TR:26 UA:29 VA:22 VG:24 XK:20 YE:30"""
        )
    )
}

# A Dutch IBAN in any spacing and case: NL, two check digits, a bank's four letters, ten digits.
_DUTCH_IBAN = re.compile(
    r"(?<![A-Za-z0-9])(?i:nl)[ ]?\d[ ]?\d[ ]?(?P<bank>(?:[ ]?[A-Za-z]){4})(?:[ ]?\d){10}"
    r"(?![A-Za-z0-9])"
)


@cache
def dutch_bank_codes() -> frozenset[str]:
    """The bank identifiers of Dutch IBANs, from the shipped list."""
    lines = BANK_CODES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_valid_iban(compact: str) -> bool:
    """ISO 13616: the mod-97 check (ISO 7064), and a registered country's length. A country
    outside the registry (Morocco, Algeria, much of West Africa use IBAN-formatted accounts
    not yet registered) is judged by the check alone: 1 in 97 random strings passes it, and
    the shape (two letters, two digits, 11–30 more) is already rare in a question."""
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    if IBAN_LENGTHS.get(compact[:2], len(compact)) != len(compact):
        return False  # a registered country's IBAN has that country's length
    rotated = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rotated)) % 97 == 1


def find_iban(text: str) -> Iterator[Hit]:
    """Valid IBANs, labelled IBAN-shaped strings, and Dutch ones with a Dutch bank's code."""
    for match in _DUTCH_IBAN.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        if OTHER_NUMBER_LABEL.search(before):
            continue  # "kenmerk NL91ABNA…": labelled as another number, the checksum decides
        if match.group("bank").replace(" ", "").upper() in dutch_bank_codes():
            yield Hit(match.start(), match.end(), "iban")
    for match in _IBAN.finditer(text):
        raw = match.group()
        # The greedy match may have swallowed a following word; shrink until the checksum holds.
        for end in range(len(raw), 14, -1):
            if raw[end - 1] != " " and is_valid_iban(raw[:end].replace(" ", "")):
                yield Hit(match.start(), match.start() + end, "iban")
                break
        else:
            if _IBAN_LABEL.search(text[max(0, match.start() - 30) : match.start()]):
                yield Hit(match.start(), match.start() + _labelled_iban_length(raw), "iban")


def _labelled_iban_length(raw: str) -> int:
    """A labelled IBAN-shaped string with a bad checksum, read group by group: a group is
    never cut in two (a digit typed twice or left out does not make half a group someone
    else's), and reading stops at a group of letters only past the bank identifier (a word
    that follows: "NL06 ABNA 0934 6979 52 volgens") or once the country's length is passed."""
    expected = IBAN_LENGTHS.get(raw[:2].upper(), len(raw))
    count, end = 0, 0
    for group in re.finditer(r"[A-Za-z0-9]+", raw):
        if count >= 8 and group.group().isalpha():
            break
        if count >= expected:
            break
        count += len(group.group())
        end = group.end()
    return end
