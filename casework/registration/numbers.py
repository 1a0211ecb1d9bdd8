"""Case numbers and the client's grade: the numbers that are not dates or Wat Telt scores.

A case number is "23-4411" or four to eight digits, or any number of three digits or more
right after "casus", "dossier", "nr" or "#". Shorter bare numbers are left for scores, so
"geld 6" is never a case. The grade is only read after its cue ("rapportcijfer 9", "klant gaf
een 8"), before dates are looked for, so "8/10" is a grade and not the 8th of October.

Numbers are also typed as words ("geld zes", "klant gaf een acht", "vijftien"): `digits`
writes nul to twintig as digits before anything else reads the message. "een" stays a word:
it is the article far more often than the number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.registration.text import Masked

_MARKED_REF = re.compile(
    r"(?:\b(?:casus|casusnummer|dossier|dossiernummer|zaak|nr|nummer)\b\s*[:.]?\s*|#\s*)"
    r"(?P<ref>[0-9]{1,3}(?: [0-9]{3})+|[0-9]{2}-[0-9]{3,6}|[0-9]{3,8})(?![0-9-])"
)
# After a case cue a number may be typed in groups of three ("nr. 57 888"), as people read
# long numbers out; the groups are one number.
_BARE_REF = re.compile(r"(?<![0-9/-])(?:[0-9]{2}-[0-9]{4,6}|[0-9]{4,8})(?![0-9/-])")
# The client's grade: after a cue (a noun such as "rapportcijfer" or a verb such as "gaf",
# "geeft", "beoordeelt"), with a few linking words between ("cijfer van de klant: 8", "klant
# gaf ons een 9", "beoordeelt de begeleiding met een 7"), or "een 8 gegeven/gekregen".
_GRADE_CUE = (
    r"rapport\s*cijfer|klant\s*tevredenheid|tevredenheid|cijfer|waardering|beoordeling"
    r"|beoordeelt|beoordeelde|waardeert|waardeerde|geeft|gaf"
)
_GRADE_LINK = r"van|door|de|het|ons|onze|klant|client|begeleiding|ondersteuning|een|met|als|was|is"
_GRADE_NUMBER = r"-?[0-9]+(?:[.,][0-9]+)?"
_GRADE = re.compile(
    rf"\b(?:{_GRADE_CUE})\b(?:\s*[:=]?\s*\b(?:{_GRADE_LINK})\b){{0,4}}\s*[:=]?\s*"
    rf"(?P<grade>{_GRADE_NUMBER}(?:\s+en\s+een\s+half\b|½)?)(?:\s*/\s*10\b)?"
    rf"|\been\s+(?P<grade2>{_GRADE_NUMBER})\s+(?:gegeven|gekregen|als\s+cijfer)\b"
)

_NUMBER_TEXT = """
    nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien
    vijftien zestien zeventien achttien negentien twintig
"""
NUMBER_WORDS: dict[str, int] = {
    word: value for value, word in enumerate(_NUMBER_TEXT.split()) if word != "een"
}
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b")
# A case number read out for a voice message or typed as it is said: four or more digit words
# in a row, "een" among them (inside such a run it is a digit, not the article). No count,
# score or date is said that way; a phone number said so is still caught by the privacy check,
# which reads the raw message first.
_DIGIT_WORDS = {word: str(value) for value, word in enumerate(_NUMBER_TEXT.split()[:10])}
_DIGIT = "|".join(_DIGIT_WORDS)
_DICTATED = re.compile(rf"\b(?:{_DIGIT})(?: (?:{_DIGIT})){{3,}}\b")

# "8/10" in an afsluiting: a grade out of ten, said without a cue ("doel behaald, 8/10"), unless
# a word that places a date comes first ("afgesloten op 8/10"). Other kinds have no grade.
_OUT_OF_TEN = re.compile(r"(?<![0-9/-])(?P<grade>10|[1-9](?:[.,]5)?)\s*/\s*10(?![0-9/-])")
_DATE_CUES = frozenset({
    "op", "sinds", "per", "vanaf", "tot", "datum", "dd", "d.d.", "maandag", "dinsdag",
    "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
})  # fmt: skip

# "over 3 maanden", "2x per week": a duration or a frequency, no score, grade or case number.
_DURATION = re.compile(
    r"(?<![0-9/-])[0-9]{1,3}\s*(?:x\b|keer\b|dagen\b|weken\b|maanden\b|jaar\b|jaren\b|uur\b)"
)

# "geld 6/15": the scale of a Wat Telt score, not a date.
_SCORE_SCALE = re.compile(r"(?<=[0-9])\s*/\s*15(?![0-9/-])")


# "verslaving -2": a negative number, the minus typed against it (a dash between words or
# in "26-0871" or "3-11" is none). Read before the tokens drop the sign.
_NEGATIVE = re.compile(r"(?<![\w-])-[0-9]{1,2}(?![0-9/-])")


# "geld zeven en een half", "werk 6½", "wonen 7,5": a Wat Telt score is a whole number, so a
# half is refused (asked again), not rounded either way.
_HALF = re.compile(r"(?<![0-9,.])[0-9]{1,2}(?:\s+en\s+een\s+half\b|\s*½|,5(?![0-9]))")


def half_numbers(text: str) -> list[str]:
    """The numbers with a half in `text` (number words read as digits first)."""
    return _HALF.findall(digits(text))


def negative_numbers(text: str) -> list[str]:
    """The negative numbers in `text`: no Wat Telt score is below 1, so each is refused."""
    return _NEGATIVE.findall(text)


@dataclass(frozen=True)
class Grade:
    text: str
    value: int | None  # None when it is not a whole number


def digits(text: str) -> str:
    """`text` with every number word from nul to twintig (but "een") written in digits, and
    a number dictated digit by digit ("casus acht een vijf zes zeven") as one number."""
    text = _DICTATED.sub(lambda m: "".join(_DIGIT_WORDS[w] for w in m.group().split()), text)
    return _NUMBER_WORD.sub(lambda m: str(NUMBER_WORDS[m.group()]), text)


def take_marked_refs(masked: Masked) -> list[str]:
    return [m["ref"].replace(" ", "") for m in masked.take(_MARKED_REF, "ref")]


def take_bare_refs(masked: Masked) -> list[str]:
    return [m.group() for m in masked.take(_BARE_REF)]


def take_grades(masked: Masked) -> list[Grade]:
    grades = []
    for match in masked.take(_GRADE):
        text = match["grade"] or match["grade2"]
        whole = re.fullmatch(r"-?[0-9]+", text)
        grades.append(Grade(text, int(text) if whole else None))
    return grades


def take_out_of_ten(masked: Masked) -> list[Grade]:
    """Grades written as "8/10" with no date cue before them; call it only for an afsluiting
    (elsewhere "8/10" is the 8th of October)."""
    grades = []
    for match in _OUT_OF_TEN.finditer(masked.text):
        if _word_before(masked.text, match.start()) in _DATE_CUES:
            continue
        start, end = match.span()
        masked.text = masked.text[:start] + " " * (end - start) + masked.text[end:]
        text = match["grade"]
        grades.append(Grade(text, int(text) if text.isdigit() else None))
    return grades


def _word_before(text: str, index: int) -> str:
    words = text[:index].split()
    return words[-1] if words else ""


def take_score_scale(masked: Masked) -> None:
    masked.take(_SCORE_SCALE)


def take_durations(masked: Masked) -> None:
    """Takes out "3 maanden", "2x": take it after dates ("2 dagen geleden" is a date)."""
    masked.take(_DURATION)


# "geld 9 (was 6)", "(was 4 bij de nulmeting)": an aside with an earlier value. It names
# the past, not this registration, so its numbers are no score, date or case number.
_EARLIER_ASIDE = re.compile(r"\(\s*(?:was|waren|eerst|voorheen|vorige?|toen|vorig)\b[^()]*\)")


def without_earlier_values(text: str) -> str:
    """`text` with every bracketed earlier value blanked (same length, so spans still hold)."""
    return _EARLIER_ASIDE.sub(lambda m: " " * len(m.group()), text)
