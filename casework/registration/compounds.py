"""Compounds of event-kind words, written whole or shortened at the head.

Two shapes, both read against the kind words of the vocabulary:
- a compound written as one word whose head is a word of an event kind ("startondersteuning",
  "wachtlijstplaatsing", "hbhaanvraag", "afsluitingsgesprek"): read as its two words, so the
  phrase scan finds the kind (`split`);
- a one-word kind cue shortened at its head and followed by its tail in full ("ken.gesprek",
  "kennism. gesprek" for "kennismakingsgesprek"): read as that cue when every cue that fits
  means the same kind (`shortened_heads`).

Invariants: only a kind's word heads a split (other compounds, "woningstichting", are better
read whole by the synonyms); a known word, a Dutch word or a name is never split; a shortened
head needs three letters and the tail four, and only free tokens are read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from casework.registration.slots import SlotResult
from casework.registration.vocabulary import Match, Reading, Vocabulary

MIN_HEAD = 3  # "hbh" + "aanvraag"
MIN_TAIL = 4


@dataclass
class Compounds:
    """Reads kind compounds (module docstring).

    Args:
        vocabulary: the registration words.
        is_word: a word of the Dutch dictionary.
        never_split: words never split (names, stop words, fillers).
    """

    vocabulary: Vocabulary
    is_word: Callable[[str], bool]
    never_split: Callable[[str], bool]
    _kind_words: frozenset[str] = field(init=False)
    _kind_compounds: dict[str, str] = field(init=False)
    _kind_pairs: dict[tuple[str, ...], str] = field(init=False)

    def __post_init__(self) -> None:
        kinds = {
            phrase: value
            for phrase, readings in self.vocabulary.phrases.items()
            if (value := next((r.value for r in readings if r.category == "kind"), None))
        }
        self._kind_words = frozenset(word for phrase in kinds for word in phrase)
        self._kind_compounds = {p[0]: v for p, v in kinds.items() if len(p) == 1}
        self._kind_pairs = {p: v for p, v in kinds.items() if len(p) == 2}

    def split(self, word: str) -> str | None:
        """The two words of a compound headed by a kind's word, the longest head first."""
        if word in self.vocabulary.words or self.is_word(word) or self.never_split(word):
            return None
        for cut in range(len(word) - MIN_TAIL, MIN_HEAD - 1, -1):
            head, rest = word[:cut], word[cut:]
            if head not in self._kind_words or self.never_split(head):
                continue
            for tail in (rest, rest[1:] if rest.startswith("s") else ""):
                if len(tail) >= MIN_TAIL and (tail in self.vocabulary.words or self.is_word(tail)):
                    return f"{head} {tail}"
        return None

    def shortened_heads(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A kind match for two free words that shorten one kind compound: its head's start
        and its tail ("ken gesprek" is "kennismakingsgesprek")."""
        inside = {i for m in read.matches for i in range(m.start, m.end)}
        for i in range(len(tokens) - 1):
            head, tail = tokens[i], tokens[i + 1]
            if inside & {i, i + 1} or len(head) < MIN_HEAD or len(tail) < MIN_TAIL:
                continue
            if head.isdigit() or tail.isdigit():
                continue
            kinds = {
                kind
                for word, kind in self._kind_compounds.items()
                if len(word) > len(head) + len(tail)
                and word.startswith(head)
                and word.endswith(tail)
            }
            if len(kinds) == 1:
                reading = Reading("kind", kinds.pop())
                read.matches.append(Match(i, i + 2, f"{head} {tail}", (reading,)))
                inside |= {i, i + 1}

    def modified_phrases(self, tokens: Sequence[str], read: SlotResult) -> None:
        """A kind match for a two-word kind phrase whose first word heads a Dutch compound
        ("startdatum ondersteuning", "startgesprek begeleiding"): the compound's tail (a date,
        a talk) describes the event the phrase names, so the phrase is read through it."""
        inside = {i for m in read.matches for i in range(m.start, m.end)}
        for i in range(len(tokens) - 1):
            word, after = tokens[i], tokens[i + 1]
            if inside & {i, i + 1}:
                continue
            kinds = {
                kind
                for (head, tail), kind in self._kind_pairs.items()
                if after == tail and self._headed_by(word, head)
            }
            if len(kinds) == 1:
                reading = Reading("kind", kinds.pop())
                read.matches.append(Match(i, i + 2, f"{word} {after}", (reading,)))
                inside |= {i, i + 1}

    def _headed_by(self, word: str, head: str) -> bool:
        rest = word[len(head) :]
        if not word.startswith(head) or len(rest) < MIN_TAIL:
            return False
        return any(
            len(tail) >= MIN_TAIL and self.is_word(tail)
            for tail in (rest, rest[1:] if rest.startswith("s") else "")
        )
