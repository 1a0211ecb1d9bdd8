"""Combine all detectors into one redaction of a question.

Order of work: every detector proposes hits; weak hits (names, addresses, birth dates) give
back any stretch the keep list protects; names found anywhere are repeated across the text;
overlapping hits merge into their most specific kind. Then the learned detector
(learned.py) judges every word and date-shaped stretch, given what the rules removed; what it
adds joins the detectors' hits and the steps above run once more. The text is rebuilt with
placeholders.
Checksum- and format-backed hits (BSN, IBAN, phone, e-mail, postcode) are never vetoed: a
routing word cannot hide inside a valid IBAN. Nothing here logs text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from knowledge.privacy.addresses import numbered_after
from knowledge.privacy.date_candidates import is_written_date
from knowledge.privacy.deduce_backend import shared_deduce
from knowledge.privacy.detectors import detect
from knowledge.privacy.keep import KeepList
from knowledge.privacy.learned import LearnedModel, shipped_model
from knowledge.privacy.lexicon import ORG_SUFFIX
from knowledge.privacy.lexicon_names import doubtful_words, has_name_evidence
from knowledge.privacy.model import (
    PLACEHOLDERS,
    PRIORITY,
    STRONG_KINDS,
    Deidentified,
    Hit,
    RemovedSpan,
)
from knowledge.privacy.name_context import (
    PERSON_NOUNS,
    birth_dates_after_person_nouns,
    names_before_birth_dates,
    possessive_names,
    spread_names,
    subjects_of_a_year,
)
from knowledge.privacy.names import propagate_names
from knowledge.privacy.patterns import (
    birth_dates_after,
    birth_dates_listed_after,
    is_month_in_date,
)
from knowledge.privacy.spoken import in_digits
from knowledge.privacy.vocabulary import is_name

_EDGE_JUNK = " \t\n,;:()[]'\"-"
_TRAILING_PARTICLES = re.compile(r"(?:\s+(?:van|de[nr]?|het|te[nr]?|'t|uit|bij))+\W*$")
_SHARED_KEEP: KeepList | None = None


def _default_keep() -> KeepList:
    global _SHARED_KEEP
    if _SHARED_KEEP is None:
        _SHARED_KEEP = KeepList.load()
    return _SHARED_KEEP


class Deidentifier:
    """Removes personal data from a generalist's question before any expert sees it.

    Args:
        use_deduce: add the deduce library's findings (loaded lazily, shared per process).
        keep: terms to protect; defaults to ``knowledge/data/privacy_keep.txt``.
        max_birth_year: a full date up to this year counts as a birth date even without a
            cue such as "geb."; defaults to twelve years before today.
        learned: the learned detector's model (knowledge/privacy/learned.py) whose names and
            birth dates are added to the rules' findings; defaults to the shipped model.
        use_learned: switch the learned detector off (to measure the rules alone).
    """

    def __init__(
        self,
        *,
        use_deduce: bool = True,
        keep: KeepList | None = None,
        max_birth_year: int | None = None,
        learned: LearnedModel | None = None,
        use_learned: bool = True,
    ) -> None:
        self.use_deduce = use_deduce
        self.keep = keep if keep is not None else _default_keep()
        self.max_birth_year = max_birth_year or date.today().year - 12
        self.learned = learned
        self.use_learned = use_learned

    def preload(self) -> None:
        """Pay deduce's load now (at start-up) instead of on the first question."""
        if self.use_deduce:
            shared_deduce()
        if self.use_learned and self.learned is None:
            shipped_model()

    def deidentify(self, text: str) -> Deidentified:
        """Numbers said in words are read as digits first (spoken.py: a dictated message);
        what is found there is removed from the text as written, whole words at a time."""
        spoken = in_digits(text)
        if not spoken.rewritten:
            return self._deidentify(text)
        found = self._deidentify(spoken.text).removed
        spans = tuple(
            RemovedSpan(span.kind, start, end, text[start:end])
            for span in found
            for start, end in [spoken.span_in_original(span.start, span.end)]
        )
        return Deidentified(text=_redact(text, spans), removed=spans)

    def _deidentify(self, text: str) -> Deidentified:
        """The rules first; then the learned detector, given what the rules removed; when it
        adds anything, the rules run again with its hits among their own findings, so a name
        it found is repeated and its birth date found as after any name."""
        protected = _merge_intervals(self.keep.spans(text))
        found = list(detect(text, protected, self.max_birth_year, use_deduce=self.use_deduce))
        spans = self._spans(text, protected, found)
        model = self.learned or (shipped_model() if self.use_learned else None)
        if model is not None:
            rules = [(s.start, s.end, s.kind) for s in spans]
            extra = [
                hit
                for hit in model.hits(text, rules)
                if not any(s.start <= hit.start and hit.end <= s.end for s in spans)
            ]
            if extra:
                spans = self._spans(text, protected, found + extra)
        return Deidentified(text=_redact(text, spans), removed=spans)

    def _spans(
        self, text: str, protected: list[tuple[int, int]], found: list[Hit]
    ) -> tuple[RemovedSpan, ...]:
        hits = [h for hit in found for h in _give_back(text, hit, protected)]
        of_a_year = list(subjects_of_a_year(text))
        hits += [h for h in of_a_year if h.kind == "persoon"]
        more = [*birth_dates_after_person_nouns(text)]
        more += [h for h in of_a_year if h.kind == "geboortedatum"]
        births = [h for h in hits if h.kind == "geboortedatum"] + more
        listed = [  # the enumerations that continue any of them
            Hit(start, end, "geboortedatum")
            for birth in births
            for start, end in birth_dates_listed_after(text, birth.end, PERSON_NOUNS)
        ]
        births += listed
        hits += more + listed
        context = [*names_before_birth_dates(text, births), *possessive_names(text)]
        hits += [h for hit in context for h in _give_back(text, hit, protected)]
        # "12 jan", "jan t/m mei 2017": a month among dates is never the name Jan
        persons = [
            h for h in hits if h.kind == "persoon" and not is_month_in_date(text, h.start, h.end)
        ]
        hits = [h for h in hits if h.kind != "persoon"] + persons
        repeated = list(propagate_names(text, persons))
        repeated += spread_names(text, persons + repeated)
        hits += [h for hit in repeated for h in _give_back(text, hit, protected)]
        hits += list(_years_after_names(text, [h for h in hits if h.kind == "persoon"]))
        return _resolve(text, hits)

    def doubtful(self, text: str) -> tuple[str, ...]:
        """Words of an already de-identified text that may still name someone
        (knowledge/privacy/lexicon_names.py): the asker should look before it is sent."""
        return doubtful_words(text, self.keep.spans(text))


def _merge_intervals(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _give_back(text: str, hit: Hit, protected: list[tuple[int, int]]) -> Iterator[Hit]:
    """Cut protected stretches out of a weak hit and tidy the pieces that remain."""
    if hit.kind in STRONG_KINDS:
        yield hit
        return
    pieces, cursor = [], hit.start
    for start, end in protected:
        if end <= hit.start or start >= hit.end:
            continue
        if hit.kind == "adres" and numbered_after(text, end):
            continue  # "Ondiep Zuidzijde 71", "St.-Jacobsstraat 190": a street named after it
        pieces.append((cursor, max(cursor, start)))
        cursor = max(cursor, end)
    pieces.append((cursor, hit.end))
    for start, end in pieces:
        piece = text[start:end]
        left = len(piece) - len(piece.lstrip(_EDGE_JUNK))
        if hit.kind == "geboortedatum" and re.match(r"['’]\d{2}", piece[left - 1 : left + 2]):
            left -= 1  # "geboren in '74": the apostrophe is part of the year
        if hit.kind == "adres" and re.match(r"['’]t ", piece[left - 1 : left + 2]):
            left -= 1  # "'t Goylaan 88": the article is part of the street's name
        right = len(piece.rstrip(_EDGE_JUNK))
        if hit.kind == "persoon":  # "Jeroen de Vries van [Altrecht]" ends at "Vries"
            right = left + len(_TRAILING_PARTICLES.sub("", piece[left:right]))
            left, right = _without_organisation_words(piece, left, right)
        if right > left and _plausible(hit.kind, piece[left:right]):
            yield Hit(start + left, start + right, hit.kind)


def _without_organisation_words(piece: str, left: int, right: int) -> tuple[int, int]:
    """ "mw Brouwer Stadsbank", "mevr Smit WMO-loket": an organisation word (lexicon.ORG_SUFFIX)
    at either edge of a name found from context is where the client is known, not who she is;
    it is given back so routing can use it."""
    words = list(re.finditer(r"\S+", piece[left:right]))
    while len(words) > 1 and _organisation_word(words[-1].group().strip(_EDGE_JUNK)):
        words.pop()
    while len(words) > 1 and _organisation_word(words[0].group().strip(_EDGE_JUNK)):
        words.pop(0)
    if not words:
        return left, right
    return left + words[0].start(), left + words[-1].end()


def _organisation_word(word: str) -> bool:
    """An organisation's or facility's word by its ending, unless the name lists know it as a
    name: "jagroep" ends like "groep" but is a surname."""
    return bool(ORG_SUFFIX.search(word)) and not is_name(word)


def _years_after_names(text: str, persons: list[Hit]) -> Iterator[Hit]:
    """ "fatima (1961)", "Ricardo Cijntje, 17-9-96": a date or year next to a name is the
    person's birth date, as in a register or a letterhead (patterns.birth_dates_after)."""
    for person in persons:
        for start, end in birth_dates_after(text, person.end):
            yield Hit(start, end, "geboortedatum")


def _plausible(kind: str, piece: str) -> bool:
    if kind == "persoon":
        if re.fullmatch(r"(?i)(?:van|de[nr]?|\W)*", piece):
            return False
        if " " not in piece and _organisation_word(piece):
            return False  # "Stadsbank", "WMO-loket": an organisation's word, no known name
        return any(c.isupper() for c in piece) or has_name_evidence(piece)
    if kind == "adres":
        return any(c.isalpha() for c in piece) and any(c.isdigit() for c in piece)
    if any(c.isdigit() for c in piece):
        return True
    return kind == "geboortedatum" and is_written_date(piece)  # a date in words (date_forms.py)


def _resolve(text: str, hits: list[Hit]) -> tuple[RemovedSpan, ...]:
    """Merge overlapping hits, and same-kind hits only a space or hyphen apart ("[naam]
    [naam]" would tell that two names were there), into one span each."""
    merged: list[Hit] = []
    for hit in sorted(hits):
        if merged:
            last = merged[-1]
            gap = text[last.end : hit.start]
            if hit.start <= last.end or (hit.kind == last.kind and gap.strip(" ") in ("", "-")):
                kind = max(last.kind, hit.kind, key=PRIORITY.__getitem__)
                merged[-1] = Hit(last.start, max(last.end, hit.end), kind)
                continue
        merged.append(hit)
    return tuple(RemovedSpan(h.kind, h.start, h.end, text[h.start : h.end]) for h in merged)


def _redact(text: str, spans: tuple[RemovedSpan, ...]) -> str:
    parts, cursor = [], 0
    for span in spans:
        parts += [text[cursor : span.start], PLACEHOLDERS[span.kind]]
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)
