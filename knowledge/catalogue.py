"""The social map (sociale kaart) and the Buurtacademie catalogue: items, validation, storage.

Both arrive as exports from systems we do not own (a jekuntmeer-like HSDS export, the academy's
module list), so an import is a full snapshot: new items are added, changed ones updated,
items missing from the snapshot are withdrawn, and a row that cannot be used is reported with
a Dutch reason instead of stopping the import. Whether an item changed is decided by a hash of
its content, so an unchanged re-import writes nothing and re-embeds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlmodel import Session, select

from knowledge.areas import CITY_WIDE, resolve_area
from knowledge.taxonomy import slug_for
from models.tables import AcademyModule, SocialMapOffer

MODULE_FORMATS = frozenset(
    {"e-learning", "training", "intervisie", "buddy", "kennispagina", "leercirkel"}
)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")


@dataclass(frozen=True)
class Offer:
    offer_id: str
    organisation: str
    name: str
    description: str
    wijk: str  # a canonical area (knowledge/areas.py) or "Stad"
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    url: str = ""
    audience: tuple[str, ...] = ()
    cost: str = ""
    leefgebieden: tuple[str, ...] = ()  # slugs
    source: str = "csv"


@dataclass(frozen=True)
class Module:
    module_id: str
    title: str
    format: str
    description: str
    leefgebieden: tuple[str, ...] = ()
    url: str = ""


@dataclass(frozen=True)
class Rejected:
    line: int  # 1-based line of the file (the header is line 1); 0 when not line-based
    item_id: str
    reason: str  # Dutch, for the person who runs the import


@dataclass
class ImportReport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["rejected"] = [asdict(r) for r in self.rejected]
        return data


class InvalidRow(ValueError):
    """A row that cannot become an item; the message is the Dutch reason."""


def split_list(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split(";") if part.strip())


def _slugs(cell: str | None) -> tuple[str, ...]:
    slugs = []
    for name in split_list(cell):
        try:
            slugs.append(slug_for(name))
        except KeyError:
            raise InvalidRow(f"onbekend leefgebied '{name}'") from None
    return tuple(dict.fromkeys(slugs))


def _required(row: Mapping[str, str | None], column: str, label: str) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise InvalidRow(f"{label} ontbreekt")
    return value


def _identifier(row: Mapping[str, str | None], column: str) -> str:
    value = _required(row, column, column)
    if not _ID.match(value):
        raise InvalidRow(f"ongeldige {column} '{value[:40]}'")
    return value


def _url(value: str | None) -> str:
    url = (value or "").strip()
    if url and not url.lower().startswith(("https://", "http://")):
        raise InvalidRow(f"link moet met https:// beginnen: '{url[:60]}'")
    return url


def offer_from_row(row: Mapping[str, str | None], source: str = "csv") -> Offer:
    """One row in the columns of socialmap.csv; raises InvalidRow with the reason."""
    offer_id = _identifier(row, "offer_id")
    wijk_text = (row.get("wijk") or "").strip() or CITY_WIDE
    wijk = resolve_area(wijk_text)
    if wijk is None:
        raise InvalidRow(f"onbekende wijk '{wijk_text}'")
    email = (row.get("email") or "").strip()
    if email and not _EMAIL.match(email):
        raise InvalidRow(f"ongeldig e-mailadres '{email[:60]}'")
    return Offer(
        offer_id=offer_id,
        organisation=(row.get("organisation") or "").strip(),
        name=_required(row, "name", "naam"),
        description=_required(row, "description", "omschrijving"),
        wijk=wijk,
        address=(row.get("address") or "").strip(),
        postcode=(row.get("postcode") or "").strip(),
        phone=(row.get("phone") or "").strip(),
        email=email,
        url=_url(row.get("url")),
        audience=split_list(row.get("audience")),
        cost=(row.get("cost") or "").strip(),
        leefgebieden=_slugs(row.get("leefgebieden")),
        source=source,
    )


def module_from_row(row: Mapping[str, str | None]) -> Module:
    """One row in the columns of academy.csv; raises InvalidRow with the reason."""
    module_id = _identifier(row, "module_id")
    form = (row.get("format") or "").strip().lower()
    if form not in MODULE_FORMATS:
        raise InvalidRow(f"onbekende vorm '{form}' (kies uit {', '.join(sorted(MODULE_FORMATS))})")
    return Module(
        module_id=module_id,
        title=_required(row, "title", "titel"),
        format=form,
        description=_required(row, "description", "omschrijving"),
        leefgebieden=_slugs(row.get("leefgebieden")),
        url=_url(row.get("url")),
    )


Item = TypeVar("Item", Offer, Module)
OFFER_COLUMNS = ("offer_id", "name", "description")
MODULE_COLUMNS = ("module_id", "title", "format", "description")


class FileFormatError(ValueError):
    """The file as a whole cannot be read (missing columns, not UTF-8); Dutch message."""


def read_csv_rows(
    path: Path | str, required_columns: Sequence[str]
) -> list[tuple[int, dict[str, str | None]]]:
    """Rows with their line numbers; the header must hold `required_columns`."""
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required_columns if c not in (reader.fieldnames or [])]
            if missing:
                raise FileFormatError(f"kolommen ontbreken in {path}: {', '.join(missing)}")
            return [(reader.line_num, dict(row)) for row in reader]
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{path} is geen UTF-8-tekst") from error


def collect(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    parse: Callable[[Mapping[str, str | None]], Item],
    id_column: str,
) -> tuple[list[Item], list[Rejected]]:
    """Parse every row; a bad row or a repeated id is rejected, the rest is kept."""
    items: list[Item] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for line, row in rows:
        item_id = (row.get(id_column) or "").strip()
        try:
            item = parse(row)
        except InvalidRow as error:
            rejected.append(Rejected(line, item_id, str(error)))
            continue
        if item_id in seen:
            rejected.append(Rejected(line, item_id, f"{id_column} komt twee keer voor"))
            continue
        seen.add(item_id)
        items.append(item)
    return items, rejected


def load_offers_csv(path: Path | str) -> tuple[list[Offer], list[Rejected]]:
    return collect(read_csv_rows(path, OFFER_COLUMNS), offer_from_row, "offer_id")


def load_modules_csv(path: Path | str) -> tuple[list[Module], list[Rejected]]:
    return collect(read_csv_rows(path, MODULE_COLUMNS), module_from_row, "module_id")


def content_hash(item: Offer | Module) -> str:
    return hashlib.sha256(json.dumps(asdict(item), sort_keys=True).encode()).hexdigest()


def _offer_row(offer: Offer, now: datetime) -> SocialMapOffer:
    data = asdict(offer)
    return SocialMapOffer(**data, content_hash=content_hash(offer), updated_at=now)


def _module_row(module: Module, now: datetime) -> AcademyModule:
    data = asdict(module)
    return AcademyModule(**data, content_hash=content_hash(module), updated_at=now)


def sync_offers(
    session: Session, offers: Sequence[Offer], rejected: Sequence[Rejected], now: datetime
) -> ImportReport:
    """Make the stored social map equal to the snapshot (see the module docstring).

    An offer whose row was rejected keeps its stored version: a typo in this week's export
    must not make an offer disappear.
    """
    rows = {offer.offer_id: _offer_row(offer, now) for offer in offers}
    stored = {row.offer_id: row for row in session.exec(select(SocialMapOffer))}
    return _sync(session, rows, dict(stored), rejected)


def sync_modules(
    session: Session, modules: Sequence[Module], rejected: Sequence[Rejected], now: datetime
) -> ImportReport:
    """As sync_offers, for the Buurtacademie catalogue."""
    rows = {module.module_id: _module_row(module, now) for module in modules}
    stored = {row.module_id: row for row in session.exec(select(AcademyModule))}
    return _sync(session, rows, dict(stored), rejected)


def _sync(
    session: Session,
    rows: Mapping[str, SocialMapOffer | AcademyModule],
    stored: Mapping[str, SocialMapOffer | AcademyModule],
    rejected: Sequence[Rejected],
) -> ImportReport:
    report = ImportReport(read=len(rows) + len(rejected), rejected=list(rejected))
    for item_id, row in rows.items():
        _upsert(session, stored.get(item_id), row, report)
    keep = set(rows) | {r.item_id for r in rejected}
    for item_id, row in stored.items():
        if item_id not in keep:
            session.delete(row)
            report.removed += 1
    return report


def _upsert(
    session: Session,
    existing: SocialMapOffer | AcademyModule | None,
    row: SocialMapOffer | AcademyModule,
    report: ImportReport,
) -> None:
    if existing is None:
        session.add(row)
        report.created += 1
    elif existing.content_hash == row.content_hash:
        report.unchanged += 1
    else:
        for name, value in row.model_dump().items():
            setattr(existing, name, value)
        report.updated += 1


def stored_offers(session: Session) -> list[Offer]:
    rows = session.exec(select(SocialMapOffer).order_by(SocialMapOffer.offer_id)).all()
    return [
        Offer(
            offer_id=r.offer_id,
            organisation=r.organisation,
            name=r.name,
            description=r.description,
            wijk=r.wijk,
            address=r.address,
            postcode=r.postcode,
            phone=r.phone,
            email=r.email,
            url=r.url,
            audience=r.audience,
            cost=r.cost,
            leefgebieden=r.leefgebieden,
            source=r.source,
        )
        for r in rows
    ]


def stored_modules(session: Session) -> list[Module]:
    rows = session.exec(select(AcademyModule).order_by(AcademyModule.module_id)).all()
    return [
        Module(
            module_id=r.module_id,
            title=r.title,
            format=r.format,
            description=r.description,
            leefgebieden=r.leefgebieden,
            url=r.url,
        )
        for r in rows
    ]
