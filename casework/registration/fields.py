"""From scanned phrases to field values, refusing contradictions and impossible values.

Each function reads one field from the phrase matches and raises `Refused` when the message
disagrees with itself (two teams, two reasons, "geld 6 geld 9"), when a value is out of range,
or when a team is unknown or could be several. "overig" gives way to a specific value ("anders:
buurvrouw" is the sociaal netwerk), because KTSD's "anders namelijk" exists for what has no
category, not to overrule one; a bracketed aside gives way too ("via mantelzorger (schoonzoon)"
is mantelzorg).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import zip_longest
from typing import Any

from casework.registration.calendar_dates import DateMention
from casework.registration.model import CLOSURE_FLAGS, GRADE_RANGE, SCORE_RANGE, RefusalCode
from casework.registration.numbers import Grade
from casework.registration.refusals import refuse
from casework.registration.text import FILLERS
from casework.registration.vocabulary import Match, Vocabulary
from knowledge.taxonomy import name_for, slugs
from knowledge.textnorm import STOPWORDS

_WAT_TELT = "wat_telt_meting"
_MELDER_CUES = frozenset({"via", "vanuit", "door", "melder"})
_MOVED = frozenset({"naar", "verhuisd", "verhuist", "vertrokken", "verhuizing"})


def unique(values: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(values))


def or_list(items: Sequence[str]) -> str:
    """'a, b of c' for a refusal."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} of {items[-1]}"


def single(
    category: str, matches: Sequence[Match], what: str, aside: frozenset[int] = frozenset()
) -> str | None:
    """The one value of `category`, None when absent; two values contradict (the refusal
    quotes the words the sender typed, which passed the privacy check). Values only said
    between brackets (`aside`) or as "overig" give way to another value first."""
    typed: dict[str, str] = {}
    bracketed: set[str] = set()
    for match in sorted(matches, key=lambda m: m.start in aside):
        value = match.value(category)
        if value is not None and value not in typed:
            typed[value] = match.words
            if match.start in aside:
                bracketed.add(value)
    for weaker in (*bracketed, "overig"):
        if len(typed) > 1:
            typed.pop(weaker, None)
    if len(typed) > 1:
        quoted = " en ".join(f"'{words}'" for words in typed.values())
        raise refuse(RefusalCode.CONTRADICTION, detail=f"{what}: {quoted}")
    return next(iter(typed), None)


def kind_of(matches: Sequence[Match], vocab: Vocabulary) -> str | None:
    kinds = unique([v for m in matches if (v := m.value("kind")) is not None])
    if len(kinds) > 1:
        labels = " en ".join(vocab.kinds[k].label.lower() for k in kinds)
        raise refuse(RefusalCode.TWO_KINDS, detail=labels, kind=kinds[0])
    return kinds[0] if kinds else None


def team_of(
    matches: Sequence[Match], tokens: Sequence[str], vocab: Vocabulary, sender: str | None
) -> tuple[str, bool]:
    """(canonical team, whether the message named it); the sender's team is the default. A
    team or place right after a move ("verhuisd naar zuilen") is where the client went."""
    named, regions, unknown = _team_mentions(matches, tokens)
    if unknown:
        raise refuse(RefusalCode.UNKNOWN_TEAM, detail=unknown[0].title())
    teams = unique(named)
    if len(teams) > 1:
        raise refuse(RefusalCode.CONTRADICTION, detail=f"twee teams: {' en '.join(teams)}")
    if teams:
        return teams[0], True
    if regions:
        candidates = set(vocab.regions[regions[0]])
        for region in regions[1:]:
            candidates &= set(vocab.regions[region])
        # "team Overvecht": said as the team's name, a region of several teams is asked;
        # a region said as a place ("in overvecht") is the sender's team when it holds it.
        if sender in candidates and not _named_as_team(matches, tokens):
            return sender, True
        if len(candidates) == 1:
            return candidates.pop(), True
        raise refuse(RefusalCode.AMBIGUOUS_TEAM, detail=or_list(sorted(candidates)))
    if sender is None:
        raise refuse(RefusalCode.MISSING_TEAM)
    return sender, False


def _named_as_team(matches: Sequence[Match], tokens: Sequence[str]) -> bool:
    """Whether a region directly follows a team marker ("team", "buurtteam", "bt")."""
    ends = {m.end for m in matches if m.value("marker") is not None}
    return any(m.value("region") is not None and m.start in ends for m in matches)


def _team_mentions(
    matches: Sequence[Match], tokens: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    named: list[str] = []
    regions: list[str] = []
    unknown: list[str] = []
    starts = {m.start: m for m in matches}
    for match in matches:
        moved_to = bool(_MOVED.intersection(tokens[max(0, match.start - 2) : match.start]))
        if moved_to and (match.value("team") or match.value("region") or match.value("place")):
            continue  # "verhuisd naar zuilen": where the client went, not the team
        if (team := match.value("team")) is not None:
            named.append(team)
        elif (region := match.value("region")) is not None:
            regions.append(region)
        elif match.value("place") is not None:
            unknown.append(match.words)
        elif match.value("marker") is not None and match.end not in starts:
            following = tokens[match.end] if match.end < len(tokens) else ""
            if following.isalpha() and following not in FILLERS | STOPWORDS:
                unknown.append(following)
    return named, regions, unknown


def grade_of(grades: Sequence[Grade]) -> int | None:
    for grade in grades:
        if grade.value is None or grade.value not in GRADE_RANGE:
            raise refuse(RefusalCode.GRADE_OUT_OF_RANGE, detail=grade.text)
    values = unique([str(g.value) for g in grades])
    if len(values) > 1:
        raise refuse(RefusalCode.CONTRADICTION, detail=f"twee cijfers: {' en '.join(values)}")
    return int(values[0]) if values else None


_JOINERS = frozenset({"en", "of", "&"})  # "/" and commas are no tokens


def _joined(tokens: Sequence[str], match: Match, following: Match) -> bool:
    return all(t in _JOINERS for t in tokens[match.end : following.start])


def scores_of(
    matches: Sequence[Match], tokens: Sequence[str], noted: frozenset[int] | set[int] = frozenset()
) -> tuple[tuple[str, int], ...]:
    """Leefgebied-score pairs ("ggz 4", "taal en leren 11"), each name followed by its score;
    a number a card note already explains (`noted`: "'xyz 4': welk leefgebied?") is no stray.
    Two names of the same leefgebied side by side ("alcohol/drugs 6", "politie en justitie
    4") are one mention: the score after the second is theirs."""
    inside = {i for m in matches for i in range(m.start, m.end)}
    scores: dict[str, int] = {}
    used: set[int] = set()
    named = sorted((m for m in matches if m.value("leefgebied")), key=lambda m: m.start)
    for match, following in zip_longest(named, named[1:]):
        slug = match.value("leefgebied")
        if slug is None:
            continue
        after = _score_position(match.end, tokens, inside)
        same_next = following is not None and following.value("leefgebied") == slug
        if after is None and same_next and _joined(tokens, match, following):
            continue  # one mention with the next name: its score is theirs
        if after is None:
            detail = f"bij {name_for(slug)} staat geen score"
            raise refuse(RefusalCode.INCOMPLETE_SCORES, detail=detail, kind=_WAT_TELT)
        used.add(after)
        value = int(tokens[after])
        if value not in SCORE_RANGE:
            detail = f"{name_for(slug)} heeft {value}"
            raise refuse(RefusalCode.SCORE_OUT_OF_RANGE, detail=detail, kind=_WAT_TELT)
        if scores.get(slug, value) != value:
            detail = f"{name_for(slug)} staat er twee keer in ({scores[slug]} en {value})"
            raise refuse(RefusalCode.CONTRADICTION, detail=detail)
        scores[slug] = value
    stray = [t for i, t in enumerate(tokens) if t.isdigit() and i not in used | inside | noted]
    if stray:
        detail = f"het getal {stray[0]} hoort bij geen leefgebied"
        raise refuse(RefusalCode.INCOMPLETE_SCORES, detail=detail, kind=_WAT_TELT)
    return tuple(scores.items())


def _score_position(start: int, tokens: Sequence[str], inside: set[int]) -> int | None:
    """Where the score of a leefgebied stands: right after it, or after at most two loose
    words ("lichamelijk gezondheid 5", "geld zorgen 6"), but never past another phrase."""
    for position in range(start, min(start + 3, len(tokens))):
        if position in inside:
            return None
        if tokens[position].isdigit():
            return position
    return None


def implied_kind(matches: Sequence[Match], tokens: Sequence[str]) -> str | None:
    """The kind a message without a kind word still makes clear: scores ("4411 geld 6") are
    a Wat Telt meting; a melder named as one ("via huisarts", "zelfmelder") an aanmelding; a
    reason or a closure flag ("4411 klaar, doel bereikt") an afsluiting."""
    inside = {i for m in matches for i in range(m.start, m.end)}
    if any(
        m.value("leefgebied") and _score_position(m.end, tokens, inside) is not None
        for m in matches
    ):
        return _WAT_TELT
    for match in matches:
        melder = match.value("melder")
        cued = match.start > 0 and tokens[match.start - 1] in _MELDER_CUES
        if melder is not None and (cued or melder == "zelfmelder"):
            return "aanmelding"
    closure = ("reden", *CLOSURE_FLAGS)
    if any(m.value(category) for m in matches for category in closure):
        return "afsluiting"
    return None


def kind_fields(
    kind: str,
    matches: Sequence[Match],
    tokens: Sequence[str],
    grades: Sequence[Grade],
    aside: frozenset[int],
    noted: set[int],
) -> dict[str, Any]:
    """The fields that belong to `kind`; words meaning other fields are noted, not used."""
    if kind == "aanmelding":
        return {"melder": single("melder", matches, "twee melders", aside)}
    if kind == _WAT_TELT:
        scores = scores_of(matches, tokens, noted)
        if not scores:
            raise refuse(RefusalCode.MISSING_SCORES, kind=kind)
        order = {slug: i for i, slug in enumerate(slugs())}
        return {"scores": tuple(sorted(scores, key=lambda pair: order[pair[0]]))}
    if kind == "afsluiting":
        values: dict[str, Any] = {"reden": single("reden", matches, "twee redenen")}
        for flag in CLOSURE_FLAGS:
            value = single(flag, matches, "twee antwoorden")
            values[flag] = None if value is None else value == "true"
        values["rapportcijfer"] = grade_of(grades)
        _no_contradiction_on_death(values)
        return values
    return {}


def _no_contradiction_on_death(values: dict[str, Any]) -> None:
    """A client who died neither goes on without help nor gets the Ervaringwijzer: a message
    that says either beside "overleden" contradicts itself and is asked back."""
    if values.get("reden") != "overleden":
        return
    said = {"zelfstandig_verder": "zelfstandig verder", "ervaringwijzer": "ervaringwijzer"}
    for flag, words in said.items():
        if values.get(flag) is True:
            raise refuse(RefusalCode.CONTRADICTION, detail=f"overleden en {words}")


def date_of(mentions: Sequence[DateMention]) -> date | None:
    """The one date the message gives; a future, impossible or vague one, or two, refuse."""
    for problem, code in (
        ("invalid", RefusalCode.INVALID_DATE),
        ("vague", RefusalCode.VAGUE_DATE),
        ("future", RefusalCode.FUTURE_DATE),
        ("weekday", RefusalCode.CONTRADICTION),
    ):
        wrong = next((m for m in mentions if m.problem == problem), None)
        if wrong is not None:
            detail = wrong.value.strftime("%d-%m-%Y") if wrong.value else wrong.text
            raise refuse(code, detail=detail)
    values = unique([m.value.isoformat() for m in mentions if m.value is not None])
    if len(values) > 1:
        shown = " en ".join(date.fromisoformat(v).strftime("%d-%m-%Y") for v in values)
        raise refuse(RefusalCode.CONTRADICTION, detail=f"twee datums: {shown}")
    return date.fromisoformat(values[0]) if values else None
