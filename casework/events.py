"""The case event log: record one event, retract it, import and export the JSONL form.

Invariants the KPI engine relies on:
- An event's identity is its canonical content (case, team, kind, moment, kind-specific
  fields): `idempotency_key` is unique, so the same event sent twice, imported twice or
  replayed from a file counts once, on SQLite and PostgreSQL alike (insert-or-ignore).
- `occurred_at` in the JSONL is naive Europe/Amsterdam wall time (as KTSD exports it); in
  the database it is UTC. Figures depend on `occurred_at`, never on arrival order.
- A retracted event keeps its row (what was registered stays traceable) but counts nowhere
  and is not exported. Registering the same event again undoes the retraction.
- Every write here (record, retract, import) refreshes the KPI case facts of the cases it
  touched in the same transaction (models/kpi_tables.py), so the maintained figures never lag
  the log. Code that changes events elsewhere must call `refresh_cases` too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from knowledge.taxonomy import slug_for
from knowledge.teams import resolve_team
from models.clock import AMSTERDAM
from models.errors import DomainError, Why
from models.kpi_facts import refresh_cases
from models.tables import CaseEvent

KINDS = (
    "aanmelding",
    "kennismaking",
    "start_ondersteuning",
    "wachtlijst_in",
    "wachtlijst_uit",
    "wat_telt_meting",
    "hbh_aanvraag",
    "afsluiting",
)
REDENEN = ("doel_bereikt", "verwezen", "klant_gestopt", "verhuisd", "overleden", "overig")
FLAGS = ("zelfstandig_verder", "volgens_plan", "ervaringwijzer")
RETRACT_WINDOW = timedelta(minutes=15)
IMPORTED_BY = "import"
_TABLE = CaseEvent.__table__  # type: ignore[attr-defined]


class InvalidEvent(ValueError):
    """An event that cannot be stored; the message is the Dutch reason shown to the user."""


class RetractRefused(DomainError):
    """The event is unknown, already retracted, or older than the retract window."""


@dataclass(frozen=True, slots=True)
class CaseEventData:
    """One event in canonical form: the README's fields, a timezone-aware moment."""

    case_ref: str
    team: str
    kind: str
    occurred_at: datetime
    melder: str | None = None
    reden: str | None = None
    zelfstandig_verder: bool | None = None
    volgens_plan: bool | None = None
    ervaringwijzer: bool | None = None
    rapportcijfer: int | None = None
    scores: Mapping[str, int] | None = field(default=None, hash=False)

    def to_json(self) -> dict[str, Any]:
        """The JSONL object: wall time in Amsterdam, unknown fields left out (as KTSD does)."""
        local = self.occurred_at.astimezone(AMSTERDAM).replace(tzinfo=None)
        data: dict[str, Any] = {
            "case_ref": self.case_ref,
            "team": self.team,
            "kind": self.kind,
            "occurred_at": local.isoformat(),
        }
        for name in ("melder", "reden", *FLAGS, "rapportcijfer", "scores"):
            value = getattr(self, name)
            if value is not None:
                data[name] = dict(value) if name == "scores" else value
        return data

    @property
    def key(self) -> str:
        """The idempotency key: a hash of the content, so identical events collide."""
        data = self.to_json()
        data["occurred_at"] = self.occurred_at.astimezone(AMSTERDAM).isoformat()
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Recorded:
    event_id: int
    created: bool  # False: the same event was already there (and now counts again)


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "read": self.read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": [{"line": line, "reason": reason} for line, reason in self.rejected],
        }


# --- parsing ---------------------------------------------------------------------------------


@cache
def _team(name: str) -> str | None:
    return resolve_team(name)


@cache
def _leefgebied(name: str) -> str | None:
    try:
        return slug_for(name)
    except KeyError:
        return None


def _melder_slug(value: str) -> str:
    """KTSD categories as slugs ("Veilig Thuis" -> veilig_thuis), as the eval files write them."""
    return "_".join(value.strip().lower().replace("/", " ").split())


def _moment(value: object) -> datetime:
    if not isinstance(value, str):
        raise InvalidEvent("ongeldige datum: occurred_at ontbreekt")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEvent(f"ongeldige datum: {value!r}") from None
    return moment.replace(tzinfo=AMSTERDAM) if moment.tzinfo is None else moment


def _int_in(name: str, value: object, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidEvent(f"{name} buiten bereik ({low}–{high}): {value!r}")
    return value


def _flag(name: str, value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise InvalidEvent(f"{name} moet true of false zijn: {value!r}")


def _scores(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping) or not value:
        raise InvalidEvent("scores ontbreken bij wat_telt_meting")
    scores: dict[str, int] = {}
    for name, score in value.items():
        slug = _leefgebied(str(name))
        if slug is None:
            raise InvalidEvent(f"onbekend leefgebied: {name!r}")
        scores[slug] = _int_in(f"score voor {slug}", score, 1, 15)
    return dict(sorted(scores.items()))


def parse_event(raw: Mapping[str, Any]) -> CaseEventData:
    """Validate one JSONL object into canonical form; raises InvalidEvent with a Dutch reason.

    Fields that do not belong to the kind are dropped: they carry no meaning for any figure
    and keeping them would make two registrations of one event look different.
    """
    kind = raw.get("kind")
    if kind not in KINDS:
        raise InvalidEvent(f"onbekende soort: {kind!r}")
    case_ref = raw.get("case_ref")
    if not isinstance(case_ref, str) or not case_ref.strip():
        raise InvalidEvent("casusnummer (case_ref) ontbreekt")
    team = _team(raw["team"]) if isinstance(raw.get("team"), str) else None
    if team is None:
        raise InvalidEvent(f"onbekend team: {raw.get('team')!r}")
    fields: dict[str, Any] = {}
    if kind == "aanmelding" and raw.get("melder") is not None:
        if not isinstance(raw["melder"], str) or not raw["melder"].strip():
            raise InvalidEvent(f"ongeldige melder: {raw['melder']!r}")
        fields["melder"] = _melder_slug(raw["melder"])
    elif kind == "afsluiting":
        reden = raw.get("reden")
        if reden is not None and reden not in REDENEN:
            raise InvalidEvent(f"onbekende reden van afsluiting: {reden!r}")
        fields["reden"] = reden
        fields.update({name: _flag(name, raw.get(name)) for name in FLAGS})
        if raw.get("rapportcijfer") is not None:
            fields["rapportcijfer"] = _int_in("rapportcijfer", raw["rapportcijfer"], 1, 10)
    elif kind == "wat_telt_meting":
        fields["scores"] = _scores(raw.get("scores"))
    occurred_at = _moment(raw.get("occurred_at"))
    return CaseEventData(case_ref.strip(), team, kind, occurred_at, **fields)


def _row(event: CaseEventData, *, registered_by: str, now: datetime) -> dict[str, Any]:
    extra = (
        json.dumps({"scores": event.scores}, sort_keys=True, separators=(",", ":"))
        if event.scores is not None
        else None
    )
    return {
        "case_ref": event.case_ref,
        "team": event.team,
        "kind": event.kind,
        "occurred_at": event.occurred_at,
        "melder": event.melder,
        "reden": event.reden,
        "zelfstandig_verder": event.zelfstandig_verder,
        "volgens_plan": event.volgens_plan,
        "ervaringwijzer": event.ervaringwijzer,
        "rapportcijfer": event.rapportcijfer,
        "extra": extra,
        "registered_by": registered_by,
        "registered_at": now,
        "idempotency_key": event.key,
        "retracted_at": None,
    }


def _insert_ignoring_duplicates(session: Session, rows: list[dict[str, Any]]) -> None:
    """INSERT … ON CONFLICT DO NOTHING on the key: safe against a concurrent registration."""
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = module.insert(_TABLE).on_conflict_do_nothing(index_elements=["idempotency_key"])
    session.execute(statement, rows)


# --- one event -------------------------------------------------------------------------------


def record_event(
    session: Session, event: CaseEventData, *, registered_by: str, now: datetime
) -> Recorded:
    """Store one event unless the same one is there; the caller commits.

    A repeat of a retracted event is a deliberate new registration, so it counts again.
    """
    key = event.key
    column = _TABLE.c
    existing = session.execute(
        sa.select(column.id, column.retracted_at).where(column.idempotency_key == key)
    ).first()
    if existing is None:
        _insert_ignoring_duplicates(session, [_row(event, registered_by=registered_by, now=now)])
        event_id = session.execute(
            sa.select(column.id).where(column.idempotency_key == key)
        ).scalar_one()
        refresh_cases(session, [event.case_ref])
        return Recorded(event_id, True)
    if existing.retracted_at is not None:
        session.execute(
            sa.update(_TABLE)
            .where(column.id == existing.id)
            .values(retracted_at=None, registered_by=registered_by, registered_at=now)
        )
        refresh_cases(session, [event.case_ref])
    return Recorded(existing.id, False)


def retract_event(
    session: Session, event_id: int, *, now: datetime, window: timedelta = RETRACT_WINDOW
) -> None:
    """Undo a registration made less than `window` ago; older ones are corrected, not undone."""
    column = _TABLE.c
    row = session.execute(
        sa.select(column.case_ref, column.registered_at, column.retracted_at).where(
            column.id == event_id
        )
    ).first()
    if row is None or row.retracted_at is not None:
        raise RetractRefused(Why.EVENT_UNKNOWN)
    if now - row.registered_at > window:
        minutes = int(window.total_seconds() // 60)
        raise RetractRefused(Why.RETRACT_WINDOW, minutes=minutes)
    session.execute(sa.update(_TABLE).where(column.id == event_id).values(retracted_at=now))
    refresh_cases(session, [row.case_ref])


def case_team(session: Session, case_ref: str) -> str | None:
    """The team a case belongs to: the team of its latest live event; None for a new case.

    Registrations and Ervaringwijzer invitations check against it, so a case number typed by
    someone of another team cannot add events to (or invite the client of) this team's case.
    """
    column = _TABLE.c
    return session.execute(
        sa.select(column.team)
        .where(column.case_ref == case_ref, column.retracted_at.is_(None))
        .order_by(column.occurred_at.desc(), column.id.desc())
        .limit(1)
    ).scalar_one_or_none()


# --- import / export -------------------------------------------------------------------------


def import_events(
    session: Session,
    lines: Iterable[str],
    *,
    now: datetime,
    registered_by: str = IMPORTED_BY,
    batch_size: int = 5000,
) -> ImportReport:
    """Import JSONL lines in batches; bad lines are reported with a Dutch reason and skipped.

    Re-running an import adds nothing: keys already stored (or seen earlier in the file) are
    counted as duplicates. The caller commits, so a whole file lands or nothing does.
    """
    report = ImportReport()
    seen: set[str] = set()
    touched: set[str] = set()  # cases whose KPI facts are refreshed once, at the end
    batch: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        report.read += 1
        try:
            raw = json.loads(line)
            if not isinstance(raw, dict):
                raise InvalidEvent("geen JSON-object")
            event = parse_event(raw)
        except json.JSONDecodeError:
            report.rejected.append((number, "geen geldige JSON"))
            continue
        except InvalidEvent as error:
            report.rejected.append((number, str(error)))
            continue
        key = event.key
        if key in seen:
            report.duplicates += 1
            continue
        seen.add(key)
        batch[key] = _row(event, registered_by=registered_by, now=now)
        if len(batch) >= batch_size:
            _flush(session, batch, report, touched)
    _flush(session, batch, report, touched)
    refresh_cases(session, touched)
    return report


def _flush(
    session: Session, batch: dict[str, dict[str, Any]], report: ImportReport, touched: set[str]
) -> None:
    if not batch:
        return
    key_column = _TABLE.c.idempotency_key
    stored = set(
        session.execute(sa.select(key_column).where(key_column.in_(list(batch)))).scalars()
    )
    new = [row for key, row in batch.items() if key not in stored]
    if new:
        _insert_ignoring_duplicates(session, new)
        touched.update(row["case_ref"] for row in new)
    report.imported += len(new)
    report.duplicates += len(stored)
    batch.clear()


def import_events_file(session: Session, path: Path, *, now: datetime) -> ImportReport:
    with path.open(encoding="utf-8") as handle:
        return import_events(session, handle, now=now)


def _from_row(row: sa.Row[Any]) -> CaseEventData:
    scores = json.loads(row.extra)["scores"] if row.extra else None
    return CaseEventData(
        case_ref=row.case_ref,
        team=row.team,
        kind=row.kind,
        occurred_at=row.occurred_at,
        melder=row.melder,
        reden=row.reden,
        zelfstandig_verder=row.zelfstandig_verder,
        volgens_plan=row.volgens_plan,
        ervaringwijzer=row.ervaringwijzer,
        rapportcijfer=row.rapportcijfer,
        scores=scores,
    )


def iter_events(session: Session, *, batch_size: int = 10000) -> Iterator[CaseEventData]:
    """Every event that counts, in event-time order (streamed, not loaded at once)."""
    column = _TABLE.c
    query = (
        sa.select(_TABLE)
        .where(column.retracted_at.is_(None))
        .order_by(column.occurred_at, column.id)
        .execution_options(yield_per=batch_size)
    )
    for row in session.execute(query):
        yield _from_row(row)


def export_events(session: Session, out: TextIO) -> int:
    """Write the events as JSONL (the import format); returns how many were written."""
    count = 0
    for event in iter_events(session):
        out.write(json.dumps(event.to_json(), ensure_ascii=False) + "\n")
        count += 1
    return count
