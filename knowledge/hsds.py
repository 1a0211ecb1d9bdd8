"""Import of an Open Referral HSDS CSV package (a directory or a .zip) as social-map Offers.

Social maps such as jekuntmeer export HSDS: tables linked by ids, not our flat socialmap.csv.
This module joins those tables into the same Offer objects and validates them through
catalogue.offer_from_row, so both import paths accept and reject the same things.

Invariants:
- services.csv and organizations.csv must be present (FileFormatError); other files are optional.
- A service that is not active is left out, so sync_offers withdraws it. A service with a
  problem becomes a Rejected whose Dutch reason names the file (and its line when that is not
  services.csv), so sync_offers keeps the stored version.
- HSDS 2.0 and 3.0 file and column names are both read; docs/hsds.md has the mapping.
- Taxonomy terms that are not leefgebieden are ignored: real exports carry other taxonomies.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from knowledge.areas import CITY_WIDE, resolve_area
from knowledge.catalogue import (
    FileFormatError,
    InvalidRow,
    Offer,
    Rejected,
    offer_from_row,
    split_list,
)
from knowledge.taxonomy import slug_for
from knowledge.textnorm import fold

SOURCE = "hsds"
HsdsVersion = Literal["2.0", "3.0"]
Row = dict[str, str]
Rows = list[tuple[int, Row]]

# Table -> (accepted file names, the HSDS 3.0 name first; columns the file must have).
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "services": (("services.csv",), ("id", "organization_id", "name")),
    "organizations": (("organizations.csv",), ("id", "name")),
    "service_at_location": (
        ("service_at_location.csv", "services_at_location.csv"),
        ("service_id", "location_id"),
    ),
    "addresses": (("addresses.csv",), ("location_id",)),
    "physical_addresses": (("physical_addresses.csv",), ("location_id",)),
    "phones": (("phones.csv",), ("number",)),
    "service_areas": (("service_areas.csv",), ("service_id",)),
    "eligibility": (("eligibility.csv",), ("service_id",)),
    "attributes": (("attributes.csv", "other_attributes.csv"), ("link_id", "taxonomy_term_id")),
    "service_attributes": (("service_attributes.csv",), ("service_id", "taxonomy_term_id")),
    "taxonomy_terms": (("taxonomy_terms.csv", "taxonomy_term.csv"), ("id",)),
}
REQUIRED_TABLES = ("services", "organizations")
_WANTED = frozenset(name for names, _ in TABLES.values() for name in names)
_ACTIVE = frozenset({"", "active"})
_WITHDRAWN = frozenset({"inactive", "defunct", "temporarily closed"})
_NOT_VOICE = frozenset({"fax", "pager"})
# Names exports use for "the whole municipality"; areas.resolve_area knows "Stad" itself.
_CITY_NAMES = frozenset(
    {"utrecht", "gemeente utrecht", "stad utrecht", "heel utrecht", "hele stad"}
)
# HSDS 2.0 other_attributes names the linked table in link_type; 3.0 moved it to link_entity
# and uses link_type for the kind of link ("eligibility", "audience").
_ENTITIES = frozenset(
    {"organization", "program", "service", "service_at_location", "location", "phone", "contact"}
)
_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})$")


@dataclass(frozen=True)
class _Table:
    file: str  # the name in the package (or the default name when absent), for messages
    rows: Rows


def load_hsds_package(path: Path | str) -> tuple[list[Offer], list[Rejected]]:
    """The active services of an HSDS package as Offers (source "hsds"), plus rejected rows.

    Raises:
        FileFormatError: not a directory or zip, a required file missing, a file that is not
            UTF-8 CSV or lacks the columns that link it.
    """
    tables = _read_package(Path(path))
    services = tables["services"]
    service_ids = {row.get("id", "") for _, row in services.rows}
    join = _Join(tables, service_ids)
    offers: list[Offer] = []
    rejected: list[Rejected] = []
    seen: set[str] = set()
    for line, row in services.rows:
        service_id = row.get("id", "")
        try:
            if not _is_active(row, services.file):
                continue
            offer = join.offer(row)
        except InvalidRow as error:
            rejected.append(Rejected(line, service_id, str(error)))
            continue
        if service_id in seen:
            rejected.append(Rejected(line, service_id, f"{services.file}: id komt twee keer voor"))
            continue
        seen.add(service_id)
        offers.append(offer)
    return offers, rejected + _dangling(tables, service_ids)


def _is_active(row: Row, file: str) -> bool:
    status = row.get("status", "").lower().replace("_", " ")
    if status in _ACTIVE:
        return True
    if status in _WITHDRAWN:
        return False
    raise InvalidRow(f"{file}: onbekende status '{status[:40]}'")


def _read_package(path: Path) -> dict[str, _Table]:
    blobs = _csv_files(path)
    tables: dict[str, _Table] = {}
    for table, (names, required) in TABLES.items():
        file = next((name for name in names if name in blobs), None)
        if file is None and table in REQUIRED_TABLES:
            raise FileFormatError(f"{names[0]} ontbreekt in {path}")
        rows = [] if file is None else _parse(file, blobs[file], required)
        tables[table] = _Table(file or names[0], rows)
    return tables


def _csv_files(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        files = {p.relative_to(path).as_posix(): p.read_bytes for p in path.rglob("*")}
        return _shallowest(files)
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as archive:
                return _shallowest({name: _reader(archive, name) for name in archive.namelist()})
        except (zipfile.BadZipFile, OSError) as error:
            raise FileFormatError(f"{path} is een beschadigd zip-bestand") from error
    raise FileFormatError(f"{path} is geen map of zip-bestand met een HSDS-export")


def _reader(archive: zipfile.ZipFile, name: str) -> Callable[[], bytes]:
    return lambda: archive.read(name)


def _shallowest(files: Mapping[str, Callable[[], bytes]]) -> dict[str, bytes]:
    """Known files by lower-case name; the shallowest wins, as zips often wrap a folder."""
    found: dict[str, bytes] = {}
    for name in sorted(files, key=lambda n: (n.count("/"), n)):
        base = name.rsplit("/", 1)[-1].lower()
        if base in _WANTED and base not in found:
            found[base] = files[name]()
    return found


def _parse(file: str, data: bytes, required: Sequence[str]) -> Rows:
    try:
        reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
        missing = [column for column in required if column not in reader.fieldnames]
        if missing:
            raise FileFormatError(f"kolommen ontbreken in {file}: {', '.join(missing)}")
        return [(reader.line_num, _clean(row)) for row in reader]
    except UnicodeDecodeError as error:
        raise FileFormatError(f"{file} is geen UTF-8-tekst") from error
    except csv.Error as error:
        raise FileFormatError(f"{file} is geen geldige CSV: {error}") from error


def _clean(row: Mapping[str | None, str | list[str] | None]) -> Row:
    """Stripped cells; a short row's missing cells are empty, a long row's extras dropped."""
    return {k: v.strip() if isinstance(v, str) else "" for k, v in row.items() if k is not None}


def _by(rows: Rows, column: str) -> dict[str, Rows]:
    grouped: dict[str, Rows] = defaultdict(list)
    for line, row in rows:
        if row.get(column):
            grouped[row[column]].append((line, row))
    return grouped


class _Join:
    """The linked tables indexed once by service, location and organisation: exports hold
    thousands of rows, and scanning phones.csv per service would be quadratic."""

    def __init__(self, tables: dict[str, _Table], service_ids: set[str]) -> None:
        self.files = {table: t.file for table, t in tables.items()}
        self.organizations: dict[str, tuple[int, Row]] = {}
        for line, row in tables["organizations"].rows:
            self.organizations.setdefault(row.get("id", ""), (line, row))
        self.places = _by(tables["service_at_location"].rows, "service_id")
        self.addresses = _physical_addresses(tables)
        self.phones = _phone_index(tables["phones"].rows)
        self.areas = _by(tables["service_areas"].rows, "service_id")
        self.eligibility = _by(tables["eligibility"].rows, "service_id")
        self.leefgebieden = _leefgebieden(tables, service_ids)

    def offer(self, service: Row) -> Offer:
        service_id = service.get("id", "")
        org_id = service.get("organization_id", "")
        if org_id not in self.organizations:
            raise InvalidRow(
                f"{self.files['services']}: organisatie '{org_id[:40]}' staat niet in "
                f"{self.files['organizations']}"
            )
        org_line, org = self.organizations[org_id]
        places = [row for _, row in self.places.get(service_id, [])]
        address = next(
            (
                self.addresses[p["location_id"]]
                for p in places
                if p["location_id"] in self.addresses
            ),
            {},
        )
        cells = {
            "offer_id": service_id,
            "organisation": org.get("name", ""),
            "name": service.get("name", ""),
            "description": _description(service),
            "wijk": self._wijk(service_id),
            "address": _street(address),
            "postcode": _postcode(address.get("postal_code", "")),
            "phone": self._phone(service_id, org_id, places),
            "email": service.get("email") or self._fallback(org_line, "email", org.get("email")),
            "url": _web(service.get("url"))
            or self._fallback(org_line, "url", _web(org.get("website") or org.get("url"))),
            "audience": ";".join(_audience(service, self.eligibility.get(service_id, []))),
            "cost": service.get("fees_description") or service.get("fees", ""),
            "leefgebieden": ";".join(self.leefgebieden.get(service_id, [])),
        }
        try:
            return offer_from_row(cells, source=SOURCE)
        except InvalidRow as error:
            raise InvalidRow(f"{self.files['services']}: {error}") from None

    def _wijk(self, service_id: str) -> str:
        """One wijk per offer: city-wide wins, else the first listed (docs/hsds.md)."""
        found: list[str] = []
        for line, row in self.areas.get(service_id, []):
            text = row.get("service_area") or row.get("name") or row.get("description", "")
            if not text:
                continue
            area = CITY_WIDE if _area_key(text) in _CITY_NAMES else resolve_area(text)
            if area is None:
                raise InvalidRow(
                    f"{self.files['service_areas']} regel {line}: onbekende wijk '{text[:60]}'"
                )
            found.append(area)
        return CITY_WIDE if not found or CITY_WIDE in found else found[0]

    def _phone(self, service_id: str, org_id: str, places: list[Row]) -> str:
        keys = [
            ("service_id", service_id),
            *(("service_at_location_id", p.get("id", "")) for p in places),
            *(("location_id", p["location_id"]) for p in places),
            ("organization_id", org_id),
        ]
        return next((self.phones[key] for key in keys if key in self.phones), "")

    def _fallback(self, line: int, column: str, value: str | None) -> str:
        """The organisation's email or website standing in for the service's own, checked by
        offer_from_row like any other, but reported against the file it came from."""
        if value:
            try:
                offer_from_row({"offer_id": "x", "name": "x", "description": "x", column: value})
            except InvalidRow as error:
                raise InvalidRow(f"{self.files['organizations']} regel {line}: {error}") from None
        return value or ""


def _area_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text)).strip()


def _physical_addresses(tables: dict[str, _Table]) -> dict[str, Row]:
    """Location id -> its first physical address (2.0 has a file of them, 3.0 a type column)."""
    rows = [row for _, row in tables["physical_addresses"].rows]
    rows += [
        row
        for _, row in tables["addresses"].rows
        if row.get("address_type", "").lower() in ("", "physical")
    ]
    found: dict[str, Row] = {}
    for row in rows:
        if row.get("address_1") or row.get("postal_code"):
            found.setdefault(row.get("location_id", ""), row)
    return found


def _phone_index(rows: Rows) -> dict[tuple[str, str], str]:
    """First usable number per (link column, id). A row with a service_id belongs to that
    service only, even when it also names a location or organisation."""
    index: dict[tuple[str, str], str] = {}
    for _, row in rows:
        number = row.get("number", "").strip('"').strip()
        if not number or row.get("type", "").lower() in _NOT_VOICE:
            continue
        columns = (
            ("service_id",)
            if row.get("service_id")
            else ("service_at_location_id", "location_id", "organization_id")
        )
        for column in columns:
            if row.get(column):
                index.setdefault((column, row[column]), number)
    return index


def _leefgebieden(tables: dict[str, _Table], service_ids: set[str]) -> dict[str, list[str]]:
    terms = {
        row.get("id", ""): slug for _, row in tables["taxonomy_terms"].rows if (slug := _slug(row))
    }
    links = [
        (r.get("service_id", ""), r["taxonomy_term_id"])
        for _, r in tables["service_attributes"].rows
    ]
    links += [
        (r["link_id"], r["taxonomy_term_id"])
        for _, r in tables["attributes"].rows
        if _about_service(r, service_ids)
    ]
    found: dict[str, list[str]] = defaultdict(list)
    for service_id, term_id in links:
        slug = terms.get(term_id)
        if slug and slug not in found[service_id]:
            found[service_id].append(slug)
    return found


def _slug(term: Row) -> str | None:
    for column in ("name", "term", "code"):
        if term.get(column):
            try:
                return slug_for(term[column])
            except KeyError:
                continue
    return None


def _about_service(row: Row, service_ids: set[str]) -> bool:
    link_type = row.get("link_type", "").lower()
    entity = row.get("link_entity", "").lower() or (link_type if link_type in _ENTITIES else "")
    return entity == "service" if entity else row["link_id"] in service_ids


def _description(service: Row) -> str:
    """The description, with how to apply appended: generalists ask that first."""
    text = service.get("description", "")
    process = service.get("application_process", "")
    if process and process not in text:
        return f"{text}\n\nAanmelden: {process}".strip()
    return text


def _street(address: Mapping[str, str]) -> str:
    """Street and number; the city only when it is not Utrecht (Vleuten, De Meern)."""
    parts = [address.get("address_1", ""), address.get("address_2", "")]
    city = address.get("city", "")
    if _area_key(city) not in ("", "utrecht"):
        parts.append(city)
    return ", ".join(part for part in parts if part)


def _postcode(text: str) -> str:
    match = _POSTCODE.match(text)
    return f"{match[1]} {match[2].upper()}" if match else text


def _web(value: str | None) -> str:
    url = (value or "").strip()
    return f"https://{url}" if url.lower().startswith("www.") else url


def _audience(service: Row, eligibility: Rows) -> list[str]:
    parts = list(split_list(service.get("eligibility_description")))
    for _, row in eligibility:
        parts += split_list(row.get("eligibility") or row.get("description"))
    return list(dict.fromkeys(parts))


def _dangling(tables: dict[str, _Table], service_ids: set[str]) -> list[Rejected]:
    """Rows pointing at a service that is not in services.csv: harmless for the offers, but
    a sign the export is inconsistent, so the person importing hears of it."""
    rejected: list[Rejected] = []
    for table in ("service_at_location", "service_areas", "eligibility", "service_attributes"):
        for line, row in tables[table].rows:
            service_id = row.get("service_id", "")
            if service_id and service_id not in service_ids:
                reason = (
                    f"{tables[table].file}: dienst '{service_id[:40]}' staat niet in services.csv"
                )
                rejected.append(Rejected(line, "", reason))
    return rejected
