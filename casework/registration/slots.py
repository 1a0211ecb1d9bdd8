"""Slots: words the phrase scan left over, read by where they stand in the message.

The scan (`Vocabulary.scan`) finds the phrases the vocabulary holds. What it leaves is read by
position, each slot admitting one category only, so an abbreviation or a synonym that would be
ambiguous in the whole vocabulary is clear in its slot:
- a team: a word-by-word abbreviation of a team name ("kan noord");
- a leefgebied: the free words right before a Wat Telt score ("psych 5", "eenzaamheid 4");
- a melder: the free words after "via", "vanuit", "door" or "melder" in an aanmelding, else any
  free words of it;
- a reason: the free words of an afsluiting.
A run that holds a word the vocabulary only knows for other fields ("ervaringwijzer") is left
to those fields and to the card's notes.
Negation is scoped to the phrase right after "niet", "geen" or "nooit": a closure flag flips
("geen zelfstandig verder"), a reason or melder is dropped with a note ("geen doel bereikt").

Invariants: a slot only reads free tokens (in no phrase, not a number); a value found by the
embedder is always `guessed` (the card asks to check it); a free run that holds a negation is
only read as a phrase that holds one too; every free word that stays unread gets a note, so
the card shows all the message said.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from casework.registration.abbreviations import Abbreviations, phrase_at
from casework.registration.model import RefusalCode
from casework.registration.refusals import refuse
from casework.registration.synonyms import Synonyms
from casework.registration.vocabulary import Match, Reading, Vocabulary

NEGATORS = frozenset({"niet", "geen", "nooit"})
ANSWERS_NO = frozenset({"nee", "neen", "niet", "no"})
MELDER_CUES = frozenset({"via", "vanuit", "door", "melder"})
FLAGS = ("zelfstandig_verder", "volgens_plan", "ervaringwijzer")
_RUN = 3  # words a slot reads at most


@dataclass
class SlotResult:
    """The outcome of reading slots: extra matches, guessed fields and card notes."""

    matches: list[Match]
    breaks: frozenset[int] = frozenset()  # token positions right after punctuation
    dots: frozenset[int] = frozenset()  # ... right after a full stop alone
    guessed: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    noted: set[int] = field(default_factory=set)  # token positions a note already covers
    embedded: set[int] = field(default_factory=set)  # token positions read by the embedder


@dataclass
class SlotReader:
    vocabulary: Vocabulary
    abbreviations: Abbreviations
    synonyms: Synonyms | None
    is_content: Callable[[str], bool]  # a word that carries meaning (no stop word, filler)
    is_function_word: Callable[[str], bool]  # never an abbreviation, even in a slot
    # `_phrases` by categories: the vocabulary does not change after loading, and every
    # message asks for the same few selections (about ten times per message).
    _selections: dict[tuple[str, ...], dict[tuple[str, ...], str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def free(self, tokens: Sequence[str], matches: Sequence[Match]) -> list[bool]:
        inside = {i for m in matches for i in range(m.start, m.end)}
        return [i not in inside and not t.isdigit() for i, t in enumerate(tokens)]

    def is_leefgebied_abbreviation(self, word: str) -> bool:
        """Whether `word` alone abbreviates a leefgebied name ("fin", "psych", "just")."""
        found = phrase_at([word], 0, self._phrases("leefgebied"), [True], self.is_function_word)
        return found is not None

    def longer_phrases(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A matched phrase that the free words after it extend, abbreviated, into a longer
        phrase of the same category and value (a region: into one of its teams) is that
        phrase ("start ond." is "start ondersteuning", not "start" and the team Ondiep;
        "kanaleneiland zd" is Kanaleneiland Zuid): the words complete what was begun,
        so they are not read on their own (`teams` comes after this)."""
        free = self.free(tokens, read.matches)
        for k, match in enumerate(read.matches):
            for reading in match.readings:
                phrases = self._longer(reading)
                own = [False] * match.start + [True] * (match.end - match.start)
                open_ = own + free[match.end :]
                protected = self.abbreviations.protected
                found = phrase_at(tokens, match.start, phrases, open_, protected)
                if found is None or found[1] <= match.end - match.start:
                    continue
                end = match.start + found[1]
                value = phrases[found[0]]
                category = "team" if reading.category == "region" else reading.category
                read.matches[k] = _match(tokens, match.start, end, Reading(category, value))
                free[match.end : end] = [False] * (end - match.end)
                break

    def earlier_words(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A region whose free words before it abbreviate, with it, a team's name is that
        team ("kan zuid", "kan. zuid" is Kanaleneiland Zuid): the shortened word begins the
        name the region word ends, so the region is not asked back as ambiguous."""
        free = self.free(tokens, read.matches)
        teams = self._phrases("team")
        for k, match in enumerate(read.matches):
            if match.value("region") is None:
                continue
            for back in (1, 2):
                start = match.start - back
                if start < 0 or not all(free[start : match.start]):
                    continue
                open_ = [start <= i < match.end for i in range(len(tokens))]
                protected = self.abbreviations.protected
                found = phrase_at(tokens, start, teams, open_, protected)
                if found is None or start + found[1] != match.end:
                    continue
                read.matches[k] = _match(tokens, start, match.end, Reading("team", teams[found[0]]))
                free[start : match.start] = [False] * back
                break

    def _longer(self, reading: Reading) -> dict[tuple[str, ...], str]:
        """The phrases `reading` may grow into: of its own value, or for a region the names
        of its teams ("kanaleneiland zd" is Kanaleneiland Zuid)."""
        if reading.category == "region":
            members = set(self.vocabulary.regions.get(reading.value, ()))
            return {p: v for p, v in self._phrases("team").items() if v in members}
        return {p: v for p, v in self._phrases(reading.category).items() if v == reading.value}

    def teams(self, tokens: Sequence[str], read: SlotResult) -> None:
        """Team initials and abbreviated team names among the free words."""
        self._abbreviated(tokens, read, ("team", "region"), self._phrases("team", "region"))

    def kinds(self, tokens: Sequence[str], read: SlotResult) -> None:
        """Kind phrases of two or more words written shortened word by word ("huish. hulp
        aangevraagd", "wachtl. af"): a single word is already read by the abbreviations."""
        phrases = {p: v for p, v in self._phrases("kind").items() if len(p) > 1}
        self._abbreviated(tokens, read, ("kind",), phrases)

    def _abbreviated(
        self,
        tokens: Sequence[str],
        read: SlotResult,
        categories: tuple[str, ...],
        phrases: dict[tuple[str, ...], str],
    ) -> None:
        """Matches for the phrases the free words abbreviate, left to right (`phrase_at`),
        read in the first of `categories` the phrase has (a team before a region)."""
        free = self.free(tokens, read.matches)
        i = 0
        while i < len(tokens):
            if not free[i]:
                i += 1
                continue
            found = phrase_at(tokens, i, phrases, free, self.abbreviations.protected)
            if found is None:
                i += 1
                continue
            phrase, size = found
            readings = self.vocabulary.phrases[phrase]
            reading = min(
                (r for r in readings if r.category in categories),
                key=lambda r: categories.index(r.category),
            )
            read.matches.append(_match(tokens, i, i + size, reading))
            free[i : i + size] = [False] * size
            i += size

    def negations(self, tokens: Sequence[str], read: SlotResult) -> None:
        """Flags after a negation flip; a reason or melder after one is dropped, with a note.
        A flag answered "nee" ("zelfst. verder nee", "ew: niet") is false."""
        kept: list[Match] = []
        inside = {i for m in read.matches for i in range(m.start, m.end)}
        for match in read.matches:
            answer = tokens[match.end] if match.end < len(tokens) else ""
            answer = "" if match.end in inside else answer
            if answer in ANSWERS_NO and any(r.category in FLAGS for r in match.readings):
                match = Match(match.start, match.end, match.words, _flags(match, "false"))
                read.noted.add(match.end)
            if match.start == 0 or tokens[match.start - 1] not in NEGATORS:
                kept.append(match)
                continue
            readings = []
            for r in match.readings:
                if r.category in FLAGS:
                    readings.append(Reading(r.category, "false" if r.value == "true" else "true"))
                elif r.category in ("reden", "melder"):
                    said = f"{tokens[match.start - 1]} {match.words}"
                    read.notes.append(f"'{said}': ontkend, niet ingevuld")
                    read.noted.update(range(match.start - 1, match.end))
                else:
                    readings.append(r)
            if readings:
                kept.append(Match(match.start, match.end, match.words, tuple(readings)))
        read.matches[:] = kept

    def leefgebieden(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A leefgebied for every score whose free words before it name none yet."""
        phrases = self._phrases("leefgebied")
        free = self.free(tokens, read.matches)
        named_end = {m.end for m in read.matches if m.value("leefgebied")}
        for number, token in enumerate(tokens):
            if not token.isdigit() or number == 0 or not free[number - 1]:
                continue
            start = number
            while start > 0 and free[start - 1] and number - start < _RUN:
                if start < number and start in read.breaks - read.dots:
                    break  # "geld 5, wonen 6": the run of 6 starts after the comma (a
                    # full stop may close a shortened word: "geest. gezondheid 12")
                start -= 1
            run = list(tokens[start:number])
            if not any(self.is_content(w) for w in run) or start in named_end:
                continue  # "psychisch gezondheid 7": the score of the name before the run
            slug, guessed = self._slot(run, phrases, "leefgebied", free[start:number])
            if slug is None:
                _refuse_shared(run, phrases)
                read.notes.append(f"'{' '.join(run)} {token}': welk leefgebied? niet ingevuld")
                read.noted.update(range(start, number + 1))
                continue
            read.matches.append(_match(tokens, start, number, Reading("leefgebied", slug)))
            if guessed:
                read.guessed.add("scores")
                read.embedded.update(range(start, number))
            free[start:number] = [False] * (number - start)

    def named(self, tokens: Sequence[str], read: SlotResult, category: str, cued: bool) -> None:
        """A value of `category` (melder or reden) from the free words, when none was found.
        With `cued` the slot is the words after a melder cue ("via haar man"): only there
        may the embedder guess; elsewhere only an abbreviation is read ("zelfm."), because
        "aanmelding 4411 telefonisch binnengekomen" names a channel, not a melder."""
        if any(m.value(category) for m in read.matches):
            return
        free = self.free(tokens, read.matches)
        cues = MELDER_CUES if cued else frozenset()
        for start, end, after_cue in _runs(tokens, free, read.noted, cues, read.breaks):
            run = list(tokens[start:end])
            if not any(self.is_content(w) and len(w) > 2 for w in run):
                continue
            if any(self._foreign(w, category) for w in run):
                continue  # "geen toestemming voor ervaringwijzer" is about the flag
            embed = after_cue or not cued
            phrases = self._phrases(category)
            value, guessed = self._slot(run, phrases, category, free[start:end], embed)
            if value is not None:
                read.matches.append(_match(tokens, start, end, Reading(category, value)))
                if guessed:
                    read.guessed.add(category)
                    read.embedded.update(range(start, end))
                return

    def _foreign(self, word: str, category: str) -> bool:
        """A vocabulary word of other fields only: its run belongs to those fields."""
        meaning = self.abbreviations.meaning(word)
        return bool(meaning) and all(r.category != category for r in meaning)

    def unread(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A note for every run of free content words nothing read."""
        free = self.free(tokens, read.matches)
        for start, end, _ in _runs(tokens, free, read.noted, frozenset(), read.breaks):
            words = [w for w in tokens[start:end] if self.is_content(w)]
            if words:
                read.notes.append(f"niet gebruikt: '{' '.join(tokens[start:end])}'")

    def _slot(
        self,
        run: list[str],
        phrases: dict[tuple[str, ...], str],
        category: str,
        free: list[bool],
        embed: bool = True,
    ) -> tuple[str | None, bool]:
        """(value, guessed) for the words of one slot: an abbreviation ending at the slot's
        end first, then the embedder."""
        # Before a score any short word is a label ("fin 4", "pers verz 12"); elsewhere a
        # dictionary word is itself ("via haar man" is no "mantelzorg").
        protected = (
            self.is_function_word if category == "leefgebied" else self.abbreviations.protected
        )
        for size in range(len(run), 0, -1):
            found = phrase_at(run, len(run) - size, phrases, free, protected)
            if found is not None and found[1] == size:
                return phrases[found[0]], False
        if self.synonyms is None or not embed:
            return None, False
        guess = self.synonyms.guess(" ".join(run), category)
        if guess is None:
            return None, False
        negated = bool(NEGATORS.intersection(run))
        if negated != bool(NEGATORS.intersection(guess.phrase.split())):
            return None, False
        return guess.value, True

    def _phrases(self, *categories: str) -> dict[tuple[str, ...], str]:
        """Each phrase of `categories` with its value (a team before a region); the same
        dict for the same categories, so callers must not change it."""
        if categories not in self._selections:
            found: dict[tuple[str, ...], str] = {}
            for category in categories:
                for phrase, readings in self.vocabulary.phrases.items():
                    value = next((r.value for r in readings if r.category == category), None)
                    if value is not None:
                        found.setdefault(phrase, value)
            self._selections[categories] = found
        return self._selections[categories]


def _flags(match: Match, value: str) -> tuple[Reading, ...]:
    """`match`'s readings with every closure flag set to `value`."""
    return tuple(Reading(r.category, value) if r.category in FLAGS else r for r in match.readings)


def _match(tokens: Sequence[str], start: int, end: int, reading: Reading) -> Match:
    return Match(start, end, " ".join(tokens[start:end]), (reading,))


def _runs(
    tokens: Sequence[str],
    free: Sequence[bool],
    noted: set[int] | frozenset[int],
    cues: frozenset[str],
    breaks: frozenset[int],
) -> list[tuple[int, int, bool]]:
    """Runs of free, un-noted words that punctuation does not split, as (start, end, after a
    cue); a run right after one of `cues` is at most `_RUN` long and comes first."""
    runs: list[tuple[int, int, bool]] = []
    cued: list[tuple[int, int, bool]] = []
    i = 0
    while i < len(tokens):
        if not free[i] or i in noted or tokens[i] in cues:
            i += 1
            continue
        end = i + 1
        while (
            end < len(tokens)
            and free[end]
            and end not in noted
            and end not in breaks
            and tokens[end] not in cues
        ):
            end += 1
        if i > 0 and tokens[i - 1] in cues:
            cued.append((i, min(end, i + _RUN), True))
        else:
            runs.append((i, end, False))
        i = end
    return cued + runs


def _refuse_shared(run: Sequence[str], phrases: dict[tuple[str, ...], str]) -> None:
    """Asks back a score whose words are shared by the names of several leefgebieden
    ("gezondheid 6": geestelijke or lichamelijke): a guess would put a client's score in the
    wrong place, and dropping it loses what was said. A run naming none is only noted."""
    for word in run:
        slugs = sorted({slug for phrase, slug in phrases.items() if word in phrase})
        if len(slugs) > 1 and all(len(p) > 1 for p in phrases if word in p):
            detail = f"'{word}' kan {' of '.join(s.replace('_', ' ') for s in slugs)} zijn"
            raise refuse(RefusalCode.INCOMPLETE_SCORES, detail=detail, kind="wat_telt_meting")
