"""Registrations hold case numbers, never client data: find any before anything is parsed.

Two checks. The shared `Deidentifier` (BSN eleven-test, phone, e-mail, IBAN, postcode,
address, names after titles or in capitalised runs, and deduce when switched on), with the
registration words added to its keep list so "Veilig Thuis", "Mitros" or "OV Centrum" are not
taken for names. And, because a name in a chat line is often typed in lower case or alone
("kennismaking met sandra"), a look-up of the remaining words in deduce's list of first names,
read as a plain file so deduce itself need not load. That look-up runs on the words left
after dates and numbers are taken out; words the registration vocabulary knows ("anders" is a
melder) and common Dutch words are never names here.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from casework.registration.numbers import NUMBER_WORDS
from casework.registration.text import FILLERS, SHORTHANDS, normalise
from knowledge.privacy import Deidentifier, KeepList, removed_phrase
from knowledge.privacy.model import STRONG_KINDS
from knowledge.textnorm import STOPWORDS

_NAME_LISTS = "data/lookup/src"
_SCORE_AFTER = re.compile(
    rf"(?:[0-9]{{1,2}}|{'|'.join(NUMBER_WORDS)})\b(?![-/.][0-9])", re.IGNORECASE
)
_CASE_CUE = re.compile(
    r"(?:\b(?:casus|casusnummer|dossier|dossiernummer|zaak|nr|nummer)\b\s*[:.]?|#)\s*$",
    re.IGNORECASE,
)
_BSN_CUE = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer)\b\W{0,3}[0-9]")


@cache
def _deduce_words(relative: str) -> frozenset[str]:
    spec = importlib.util.find_spec("deduce")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / _NAME_LISTS / relative
    if not path.exists():
        return frozenset()
    return frozenset(normalise(line) for line in path.read_text("utf-8").splitlines() if line)


@cache
def first_names() -> frozenset[str]:
    """deduce's Dutch first names minus its common and stop words ("roos", "mag")."""
    common = _deduce_words("whitelist/lst_common_word/items.txt")
    common |= _deduce_words("whitelist/lst_stop_word/items.txt")
    return _deduce_words("names/lst_first_name/items.txt") - common - STOPWORDS - FILLERS


def _is_ref_and_word(
    span: str,
    after: str,
    is_word: Callable[[str], bool],
    is_any_word: Callable[[str], bool] = lambda word: False,
) -> bool:
    """'4411 ew' (a case number and an event word), '1904 vd wachtlijst' (a case number,
    "van de" and an event word) or '6614 vt melding' (a case number, any registration word
    such as a melder, and an event word), not a postcode."""
    letters = "".join(ch for ch in normalise(span) if ch.isalpha())
    if not letters:
        return False
    if is_word(letters):
        return True
    following = re.match(r"\s*([^\W_]+)", normalise(after))  # the next word, no punctuation
    named = letters in SHORTHANDS or is_any_word(letters)
    return named and following is not None and is_word(following.group(1))


class PrivacyGuard:
    """Says which kinds of client data a message holds (counts only, never the text).

    Args:
        known_words: folded words that are registration vocabulary and never a name.
        keep_terms: phrases the de-identifier must not remove (melders, teams, cues).
        use_deduce: also ask deduce (slow first load; production turns it on).
        deidentifier: a ready de-identifier, e.g. shared with the question flow.
    """

    def __init__(
        self,
        known_words: Iterable[str],
        keep_terms: Iterable[str],
        *,
        use_deduce: bool = False,
        deidentifier: Deidentifier | None = None,
    ) -> None:
        self._known = frozenset(known_words)
        if deidentifier is None:
            keep = KeepList([*KeepList.load().terms, *(t.lower() for t in keep_terms)])
            deidentifier = Deidentifier(use_deduce=use_deduce, keep=keep)
        self._deidentifier = deidentifier

    def found(
        self,
        message: str,
        is_score_label: Callable[[str], bool] = lambda word: False,
        is_word: Callable[[str], bool] = lambda word: False,
        ends_with_kind: Callable[[str], bool] = lambda before: False,
        is_shortened_word: Callable[[str], bool] = lambda word: False,
        is_any_word: Callable[[str], bool] = lambda word: False,
    ) -> dict[str, int]:
        """Kinds of client data in the raw message, as the de-identifier sees them; a number
        after "bsn" counts even when it fails the eleven-test (a typo is still a BSN).

        A one-word "name" right before a number that abbreviates a leefgebied ("fin 4",
        "just 2": `is_score_label`) is a Wat Telt score, not a person: it is excused, and only
        that (a name anywhere else, or a word no leefgebied starts with, still counts). So is
        a "postcode" whose letters are a registration word (`is_word`: "4411 ew", "4411 wl"):
        a case number followed by an abbreviation; the card shows how it was read; or whose
        letters are the shorthand of a preposition and article, or any registration word
        (`is_any_word`), followed by an event word ("1904 vd wachtlijst af", "6614 vt
        melding": a real postcode is followed by a place or nothing). And a
        number right after a case cue ("casus 2000", "#1987") or right after the words that
        name the event (`ends_with_kind`: "kennismaking 1920", "wl in 1944": the message's
        grammar puts the case number there) is the case number, whatever year it looks like
        (format-found kinds such as a BSN are never excused). A one-word "name" that
        shortens a registration word of the event, or English words of the registration
        glossary (`is_shortened_word`: "aanvr.", "afgesl", "off the waitinglist"; no first
        name is ever read as one) is those words. The full stop of a shortened
        label ("fin. 6") does not part it from its score."""
        removed = self._deidentifier.deidentify(message).removed
        kinds: dict[str, int] = {}
        for span in removed:
            after = message[span.end :].lstrip(" :=.")
            word = normalise(span.original).strip(".")
            person = span.kind == "persoon"
            if person and _SCORE_AFTER.match(after) and is_score_label(word):
                continue
            if person and word.replace(" ", "").isalpha() and is_shortened_word(word):
                continue
            postcode = span.kind == "postcode"
            if postcode and _is_ref_and_word(span.original, after, is_word, is_any_word):
                continue
            numbered = span.original.strip().isdigit() and span.kind not in STRONG_KINDS
            before = message[: span.start]
            if numbered and (_CASE_CUE.search(before) or ends_with_kind(before)):
                continue  # "casus 2000", "kennismaking 1920": a case number, not a birth year
            kinds[span.kind] = kinds.get(span.kind, 0) + 1
        if _BSN_CUE.search(normalise(message)):
            kinds["bsn"] = kinds.get("bsn", 0) or 1
        return kinds

    def loose_names(self, words: Iterable[str]) -> dict[str, int]:
        """First names among the words left once dates and numbers are taken out (so "12
        jan" is a date, but "met jan" is a person)."""
        names = first_names()
        loose = {w for w in words if len(w) >= 3 and w in names and w not in self._known}
        return {"persoon": len(loose)} if loose else {}

    def describe(self, kinds: dict[str, int]) -> str:
        """'een naam', 'een BSN-nummer' — what was seen, without repeating it."""
        phrase = removed_phrase(dict.fromkeys(kinds, 1))
        return phrase.replace("1 ", "een ")
