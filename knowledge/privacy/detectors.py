"""Every rule-based detector, run over one text: the list of what the de-identifier looks
for (deidentifier.py combines, vetoes and merges what they find).

The phone numbers and mailboxes that reach an organisation (organisation_contacts.py: role
mailboxes, service numbers, general numbers) are taken out here, whichever detector found
them, deduce included: routing needs them and none names a client.
"""

from __future__ import annotations

from collections.abc import Iterator

from knowledge.privacy.addresses import find_addresses
from knowledge.privacy.birthdays import find_birthdays
from knowledge.privacy.conversation_partners import find_conversation_partners
from knowledge.privacy.cued_phones import find_cued_phones
from knowledge.privacy.deduce_backend import deduce_hits
from knowledge.privacy.emails import find_emails
from knowledge.privacy.iban import find_iban
from knowledge.privacy.initials import find_labelled_initials, find_register_names
from knowledge.privacy.lexicon_names import find_lexicon_names
from knowledge.privacy.lower_case_streets import find_lower_case_streets
from knowledge.privacy.model import Hit
from knowledge.privacy.names import find_capitalised_runs, find_titled_names
from knowledge.privacy.organisation_contacts import reaches_organisation
from knowledge.privacy.patterns import find_birth_dates, find_bsn, find_phones
from knowledge.privacy.postcodes import find_postcodes


def detect(
    text: str, protected: list[tuple[int, int]], max_birth_year: int, *, use_deduce: bool
) -> Iterator[Hit]:
    """Every detector's hits, less those that reach an organisation."""
    for hit in _all_hits(text, protected, max_birth_year, use_deduce=use_deduce):
        if not reaches_organisation(text, hit, protected):
            yield hit


def _all_hits(
    text: str, protected: list[tuple[int, int]], max_birth_year: int, *, use_deduce: bool
) -> Iterator[Hit]:
    yield from find_emails(text)
    yield from find_iban(text)
    yield from find_bsn(text)
    yield from find_phones(text)
    yield from find_cued_phones(text)
    yield from find_postcodes(text)
    yield from find_birth_dates(text, max_birth_year)
    yield from find_birthdays(text)
    yield from find_addresses(text)
    yield from find_lower_case_streets(text)
    yield from find_titled_names(text)
    yield from find_capitalised_runs(text, protected)
    yield from find_lexicon_names(text)
    yield from find_labelled_initials(text)
    yield from find_register_names(text)
    yield from find_conversation_partners(text)
    if use_deduce:
        yield from deduce_hits(text, max_birth_year)
