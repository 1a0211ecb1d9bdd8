"""Turn one short Dutch chat line into a case event, or into a friendly refusal.

Order of work, and why:
1. Privacy first, on the untouched message: nothing with a name, BSN, phone number, address
   or e-mail address is parsed at all, let alone stored.
2. Questions ("weet iemand of ...?") go to the question flow, not into the registration.
3. The message is folded and typos are repaired against the vocabulary; then case numbers
   after a cue, the client's grade, dates and bare case numbers are taken out in that order,
   so no number is read twice.
4. The remaining words are scanned for phrases (kind, team, melder, closure fields,
   leefgebieden) and each field is read from them, refusing contradictions.
Dates are resolved against `sent_at` alone (no clock is read for them); no network is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from casework.registration import fields
from casework.registration.dates import DATE_WORDS, DateMention, find_dates, local_day
from casework.registration.model import CLOSURE_FLAGS, Parsed, Refusal, RefusalCode
from casework.registration.numbers import (
    Grade,
    take_bare_refs,
    take_grades,
    take_marked_refs,
    take_score_scale,
)
from casework.registration.privacy import PrivacyGuard
from casework.registration.refusals import Refused, refuse
from casework.registration.text import FILLERS, Masked, Speller, normalise
from casework.registration.vocabulary import Match, Reading, Vocabulary, load_vocabulary
from knowledge.privacy import Deidentifier
from knowledge.taxonomy import slugs
from knowledge.teams import resolve_team

MAX_LENGTH = 500
_QUESTION_OPENERS = re.compile(
    r"^\s*(?:weet|hoe|wie|waarom|wanneer|welke|waar|kun|kunnen|kan iemand|kan ik|moet ik|mag ik"
    r"|zal ik|is het|klopt het)\b"
)


@dataclass(frozen=True)
class _Reading:
    """What the message says, before fields are checked against its kind."""

    case_refs: list[str]
    grades: list[Grade]
    dates: list[DateMention]
    tokens: list[str]
    aside: frozenset[int]
    matches: list[Match]


class RegistrationParser:
    """Parses quick registrations; build one per process and reuse it (data loads once).

    Args:
        vocabulary: the registration words; defaults to the data files.
        use_deduce: let the privacy check also use deduce (slow first load).
        deidentifier: a shared de-identifier instead of the built-in one.
        max_length: longer messages are refused as not a quick registration.
    """

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        *,
        use_deduce: bool = False,
        deidentifier: Deidentifier | None = None,
        max_length: int = MAX_LENGTH,
    ) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        known = self.vocabulary.words | FILLERS
        self._speller = Speller(known | DATE_WORDS)
        keep = [" ".join(p) for p, r in self.vocabulary.phrases.items() if _keepable(r)]
        self._privacy = PrivacyGuard(known, keep, use_deduce=use_deduce, deidentifier=deidentifier)
        self.max_length = max_length

    def parse(self, message: str, sent_at: datetime, sender_team: str | None) -> Parsed | Refusal:
        """The event in `message`, sent at `sent_at` (timezone-aware) by a member of
        `sender_team` (any spelling; it is the default team), or why it cannot be saved."""
        today = local_day(sent_at)
        try:
            return self._parse(message.strip(), today, _canonical(sender_team))
        except Refused as refused:
            return refused.refusal

    def _parse(self, message: str, today: date, sender: str | None) -> Parsed:
        if not message:
            raise refuse(RefusalCode.EMPTY)
        if len(message) > self.max_length:
            raise refuse(RefusalCode.TOO_LONG)
        if found := self._privacy.found(message):
            raise refuse(RefusalCode.PERSONAL_DATA, detail=self._privacy.describe(found))
        if "?" in message or _QUESTION_OPENERS.match(normalise(message)):
            raise refuse(RefusalCode.QUESTION)
        reading = self._read(message, today)
        if loose := self._privacy.loose_names(reading.tokens):
            raise refuse(RefusalCode.PERSONAL_DATA, detail=self._privacy.describe(loose))
        kind = fields.kind_of(reading.matches, self.vocabulary)
        if kind is None:
            kind = fields.implied_kind(reading.matches, reading.tokens)
        if kind is None:
            raise refuse(RefusalCode.NOT_UNDERSTOOD)
        return self._build(kind, reading, today, sender)

    def _read(self, message: str, today: date) -> _Reading:
        masked = Masked(self._speller.correct(normalise(message)))
        case_refs = take_marked_refs(masked)
        grades = take_grades(masked)
        take_score_scale(masked)
        dates = find_dates(masked, today)
        case_refs += take_bare_refs(masked)
        tokens = masked.tokens()
        matches = self.vocabulary.scan(tokens)
        return _Reading(case_refs, grades, dates, tokens, masked.bracketed(), matches)

    def _build(self, kind: str, reading: _Reading, today: date, sender: str | None) -> Parsed:
        refs = fields.unique(reading.case_refs)
        if len(refs) > 1:
            detail = f"twee casusnummers: {' en '.join(refs)}"
            raise refuse(RefusalCode.CONTRADICTION, detail=detail)
        occurred_on = _date_of(reading.dates, today)
        team, team_stated = fields.team_of(reading.matches, reading.tokens, self.vocabulary, sender)
        values = self._kind_fields(kind, reading)
        if not refs and kind in self.vocabulary.needs_case_ref:
            label = self.vocabulary.kinds[kind].label
            raise refuse(RefusalCode.MISSING_CASE_REF, detail=label, kind=kind)
        stated = {"kind", *(name for name, value in values.items() if value not in (None, ()))}
        stated |= {"case_ref"} if refs else set()
        stated |= {"team"} if team_stated else set()
        stated |= {"occurred_on"} if reading.dates else set()
        return Parsed(
            kind=kind,
            team=team,
            occurred_on=occurred_on or today,
            case_ref=refs[0] if refs else None,
            stated=frozenset(stated),
            **values,
        )

    def _kind_fields(self, kind: str, reading: _Reading) -> dict[str, Any]:
        """The fields that belong to `kind`; words meaning other fields are not used."""
        matches = reading.matches
        if kind == "aanmelding":
            return {"melder": fields.single("melder", matches, "twee melders", reading.aside)}
        if kind == "wat_telt_meting":
            scores = fields.scores_of(matches, reading.tokens)
            if not scores:
                raise refuse(RefusalCode.MISSING_SCORES, kind=kind)
            order = {slug: i for i, slug in enumerate(slugs())}
            return {"scores": tuple(sorted(scores, key=lambda pair: order[pair[0]]))}
        if kind == "afsluiting":
            values: dict[str, Any] = {"reden": fields.single("reden", matches, "twee redenen")}
            for flag in CLOSURE_FLAGS:
                value = fields.single(flag, matches, "twee antwoorden")
                values[flag] = None if value is None else value == "true"
            values["rapportcijfer"] = fields.grade_of(reading.grades)
            return values
        return {}


def _canonical(sender_team: str | None) -> str | None:
    return resolve_team(sender_team) if sender_team else None


def _keepable(readings: Sequence[Reading]) -> bool:
    """Phrases worth protecting from the de-identifier: names of organisations and teams."""
    return any(r.category in ("melder", "team", "region", "kind") for r in readings)


def _date_of(mentions: Sequence[DateMention], today: date) -> date | None:
    for problem, code in (
        ("invalid", RefusalCode.INVALID_DATE),
        ("vague", RefusalCode.VAGUE_DATE),
        ("future", RefusalCode.FUTURE_DATE),
    ):
        wrong = next((m for m in mentions if m.problem == problem), None)
        if wrong is not None:
            detail = wrong.value.strftime("%d-%m-%Y") if wrong.value else wrong.text
            raise refuse(code, detail=detail)
    values = fields.unique([m.value.isoformat() for m in mentions if m.value is not None])
    if len(values) > 1:
        shown = " en ".join(date.fromisoformat(v).strftime("%d-%m-%Y") for v in values)
        raise refuse(RefusalCode.CONTRADICTION, detail=f"twee datums: {shown}")
    return date.fromisoformat(values[0]) if values else None
