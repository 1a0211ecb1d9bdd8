"""Import staff and their expertise profiles from CSV (the format of eval/experts.csv).

Idempotent: a row that matches what is stored changes nothing; a changed row updates the member
and profile; nothing is deleted by omission (people leave through an explicit deactivation).
Every rejected row is reported with its line number and a Dutch reason, and the rest still
imports, so one typo does not block a team's onboarding.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from knowledge.taxonomy import slug_for
from knowledge.teams import EXTERNAL, resolve_team
from models.tables import ExpertiseProfile, Member

REQUIRED = ("member_id", "display_name", "team", "expertise")
_MEMBER_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
        }


def _split(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").split(";") if part.strip()]


def _leefgebieden(cell: str | None) -> list[str]:
    slugs = []
    for name in _split(cell):
        try:
            slugs.append(slug_for(name))
        except KeyError as error:
            raise ValueError(f"onbekend leefgebied '{name}'") from error
    return slugs


def _validate(row: dict[str, str]) -> tuple[Member, ExpertiseProfile]:
    missing = [column for column in REQUIRED if not (row.get(column) or "").strip()]
    if missing:
        raise ValueError("lege kolom(men): " + ", ".join(missing))
    member_id = row["member_id"].strip()
    if not _MEMBER_ID.match(member_id):
        raise ValueError(f"ongeldig member_id '{member_id}'")
    team_text = row["team"].strip()
    team = EXTERNAL if team_text.lower() == EXTERNAL else resolve_team(team_text)
    if team is None:
        raise ValueError(f"onbekend team '{team_text}'")
    cap_text = (row.get("daily_cap") or "").strip()
    if cap_text and not cap_text.isdigit():
        raise ValueError(f"daily_cap '{cap_text}' is geen geheel getal")
    member = Member(
        id=member_id,
        display_name=row["display_name"].strip(),
        team=team,
        role=(row.get("role") or "").strip(),
        chat_user_id=(row.get("chat_user_id") or "").strip() or None,
        is_external=team == EXTERNAL,
        daily_cap=int(cap_text) if cap_text else 5,
    )
    profile = ExpertiseProfile(
        member_id=member_id,
        expertise=row["expertise"].strip(),
        tags=";".join(_split(row.get("tags"))),
        leefgebieden=";".join(_leefgebieden(row.get("leefgebieden"))),
    )
    return member, profile


_MEMBER_FIELDS = ("display_name", "team", "role", "chat_user_id", "is_external", "daily_cap")
_PROFILE_FIELDS = ("expertise", "tags", "leefgebieden")


def _upsert(session: Session, member: Member, profile: ExpertiseProfile, now: datetime) -> str:
    stored = session.get(Member, member.id)
    stored_profile = session.get(ExpertiseProfile, member.id)
    if stored is None:
        profile.updated_at = now
        session.add(member)
        session.flush()
        session.add(profile)
        return "created"
    changed = False
    for name in _MEMBER_FIELDS:
        if getattr(stored, name) != getattr(member, name):
            setattr(stored, name, getattr(member, name))
            changed = True
    if stored_profile is None:
        stored_profile = ExpertiseProfile(member_id=member.id)
    for name in _PROFILE_FIELDS:
        if getattr(stored_profile, name) != getattr(profile, name):
            setattr(stored_profile, name, getattr(profile, name))
            stored_profile.updated_at = now
            changed = True
    session.add(stored)
    session.add(stored_profile)
    return "updated" if changed else "unchanged"


def import_expert_rows(
    session: Session, rows: Iterable[dict[str, str]], now: datetime, first_line: int = 2
) -> ImportReport:
    report = ImportReport()
    seen: set[str] = set()
    for line, row in enumerate(rows, start=first_line):
        try:
            member, profile = _validate(row)
            if member.id in seen:
                raise ValueError(f"member_id '{member.id}' staat twee keer in het bestand")
            if member.chat_user_id:
                owner = session.get(Member, member.id)
                other = _chat_user_owner(session, member.chat_user_id)
                if other is not None and (owner is None or other != owner.id):
                    raise ValueError(f"chat_user_id '{member.chat_user_id}' hoort al bij {other}")
        except ValueError as error:
            report.rejected.append((line, str(error)))
            continue
        seen.add(member.id)
        outcome = _upsert(session, member, profile, now)
        setattr(report, outcome, getattr(report, outcome) + 1)
        session.flush()
    return report


def _chat_user_owner(session: Session, chat_user_id: str) -> str | None:
    found = session.exec(select(Member.id).where(Member.chat_user_id == chat_user_id)).first()
    return found


def import_experts_csv(session: Session, path: Path, now: datetime) -> ImportReport:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            report = ImportReport()
            report.rejected.append((1, "kolommen ontbreken in de kopregel: " + ", ".join(missing)))
            return report
        return import_expert_rows(session, reader, now)
