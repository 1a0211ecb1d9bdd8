"""Numbers said instead of typed: a dictated message ("geboren twaalf maart negentienzeventig",
"telefoon nul zes twee vier …", "nummer achtentwintig") with its numbers written in digits, so
the detectors, which read digits, find the date, the phone number and the house number; and
the way back from a span in that text to the same words in the text as said.

A run of number words (knowledge/number_words.py) separated by spaces becomes one number when
it is dictated digit by digit: three or more words each below ten, or starting with "nul" (a
phone number said in pairs: "nul zes twaalf vierendertig …", a date "nul vier nul zeven …").
Otherwise a year said in two words ("negentien negenenveertig") and a round number with "en"
("tweeduizend en twee") become one number, and every other number word its own digits, except
"een"/"één", which is far more often the article: it counts only inside a dictated run. An
ordinal becomes digits only as the day before a month ("de dertiende mei"): elsewhere it is a
street ("Tweede Daalsedijk") or a rank. A postcode is spelled aloud: two Dutch letter names
("bee", "ee", "kaa", "iks") right after four digits, dictated one by one or written, become
the two letters ("drie vijf zes vier bee ee" reads "3564 be"), and the postcode detector
judges them as it judges typed letters; a comma may stand between digits and letters.

A phone number is dictated in groups ("nul zes, een twee, vier vier, …", "nul zes. acht nul.
…"): runs separated by a comma or a full stop become one number when their digits joined have
the shape of a Dutch subscriber number (numbering plan: a trunk 0, then nine digits, the
first not 0), or, each group said digit by digit, when they are nine digits that pass the
BSN eleven-test (a BSN dictated in threes: "vier nul vier, zes acht zes, …"), never
otherwise; an ellipsis ("…", "...") separates groups as a comma does (a pause typed by a
speech app). An IBAN is dictated with its country said as two letter names
("en el vierenzeventig rabo …", "d e nul twee …"): two letter names that form an ISO 13616
country code right before a spoken number are written as that code, joined to the number,
and the IBAN detectors judge the result as they judge a typed IBAN. The text is otherwise
unchanged.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from knowledge.dutch_calendar import MONTHS
from knowledge.number_words import WORD, ordinal_of, value_of
from knowledge.privacy.iban import IBAN_LENGTHS
from knowledge.privacy.lexicon import STOPWORDS
from knowledge.privacy.patterns import passes_eleven_test

_ARTICLE = frozenset({"een", "één", "eén", "éen"})
_BETWEEN = re.compile(r"[ \t]+")
_AND = re.compile(r"[ \t]+en[ \t]+")
_BEFORE_MONTH = re.compile(rf"\b([a-zA-Zë]+)[ \t]+(?i:{'|'.join(MONTHS)})\b")
_CENTURIES = frozenset({19, 20})  # the years a person now alive was born in
# The Dutch names of the letters, as a word is spelled aloud (not the spelling alphabet's
# code words "Anton", "Bernard").
_SPOKEN_LETTERS = (
    *("a", "bee", "cee", "dee", "ee", "ef", "gee", "haa", "ie", "jee", "kaa", "el", "em"),
    *("en", "oo", "pee", "kuu", "er", "es", "tee", "uu", "vee", "wee", "iks", "ij", "zet"),
)
_NAMED = dict(zip(_SPOKEN_LETTERS, "abcdefghijklmnopqrstuvwxyz", strict=True))
# A long vowel at the end of an open syllable is written single as well ("ka", "ha", "pe"):
# that spelling counts too, unless it is a Dutch word of its own ("de", "we").
_OPEN_SYLLABLE = {
    name[:-1]: letter
    for name, letter in _NAMED.items()
    if len(name) == 3 and name[-1] == name[-2] and name[:-1] not in STOPWORDS
}
LETTER_NAMES = {**_NAMED, **_OPEN_SYLLABLE, "griekse ij": "y"}
_LETTERS = "|".join(sorted(map(re.escape, LETTER_NAMES), key=len, reverse=True))
# A postcode's letters are said as letter names or typed as single letters ("c s", "G T"),
# after a space or a comma (the pause between digits and letters: "drie vier, bee ee").
_LETTER_PAIR = re.compile(
    rf"(?:[ \t]*,)?[ \t]+(?i:({_LETTERS}|[a-z])[ \t]+({_LETTERS}|[a-z]))(?![\w-])"
)
# A postcode's four digits, written together or one by one ("3 5 5 4").
_FOUR_DIGITS = re.compile(r"(?<![\d\w])[1-9](?:\d{3}|(?:[ ]\d){3})(?![\w-])")
# Two letter names before a spoken number: an IBAN's country ("en el", "d e", "bee ee").
_COUNTRY = re.compile(rf"(?<![\w-])(?i:({_LETTERS}|[a-z])[ \t]+({_LETTERS}|[a-z]))[ \t]+$")
_GROUP_GAP = re.compile(r"[ \t]*(?:\.{3}|[,.…])[ \t]*")
# The numbering plan: a trunk 0 and nine digits, not a service number (0800, 0900, 0906, 0909).
_SUBSCRIBER = re.compile(r"0(?!800|90[069])[1-9]\d{8}")


@dataclass(frozen=True)
class Spoken:
    """`text` with numbers in digits; `pieces` the numbers rewritten and `letters` the letter
    names rewritten, each as (start, end) in the original and (start, end) in `text`, in
    order."""

    original: str
    text: str
    pieces: tuple[tuple[int, int, int, int], ...] = ()
    letters: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def rewritten(self) -> tuple[tuple[int, int, int, int], ...]:
        """Every rewritten stretch, numbers and letters, in order."""
        return tuple(sorted(self.pieces + self.letters))

    def span_in_original(self, start: int, end: int) -> tuple[int, int]:
        """A stretch of `text` as the stretch of the original it was written from; a boundary
        inside a rewritten number widens to the whole number."""
        return self._position(start, at_end=False), self._position(end, at_end=True)

    def _position(self, position: int, *, at_end: bool) -> int:
        rewritten = self.rewritten
        starts = [piece[2] for piece in rewritten]
        index = bisect_right(starts, position - 1 if at_end else position) - 1
        if index < 0:
            return position
        old_start, old_end, new_start, new_end = rewritten[index]
        if new_start <= position < new_end or (at_end and new_start < position <= new_end):
            return old_end if at_end else old_start
        return position - new_end + old_end  # after the piece: shifted by its change in length


def in_digits(text: str) -> Spoken:
    """The text with its spoken numbers written in digits (module docstring)."""
    replacements = [  # "de dertiende mei": an ordinal is a day only before a month
        (match.start(1), match.end(1), str(day))
        for match in _BEFORE_MONTH.finditer(text)
        if (day := ordinal_of(match.group(1))) is not None and day <= 31
    ]
    dictated_ends = []
    runs = _runs(text)
    grouped = _phone_groups(runs, text)
    replacements += grouped
    for run in runs:
        if any(start <= run[0][0] < end for start, end, _ in grouped):
            continue
        values = [value for _, _, value, _ in run]
        if len(run) >= 3 and (max(values) < 10 or values[0] == 0):
            replacements.append((run[0][0], run[-1][1], "".join(map(str, values))))
            if len(run) == 4 and values[0] != 0:
                dictated_ends.append(run[-1][1])
            continue
        replacements += _numbers(run)
    spelled = _spelled_letters(text, dictated_ends) + _countries(text, runs)
    if not replacements and not spelled:
        return Spoken(text, text)
    parts, cursor, shift = [], 0, 0
    pieces: list[tuple[int, int, int, int]] = []
    letters: list[tuple[int, int, int, int]] = []
    for start, end, written in sorted(replacements + spelled):
        parts += [text[cursor:start], written]
        new_start = start + shift
        into = pieces if written.isdigit() else letters
        into.append((start, end, new_start, new_start + len(written)))
        shift += len(written) - (end - start)
        cursor = end
    parts.append(text[cursor:])
    return Spoken(text, "".join(parts), tuple(pieces), tuple(letters))


def _spelled_letters(text: str, dictated_ends: list[int]) -> list[tuple[int, int, str]]:
    """Two letter names right after four digits (a postcode's), dictated one by one or
    written, as letters; a number said as a whole ("negentien negentien") is no postcode."""
    written = [(match.start(), match.end()) for match in _FOUR_DIGITS.finditer(text)]
    letters = []
    for start, end in [(-1, end) for end in dictated_ends] + written:
        if pair := _LETTER_PAIR.match(text, end):
            spelled = "".join(_letter(pair.group(g)) for g in (1, 2))
            if "," in text[pair.start() : pair.start(1)]:  # the pause read as a space
                letters.append((pair.start(), pair.end(2), " " + spelled))
            else:
                letters.append((pair.start(1), pair.end(2), spelled))
            if start >= 0 and " " in text[start:end]:  # "3 5 5 4 G T": the digits joined
                letters.append((start, end, text[start:end].replace(" ", "")))
    return letters


def _letter(said: str) -> str:
    """A letter name as its letter; a letter typed on its own stays as typed ("G")."""
    return said if len(said) == 1 else LETTER_NAMES[said.lower()]


def _countries(text: str, runs: list[list[_Token]]) -> list[tuple[int, int, str]]:
    """Two letter names that form an IBAN country code right before a spoken number, as the
    code joined to the number ("en el vierenzeventig" reads "NL74")."""
    found = []
    for run in runs:
        pair = _COUNTRY.search(text, max(0, run[0][0] - 20), run[0][0])
        if pair is None:
            continue
        code = (_letter(pair.group(1)) + _letter(pair.group(2))).upper()
        if code in IBAN_LENGTHS:
            found.append((pair.start(1), run[0][0], code))
    return found


def _phone_groups(runs: list[list[_Token]], text: str) -> list[tuple[int, int, str]]:
    """Runs separated by commas, full stops or an ellipsis whose digits joined have a Dutch
    phone number's shape or are a BSN said digit by digit, each chain (the longest that
    qualifies) as one number ("nul zes, een twee, …" reads "0612…")."""
    found: list[tuple[int, int, str]] = []
    index = 0
    while index < len(runs):
        chain, digits = [runs[index]], _digits(runs[index])
        best: tuple[int, str] | None = None
        following = index + 1
        while (
            following < len(runs)
            and len(digits) < 10
            and _GROUP_GAP.fullmatch(text, chain[-1][-1][1], runs[following][0][0])
        ):
            chain.append(runs[following])
            digits += _digits(runs[following])
            following += 1
            if _SUBSCRIBER.fullmatch(digits) or _dictated_bsn(chain, digits):
                best = (following, digits)
        if best is not None:
            following, digits = best
            found.append((runs[index][0][0], runs[following - 1][-1][1], digits))
            index = following
        else:
            index += 1
    return found


def _dictated_bsn(chain: list[list[_Token]], digits: str) -> bool:
    """Groups said digit by digit whose nine digits pass the BSN eleven-test."""
    said_singly = all(value < 10 for run in chain for _, _, value, _ in run)
    return said_singly and passes_eleven_test(digits)


def _digits(run: list[_Token]) -> str:
    """A group's digits as said: each word's number in turn ("nul zes drieënzestig" 0663)."""
    return "".join(str(value) for _, _, value, _ in run)


_Token = tuple[int, int, int, str]  # start, end, value, the word in lower case


def _runs(text: str) -> list[list[_Token]]:
    """Number words next to each other (only spaces between, or "en" after a round hundred or
    thousand: "tweeduizend en twee")."""
    runs: list[list[_Token]] = []
    for match in WORD.finditer(text):
        value = value_of(match.group())
        if value is None:
            continue
        token = (match.start(), match.end(), value, match.group().lower())
        previous = runs[-1][-1] if runs else None
        gap = text[previous[1] : match.start()] if previous else ""
        if previous and (
            _BETWEEN.fullmatch(gap)
            or (_AND.fullmatch(gap) and previous[2] >= 100 and previous[2] % 100 == 0)
        ):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _numbers(run: list[_Token]) -> list[tuple[int, int, str]]:
    """Each number of a run that is not dictated digit by digit: a year said in two
    ("negentien negenenveertig": a century 19 or 20, then 10–99), a round hundred or thousand
    with "en" and the rest, otherwise every word on its own ("een" stays a word)."""
    numbers: list[tuple[int, int, str]] = []
    index = 0
    while index < len(run):
        start, end, value, word = run[index]
        following = run[index + 1] if index + 1 < len(run) else None
        if following and value in _CENTURIES and 10 <= following[2] < 100:
            numbers.append((start, following[1], str(value * 100 + following[2])))
            index += 2
            continue
        if following and value >= 100 and value % 100 == 0 and following[2] < 100:
            numbers.append((start, following[1], str(value + following[2])))
            index += 2
            continue
        if word not in _ARTICLE:
            numbers.append((start, end, str(value)))
        index += 1
    return numbers
