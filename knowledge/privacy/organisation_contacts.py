"""Phone numbers and e-mail addresses that reach an organisation, not a person.

Routing needs them (which desk to call, where to sign up) and none of them says who a client
is, so they stay even though their format is the format of personal data:

- role mailboxes: RFC 2142 names the mailboxes every organisation keeps for a function
  (info, sales, support, abuse, postmaster, webmaster…); Dutch organisations do the same in
  Dutch (secretariaat, aanmelden, receptie). Only a local part made of those words names a
  function: any other word may be a person's own choice ("klant@…", "zonnetje@…"), and a
  personal mailbox carries a name or initials ("b.koning", "iriskoning"). Never at a
  consumer mail provider (gmail, hotmail, ziggo, kpnmail…): an "info@" there is a person's.
  Privacy comes first: an organisation's address removed costs a look-up, a client's kept
  is a leak.
- general numbers: a geographic or corporate number (the Dutch numbering plan: not a 06
  mobile number) called the organisation's general, central or main number ("het algemene
  nummer", "hoofdnummer", "(algemeen nr)"), or given as the number of a protected
  organisation ("het nummer van de Stadsbank"). A mobile number is somebody's own.
"""

from __future__ import annotations

import re

from knowledge.privacy.lexicon import word_set
from knowledge.privacy.model import Hit
from knowledge.privacy.patterns import SERVICE_NUMBER

# RFC 2142 (sections 3-5) and the role names Dutch organisations use in the same way.
ROLE_MAILBOX_WORDS = word_set(
    """info marketing sales support abuse noc security postmaster hostmaster usenet news
    webmaster www uucp ftp contact admin office mail post hello hallo team service helpdesk
    noreply no-reply donotreply secretariaat administratie receptie klantenservice aanmelden
    aanmelding aanmeldingen intake planning facturen factuur debiteuren crediteuren hr pers
    redactie bestuur directie vacatures klachten communicatie"""
)
# Mail domains where anyone can open a mailbox (the large international providers and the
# Dutch access providers' and free services' domains): an address there is a person's.
CONSUMER_MAIL_DOMAINS = word_set(
    """gmail googlemail hotmail outlook live msn icloud me mac yahoo ymail aol gmx web proton
    protonmail tutanota mail zoho yandex ziggo kpnmail kpnplanet planet home hetnet xs4all
    quicknet casema chello upcmail online tele2 telfort zeelandnet caiway solcon kabelfoon
    hccnet freeler wanadoo orange versatel lycos"""
)
_LOCAL_SEPARATOR = re.compile(r"[._+-]")

# "het algemene nummer", "algemeen telefoonnummer", "hoofdnummer", "centrale nummer",
# "(algemeen nr)": the cue that a number is an organisation's, not a person's.
_GENERAL_NUMBER = re.compile(
    r"(?i)\b(?:algeme(?:ne?|en)|centrale?|hoofd)[ -]?(?:telefoon)?(?:nummer|nr\b\.?)"
)
_NUMBER_OF = re.compile(r"(?i)\b(?:telefoon)?(?:nummer|nr\.?)[ ]van[ ](?:(?:de|het)[ ])?$")
# A Dutch mobile number (06, +316, 00316), in any spacing: always somebody's own.
_MOBILE = re.compile(r"(?:0|(?:\+|00)31[ -]?(?:\(0\))?)[ -]?6")
_CUE_WINDOW = 80
_AFTER_WINDOW = 25


def is_role_mailbox(address: str) -> bool:
    """Whether an e-mail address's local part names a function rather than a person."""
    local, _, domain = address.strip().casefold().partition("@")
    provider = domain.split(".")[0]
    if provider in CONSUMER_MAIL_DOMAINS:
        return False
    if local in ROLE_MAILBOX_WORDS:  # "no-reply" as a whole
        return True
    parts = [part for part in _LOCAL_SEPARATOR.split(local) if part]
    return bool(parts) and all(part in ROLE_MAILBOX_WORDS for part in parts)


def is_general_number(
    text: str, start: int, end: int, protected: list[tuple[int, int]] | None = None
) -> bool:
    """Whether the phone number text[start:end] is described as an organisation's number:
    a general-number cue shortly before it or right after it, or "nummer van" followed by a
    protected organisation shortly before it. Mobile numbers never are."""
    if _MOBILE.match(text[start:end].strip()):
        return False
    before = text[max(0, start - _CUE_WINDOW) : start]
    if _GENERAL_NUMBER.search(before) or _GENERAL_NUMBER.match(
        text[end : end + _AFTER_WINDOW].lstrip(" ,(")
    ):
        return True
    return any(
        start - _CUE_WINDOW <= org_start
        and org_end <= start
        and _NUMBER_OF.search(text[max(0, org_start - 30) : org_start])
        for org_start, org_end in protected or ()
    )


def reaches_organisation(text: str, hit: Hit, protected: list[tuple[int, int]]) -> bool:
    """Whether a phone or e-mail hit (of any detector, deduce's too) is an organisation's:
    a role mailbox, a service number of the numbering plan (0800, 0900, 0906, 0909) or a
    number described as an organisation's general number."""
    found = text[hit.start : hit.end]
    if hit.kind == "email":
        return "@" in found and is_role_mailbox(found)
    if hit.kind == "telefoon":
        if SERVICE_NUMBER.match(re.sub(r"[^\d+]", "", found)):
            return True
        return is_general_number(text, hit.start, hit.end, protected)
    return False
