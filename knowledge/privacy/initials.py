"""Initials given under their label: "voorletters M.A.", "initialen: J.P.", "voorl. k".

A form asks for a person's initials by that name, so what follows the label is part of the
client's name even without the surname next to it (the lexicon detector takes initials only
before a name: "j.p. de vries"). Without the label a letter with a dot is an abbreviation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.model import Hit

_LABEL = r"(?:voorletters?|initialen|initiaal|voorl\.?|initials)"
# Letters with their dots ("M.A.", "m. a.", "J.P.M"), or two to four capitals ("MA").
_INITIALS = r"(?:[^\W\d_]\.(?:[ ]?[^\W\d_]\.)*(?:[ ]?[^\W\d_](?![\w.]))?|(?-i:[A-Z]{1,4})(?!\w))"
_LABELLED = re.compile(rf"(?i)\b{_LABEL}[ \t]*:?[ \t]*(?:is[ \t]+)?(?P<initials>{_INITIALS})")


def find_labelled_initials(text: str) -> Iterator[Hit]:
    """The initials right after a label that asks for them."""
    for match in _LABELLED.finditer(text):
        yield Hit(match.start("initials"), match.end("initials"), "persoon")
