"""Plain-language explanations of social-care jargon, used to expand indexed documents.

Experts describe themselves in the jargon of their field ("bewindvoering", "Cruks"); generalists
ask in the words of the client's situation ("geld laten beheren", "wil niet meer gokken"). A
short plain-Dutch gloss per term, added to a document that carries the term, bridges that gap
for both the embedder and BM25. The glossary is data (knowledge/data/glossary.csv).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def glossary() -> dict[str, str]:
    text = resources.files("knowledge").joinpath("data/glossary.csv").read_text(encoding="utf-8")
    return {
        row["term"].strip().lower(): row["plain"].strip()
        for row in csv.DictReader(text.splitlines())
    }


def glosses(terms: Iterable[str]) -> list[str]:
    """The explanations of the terms that the glossary knows, in order, without repeats."""
    known = glossary()
    found: list[str] = []
    for term in terms:
        gloss = known.get(term.strip().lower())
        if gloss and gloss not in found:
            found.append(gloss)
    return found


@cache
def _term_pattern() -> re.Pattern[str]:
    terms = sorted(glossary(), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(t) for t in terms) + r")(?!\w)")


def glosses_in(text: str) -> list[str]:
    """The explanations of every glossary term that occurs in `text` as whole words.

    For catalogue items (offers, modules), whose jargon sits in running text rather than in
    tags. One compiled alternation: fast enough for twenty thousand offers.
    """
    return glosses(match.group(1) for match in _term_pattern().finditer(text.lower()))
