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

from knowledge.number_words import WORD, value_of
from knowledge.privacy.patterns import passes_eleven_test
from knowledge.privacy.spoken_dates import half_written_years, ordinal_dates, ordinal_days
from knowledge.privacy.spoken_letters import countries, spelled_letters

_ARTICLE = frozenset({"een", "één", "eén", "éen"})
_BETWEEN = re.compile(r"[ \t]+")
_AND = re.compile(r"[ \t]+en[ \t]+")
_CENTURIES = frozenset({19, 20})  # the years a person now alive was born in
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
    replacements = ordinal_days(text)  # "de dertiende mei": a day only before a month
    dictated_ends = []
    runs = _runs(text)
    grouped = _phone_groups(runs, text) + ordinal_dates(text) + half_written_years(text, runs)
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
        replacements += _numbers(run, text)
    spelled = spelled_letters(text, dictated_ends) + countries(text, runs)
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
# A number dictated in English, digit by digit ("zero six, one two, …"): the digit words
# count inside a dictated run or group only, never alone ("one" in an English phrase).
_ENGLISH = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ENGLISH_DIGITS = {word: value for value, word in enumerate(_ENGLISH)}
_TENS_VALUES = frozenset(range(20, 100, 10))  # "zes en dertig": unit and tens said apart


def _runs(text: str) -> list[list[_Token]]:
    """Number words next to each other (only spaces between, or "en" after a round hundred or
    thousand: "tweeduizend en twee")."""
    runs: list[list[_Token]] = []
    for match in WORD.finditer(text):
        value = value_of(match.group())
        if value is None:
            value = ENGLISH_DIGITS.get(match.group().lower())
        if value is None:
            continue
        token = (match.start(), match.end(), value, match.group().lower())
        previous = runs[-1][-1] if runs else None
        gap = text[previous[1] : match.start()] if previous else ""
        if previous and (
            _BETWEEN.fullmatch(gap)
            or (_AND.fullmatch(gap) and previous[2] >= 100 and previous[2] % 100 == 0)
            or (_AND.fullmatch(gap) and 0 < previous[2] < 10 and value in _TENS_VALUES)
        ):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _numbers(run: list[_Token], text: str) -> list[tuple[int, int, str]]:
    """Each number of a run that is not dictated digit by digit: words that together spell
    one Dutch numeral when written as one word, as the spelling rules ask ("drie honderd
    twaalf" is driehonderdtwaalf, "zes en dertig" zesendertig), the longest first; a year
    said in two ("negentien negenenveertig": a century 19 or 20, then 10–99), a round hundred
    or thousand with "en" and the rest, otherwise every word on its own ("een" stays a word)."""
    numbers: list[tuple[int, int, str]] = []
    index = 0
    while index < len(run):
        start, end, value, word = run[index]
        if joined := _written_as_one(run, index, text):
            last, number = joined
            numbers.append((start, run[last][1], str(number)))
            index = last + 1
            continue
        following = run[index + 1] if index + 1 < len(run) else None
        if following and value in _CENTURIES and 10 <= following[2] < 100:
            numbers.append((start, following[1], str(value * 100 + following[2])))
            index += 2
            continue
        if following and value >= 100 and value % 100 == 0 and following[2] < 100:
            numbers.append((start, following[1], str(value + following[2])))
            index += 2
            continue
        if word not in _ARTICLE and word not in ENGLISH_DIGITS:
            numbers.append((start, end, str(value)))
        index += 1
    return numbers


def _written_as_one(run: list[_Token], index: int, text: str) -> tuple[int, int] | None:
    """The last token and value of the longest stretch from `index` (two words or more) that
    is one numeral written apart, or None. The stretch must be held together by "honderd",
    "duizend" or "en" ("elf elf" is a day and a month, not the year 1111; two-word years are
    read by _numbers)."""
    for last in range(len(run) - 1, index, -1):
        words, joined = [run[index][3]], False
        for before, token in zip(run[index:last], run[index + 1 : last + 1], strict=True):
            if _AND.fullmatch(text, before[1], token[0]):
                words.append("en")
                joined = True
            words.append(token[3])
        joined = joined or any(w.endswith(("honderd", "duizend")) for w in words)
        if joined and (value := value_of("".join(words))) is not None:
            return last, value
    return None
