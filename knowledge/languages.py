"""Languages colleagues speak with clients, and the language a question says a client needs.

A generalist writes "mevrouw spreekt alleen Arabisch" or "Tigrinya-talige vader"; the best
colleague to ask then speaks it. Reading that need is deliberately narrow: a language word
counts only when the same sentence is about speaking (spreekt, praat, verstaat, tolk, taal,
…-talig) and it is not negated ("spreekt geen Turks"), because "een Turkse meneer" says
nothing about the language he needs. The languages are data (knowledge/data/languages.csv).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from knowledge.textnorm import fold, tokenize

_SENTENCE = re.compile(r"[.!?\n;]+")
# Word starts that make a sentence about language ("spreekt", "spreken", "praat", "verstaat",
# "begrijpt", "tolk", "vertaler", "taal", "moedertaal" is caught by the suffix test below).
_SPEECH_PREFIXES = ("spreek", "spreken", "sprak", "praat", "praten", "verstaa", "begrijp", "tolk")
_SPEECH_SUFFIXES = ("taal", "talig", "talige", "vertaler", "vertalen", "vertaling")
_NEGATIONS = frozenset({"geen", "niet", "nauwelijks"})
_TALIG = ("talig", "talige", "sprekend", "sprekende")


@dataclass(frozen=True)
class Language:
    slug: str
    name: str
    aliases: tuple[str, ...]  # folded single words


@cache
def all_languages() -> tuple[Language, ...]:
    text = resources.files("knowledge").joinpath("data/languages.csv").read_text(encoding="utf-8")
    return tuple(
        Language(
            row["slug"],
            row["name"],
            tuple(fold(a.strip()) for a in row["aliases"].split(";") if a.strip()),
        )
        for row in csv.DictReader(text.splitlines())
    )


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in all_languages():
        for key in (language.slug, fold(language.name), *language.aliases):
            index[re.sub(r"[^a-z0-9]+", "", key)] = language.slug
    return index


def language_for(name: str) -> str | None:
    """The slug for a language name or alias ("Arabisch", "papiamento"); None if unknown."""
    return _alias_index().get(re.sub(r"[^a-z0-9]+", "", fold(name)))


def language_name(slug: str) -> str:
    return next((lg.name for lg in all_languages() if lg.slug == slug), slug)


def _language_of_token(token: str) -> tuple[str | None, bool]:
    """(slug, explicit): "arabischtalige" names the language and is about speaking by itself."""
    index = _alias_index()
    if token in index:
        return index[token], False
    for suffix in _TALIG:
        if token.endswith(suffix) and token[: -len(suffix)] in index:
            return index[token[: -len(suffix)]], True
    return None, False


def is_about_speaking(tokens: list[str]) -> bool:
    return any(t.startswith(_SPEECH_PREFIXES) or t.endswith(_SPEECH_SUFFIXES) for t in tokens)


def languages_needed(text: str) -> frozenset[str]:
    """Languages a question says the client speaks or needs, as slugs (often empty)."""
    needed: set[str] = set()
    for sentence in _SENTENCE.split(text):
        tokens = tokenize(sentence.replace("-", ""))
        speaking = is_about_speaking(tokens)
        for position, token in enumerate(tokens):
            slug, explicit = _language_of_token(token)
            negated = position > 0 and tokens[position - 1] in _NEGATIONS
            if slug is not None and not negated and (explicit or speaking):
                needed.add(slug)
    return frozenset(needed)
