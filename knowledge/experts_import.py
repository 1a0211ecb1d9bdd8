"""Import staff and their expertise profiles from CSV (the format of eval/experts.csv).

The file is the whole staff directory. Idempotent: a row that matches what is stored changes
nothing; a changed row updates the member and profile. A colleague missing from the file is
deactivated, not deleted (no more invitations; their history stays, and is pseudonymised only
by an erasure, models/erasure.py), and is reactivated when the file names them again. An
optional `coordinator` column (ja/nee, true/false, 1/0; empty is nee) sets
Member.is_coordinator; without the column the flag is left as it is.

Every rejected row is reported with its line number and a Dutch reason, and the rest still
imports, so one typo does not block a team's onboarding. A rejected row still names its
colleague, who is therefore not deactivated; a file without a single valid row deactivates
nobody (an empty or broken export must not empty the directory). Each role change
(coordinator on or off, deactivation, reactivation) is an audit entry in the import's
transaction; pseudonyms of erased colleagues are never touched.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from knowledge.taxonomy import slug_for
from knowledge.teams import EXTERNAL, resolve_team
from models.audit import ROLE_CHANGE, append
from models.tables import ExpertiseProfile, Member

REQUIRED = ("member_id", "display_name", "team", "expertise")
COORDINATOR = "coordinator"
IMPORT_ACTOR = "import"
_MEMBER_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_YES, _NO = frozenset({"ja", "true", "1"}), frozenset({"nee", "false", "0", ""})


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    reactivated: int = 0
    coordinators_added: int = 0
    coordinators_removed: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
            "reactivated": self.reactivated,
            "coordinators_added": self.coordinators_added,
            "coordinators_removed": self.coordinators_removed,
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


def _coordinator(row: dict[str, str]) -> bool | None:
    """The `coordinator` cell as a flag; None when the file has no such column."""
    if COORDINATOR not in row:
        return None
    cell = (row.get(COORDINATOR) or "").strip().lower()
    if cell not in _YES | _NO:
        raise ValueError(f"coordinator '{cell}' is geen ja/nee, true/false of 1/0")
    return cell in _YES


def _validate(row: dict[str, str]) -> tuple[Member, ExpertiseProfile, bool | None]:
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
        tags=tuple(_split(row.get("tags"))),
        leefgebieden=tuple(_leefgebieden(row.get("leefgebieden"))),
    )
    return member, profile, _coordinator(row)


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


class _Roles:
    """Role changes of one import: applied to the member, counted, and audited."""

    def __init__(self, session: Session, report: ImportReport, actor_id: str, now: datetime):
        self.session, self.report, self.actor_id, self.now = session, report, actor_id, now

    def _audit(self, member: Member, change: dict[str, object]) -> None:
        subject = f"member:{member.id}"
        append(
            self.session,
            actor_id=self.actor_id,
            action=ROLE_CHANGE,
            subject=subject,
            detail=change,
            now=self.now,
        )

    def apply(self, member_id: str, coordinator: bool | None) -> bool:
        """Reactivate and set the coordinator flag as the row says; True when anything changed."""
        member = self.session.get(Member, member_id)
        assert member is not None
        changed = False
        if not member.is_active:
            member.is_active, changed = True, True
            self.report.reactivated += 1
            self._audit(member, {"is_active": True})
        if coordinator is not None and member.is_coordinator != coordinator:
            member.is_coordinator, changed = coordinator, True
            if coordinator:
                self.report.coordinators_added += 1
            else:
                self.report.coordinators_removed += 1
            self._audit(member, {"is_coordinator": coordinator})
        self.session.add(member)
        return changed

    def deactivate_missing(self, named: set[str]) -> None:
        active = self.session.exec(
            select(Member).where(
                col(Member.is_active).is_(True), col(Member.is_pseudonym).is_(False)
            )
        ).all()
        for member in active:
            if member.id not in named:
                member.is_active = False
                self.session.add(member)
                self.report.deactivated += 1
                self._audit(member, {"is_active": False})


def import_expert_rows(
    session: Session,
    rows: Iterable[dict[str, str]],
    now: datetime,
    first_line: int = 2,
    *,
    actor_id: str = IMPORT_ACTOR,
) -> ImportReport:
    report = ImportReport()
    roles = _Roles(session, report, actor_id, now)
    seen: set[str] = set()
    named: set[str] = set()  # every id a row gives, rejected or not: those stay active
    for line, row in enumerate(rows, start=first_line):
        named.add((row.get("member_id") or "").strip())
        try:
            member, profile, coordinator = _validate(row)
            if member.id in seen:
                raise ValueError(f"member_id '{member.id}' staat twee keer in het bestand")
            owner = session.get(Member, member.id)
            if owner is not None and owner.is_pseudonym:
                raise ValueError(
                    f"member_id '{member.id}' is een pseudoniem van een gewiste collega"
                )
            if member.chat_user_id:
                other = _chat_user_owner(session, member.chat_user_id)
                if other is not None and (owner is None or other != owner.id):
                    raise ValueError(f"chat_user_id '{member.chat_user_id}' hoort al bij {other}")
        except ValueError as error:
            report.rejected.append((line, str(error)))
            continue
        seen.add(member.id)
        outcome = _upsert(session, member, profile, now)
        if roles.apply(member.id, coordinator) and outcome == "unchanged":
            outcome = "updated"
        setattr(report, outcome, getattr(report, outcome) + 1)
        session.flush()
    if seen:
        roles.deactivate_missing(named)
        session.flush()
    return report


def _chat_user_owner(session: Session, chat_user_id: str) -> str | None:
    found = session.exec(select(Member.id).where(Member.chat_user_id == chat_user_id)).first()
    return found


def import_experts_csv(
    session: Session, path: Path, now: datetime, *, actor_id: str = IMPORT_ACTOR
) -> ImportReport:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            report = ImportReport()
            report.rejected.append((1, "kolommen ontbreken in de kopregel: " + ", ".join(missing)))
            return report
        return import_expert_rows(session, reader, now, actor_id=actor_id)
