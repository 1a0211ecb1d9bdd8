"""An expert's own profile edits: description, tags, leefgebieden, languages, absence, cap.

The App Home and its modals (bot/) call these; everything a person can type is checked here,
and all problems are reported at once as Dutch messages per field (`ProfileError.errors`), so a
modal can show them next to the inputs (`response_action="errors"`). Tags are normalised
against colleagues' tags (routing/tags.py), so one skill keeps one name. Saving the profile,
or confirming it unchanged, resets the fading of the declared tags (routing/learning.py).
Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Literal, TypeVar

from sqlmodel import Session

from knowledge.languages import all_languages, language_for
from knowledge.taxonomy import slug_for
from models.clock import AMSTERDAM, as_utc
from models.tables import ExpertiseProfile, Member
from routing.tags import TagVocabulary, leefgebied_of, tag_key

MAX_DESCRIPTION = 2000
MIN_DESCRIPTION = 20
MAX_TAGS = 15
MAX_TAG_LENGTH = 40
MAX_AWAY = timedelta(days=366)
CAP_RANGE = (1, 20)
_T = TypeVar("_T")
_R = TypeVar("_R")


class Keep(Enum):
    """Leave a field as it is (for `away_until`, where None means "not away")."""

    KEEP = "keep"


KEEP = Keep.KEEP


class ProfileError(Exception):
    """Input that cannot be saved; `errors` maps a field name to a Dutch message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class ProfileChange:
    """What a save did, for the confirmation the expert sees."""

    member_id: str
    changed: tuple[str, ...]  # field names whose value changed
    tags: tuple[str, ...]
    leefgebieden: tuple[str, ...]
    languages: tuple[str, ...]
    # A typed tag -> the colleagues' tag it was saved as ("schuldhulp" -> "schulden").
    renamed_tags: dict[str, str] = field(default_factory=dict)
    # Typed tags that are leefgebied names and were saved as leefgebieden instead.
    tags_as_leefgebieden: tuple[str, ...] = ()


def update_profile(
    session: Session,
    member_id: str,
    *,
    now: datetime,
    expertise: str | None = None,
    tags: Sequence[str] | None = None,
    leefgebieden: Sequence[str] | None = None,
    languages: Sequence[str] | None = None,
    away_until: datetime | date | None | Literal[Keep.KEEP] = KEEP,
    daily_cap: int | None = None,
) -> ProfileChange:
    """Save the fields given (None/KEEP = unchanged); raises ProfileError before any write.

    `away_until` as a date means "back on that day" (from 00:00 Amsterdam time).
    """
    member = session.get(Member, member_id)
    if member is None or not member.is_active:
        raise ProfileError({"member": "Je staat (nog) niet als deskundige in Vraagbaak."})
    profile = session.get(ExpertiseProfile, member_id) or ExpertiseProfile(member_id=member_id)
    errors: dict[str, str] = {}
    new: dict[str, object] = {}
    renamed: dict[str, str] = {}
    moved: list[str] = []
    if expertise is not None:
        new["expertise"] = _check(errors, "expertise", _description, expertise)
    areas = list(profile.leefgebieden)
    if leefgebieden is not None:
        areas = _check(errors, "leefgebieden", _leefgebieden, leefgebieden) or []
    if tags is not None:
        vocabulary = TagVocabulary.load(session, exclude_member=member_id)
        checked = _check(errors, "tags", lambda t: _tags(t, vocabulary), tags)
        if checked is not None:
            new["tags"], renamed, moved = checked
            areas += [slug for slug in moved if slug not in areas]
    if leefgebieden is not None or moved:
        new["leefgebieden"] = tuple(areas)
    if languages is not None:
        new["languages"] = _check(errors, "languages", _languages, languages)
    if not isinstance(away_until, Keep):
        new["away_until"] = _check(errors, "away_until", lambda a: _away(a, now), away_until)
    if daily_cap is not None:
        new["daily_cap"] = _check(errors, "daily_cap", _cap, daily_cap)
    if errors:
        raise ProfileError(errors)
    changed = _apply(member, profile, new, now)
    session.add(member)
    session.add(profile)
    session.flush()
    return ProfileChange(
        member_id=member_id,
        changed=changed,
        tags=profile.tags,
        leefgebieden=profile.leefgebieden,
        languages=member.languages,
        renamed_tags=renamed,
        tags_as_leefgebieden=tuple(moved),
    )


_MEMBER_FIELDS = ("languages", "away_until", "daily_cap")


def _apply(
    member: Member, profile: ExpertiseProfile, new: dict[str, object], now: datetime
) -> tuple[str, ...]:
    """Write the checked values; any save confirms the profile, a content change also dates it."""
    changed = []
    for name, value in new.items():
        target: Member | ExpertiseProfile = member if name in _MEMBER_FIELDS else profile
        if getattr(target, name) != value:
            setattr(target, name, value)
            changed.append(name)
    if {"expertise", "tags", "leefgebieden"} & set(changed):
        profile.updated_at = now
    profile.confirmed_at = now
    return tuple(changed)


def confirm_profile(session: Session, member_id: str, now: datetime) -> ExpertiseProfile:
    """ "Klopt nog": the declared profile counts fully again and the nudges stop for now."""
    profile = session.get(ExpertiseProfile, member_id)
    if profile is None:
        raise ProfileError({"member": "Je hebt nog geen profiel in Vraagbaak."})
    profile.confirmed_at = now
    session.add(profile)
    session.flush()
    return profile


def _check(errors: dict[str, str], name: str, check: Callable[[_T], _R], value: _T) -> _R | None:
    """`check(value)`, or None with the Dutch message recorded under `name`."""
    try:
        return check(value)
    except ValueError as error:
        errors[name] = str(error)
        return None


def _description(text: str) -> str:
    text = " ".join(text.split())
    if len(text) < MIN_DESCRIPTION:
        raise ValueError(
            f"Beschrijf in een paar zinnen waar collega's je voor kunnen vragen "
            f"(minstens {MIN_DESCRIPTION} tekens)."
        )
    if len(text) > MAX_DESCRIPTION:
        raise ValueError(f"Je omschrijving is te lang: maximaal {MAX_DESCRIPTION} tekens.")
    return text


def _tags(
    typed: Sequence[str], vocabulary: TagVocabulary
) -> tuple[tuple[str, ...], dict[str, str], list[str]]:
    """(tags, renamed typed -> canonical, leefgebied slugs typed as tags)."""
    kept: list[str] = []
    renamed: dict[str, str] = {}
    moved: list[str] = []
    for raw in (" ".join(t.split()).strip(" ;,") for t in typed):
        if not raw:
            continue
        if len(raw) > MAX_TAG_LENGTH or ";" in raw:
            raise ValueError(f"'{raw[:50]}' is geen trefwoord: houd het kort (max. 40 tekens).")
        slug = leefgebied_of(raw)
        if slug is not None:
            moved.append(slug)
            continue
        canonical = vocabulary.canonical(raw) or raw
        if canonical != raw and tag_key(canonical) != tag_key(raw):
            renamed[raw] = canonical
        if all(tag_key(canonical) != tag_key(k) for k in kept):
            kept.append(canonical)
    if len(kept) > MAX_TAGS:
        raise ValueError(f"Kies maximaal {MAX_TAGS} trefwoorden; je hebt er nu {len(kept)}.")
    return tuple(kept), renamed, moved


def _leefgebieden(names: Sequence[str]) -> list[str]:
    slugs: list[str] = []
    for name in (n.strip() for n in names if n.strip()):
        try:
            slug = slug_for(name)
        except KeyError:
            raise ValueError(f"'{name}' is geen leefgebied van Wat Telt.") from None
        slugs += [] if slug in slugs else [slug]
    return slugs


def _languages(names: Sequence[str]) -> tuple[str, ...]:
    slugs: list[str] = []
    for name in (n.strip() for n in names if n.strip()):
        if tag_key(name) == "nederlands":
            continue  # everyone speaks it; not a routing signal
        slug = language_for(name)
        if slug is None:
            known = ", ".join(lg.name for lg in all_languages()[:6])
            raise ValueError(f"Die taal ken ik niet: '{name}'. Kies uit de lijst (bijv. {known}).")
        slugs += [] if slug in slugs else [slug]
    return tuple(slugs)


def _away(value: datetime | date | None, now: datetime) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(0, 0), tzinfo=AMSTERDAM)
    if value.tzinfo is None:
        raise ValueError("Geef een tijdstip met tijdzone.")
    if as_utc(value) <= as_utc(now):
        raise ValueError("Kies een datum in de toekomst; ben je er weer, maak het veld dan leeg.")
    if as_utc(value) - as_utc(now) > MAX_AWAY:
        raise ValueError("Afwezig tot kan hoogstens een jaar vooruit.")
    return as_utc(value)


def _cap(value: int) -> int:
    low, high = CAP_RANGE
    if not low <= value <= high:
        raise ValueError(f"Kies een maximum van {low} tot en met {high} uitnodigingen per dag.")
    return value
