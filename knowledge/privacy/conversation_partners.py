"""Who someone spoke with: "met koen gebeld", "met roos gesproken", "met fatma geappt".

Between "met" and a verb of contact Dutch puts the person the contact was with (or a manner:
"met spoed gebeld", "met moeite gesproken", words no first-name list has). A first name there
is a name even when it is also a word ("koen", "roos"), which the lexicon detector would not
take without a title or a relation before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.lexicon_names import could_be_name
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import is_base_form, is_first_name

# Participles and forms of the verbs of contact, spoken and written.
_CONTACT_VERB = (
    r"(?:ge(?:beld|sproken|appt|apt|maild|mailed|whatsappt|skyped|facetimed|chat|praat)"
    r"|afgesproken|overlegd|contact|bellen|spreken|praten|appen|telefonisch"
    r"|een[ ]afspraak|een[ ]gesprek)"
)
_WITH_NAME = re.compile(
    rf"(?i)(?<![\w'’-])met[ ](?P<name>[^\W\d_]{{2,}}(?:-[^\W\d_]+)?)[ ]{_CONTACT_VERB}(?![\w-])"
)


def find_conversation_partners(text: str) -> Iterator[Hit]:
    """A first name between "met" and a verb of contact."""
    for match in _WITH_NAME.finditer(text):
        name = match.group("name")
        if could_be_name(name) and is_first_name(name) and is_base_form(name):
            yield Hit(match.start("name"), match.end("name"), "persoon")
