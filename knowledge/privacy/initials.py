"""Initials given under their label: "voorletters M.A.", "initialen: J.P.", "voorl. k".

A form asks for a person's initials by that name, so what follows the label is part of the
client's name even without the surname next to it (the lexicon detector takes initials only
before a name: "j.p. de vries"). Without the label a letter with a dot is an abbreviation,
except in the order of a register or a file ("Ahmadi, R.", "de Wit, J.P."): a surname, a
comma, then the initials.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from knowledge.privacy.lexicon import INITIALS, NAME_WORD, PARTICLE
from knowledge.privacy.model import Hit
from knowledge.privacy.vocabulary import is_name, is_place

_LABEL = r"(?:voorletters?|initialen|initiaal|voorl\.?|initials)"
# Letters with their dots ("M.A.", "m. a.", "J.P.M"), or two to four capitals ("MA").
_INITIALS = r"(?:[^\W\d_]\.(?:[ ]?[^\W\d_]\.)*(?:[ ]?[^\W\d_](?![\w.]))?|(?-i:[A-Z]{1,4})(?!\w))"
_LABELLED = re.compile(rf"(?i)\b{_LABEL}[ \t]*:?[ \t]*(?:is[ \t]+)?(?P<initials>{_INITIALS})")


def find_labelled_initials(text: str) -> Iterator[Hit]:
    """The initials right after a label that asks for them."""
    for match in _LABELLED.finditer(text):
        yield Hit(match.start("initials"), match.end("initials"), "persoon")


# "Ahmadi, R.", "de Wit, J.P.": surname first, then a comma and initials with their dots.
_REGISTER = re.compile(
    rf"(?<![\w-])(?P<surname>(?:(?i:{PARTICLE})[ ])*(?P<last>{NAME_WORD})),[ ]?{INITIALS}"
    rf"(?![\w])"
)


def find_register_names(text: str) -> Iterator[Hit]:
    """A surname in a register's order; the surname must be in the name lists and no place,
    so "Utrecht, J. belde" and "Altrecht, R. zegt" are not taken for one."""
    for match in _REGISTER.finditer(text):
        last = match.group("last")
        particle = match.group("surname") != last  # "van der Berg": no place then
        if not is_name(last) or (is_place(last) and not particle):
            continue
        yield Hit(match.start(), match.end() - _trailing_space(match.group()), "persoon")


def _trailing_space(found: str) -> int:
    return len(found) - len(found.rstrip())
