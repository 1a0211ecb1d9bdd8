"""Offers written as an Open Referral HSDS CSV package (2.0 or 3.0 naming).

The reader (knowledge/hsds.py) is what production needs; this writer only lets the tests prove
the round trip: the flat social map, written as a package and read back, gives the same offers.
(It lived in knowledge/ but nothing outside the tests called it.)
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Iterable
from pathlib import Path

from knowledge.areas import CITY_WIDE
from knowledge.catalogue import Offer
from knowledge.hsds import HsdsVersion, Row
from knowledge.taxonomy import name_for


def write_hsds_package(
    offers: Iterable[Offer], directory: Path | str, version: HsdsVersion = "3.0"
) -> list[Path]:
    """Write offers as an HSDS CSV package: demo exports and round-trip tests.

    Ids of organisations, locations and terms are UUIDs derived from their content, so the
    same offers always give the same files. City-wide offers get the area "gemeente Utrecht",
    as real exports say it. Existing files of the same name are overwritten.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for file, rows in _package_tables(list(offers), version).items():
        columns = list(dict.fromkeys(column for row in rows for column in row))
        with (out / file).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns or ["id"])
            writer.writeheader()
            writer.writerows(rows)
        written.append(out / file)
    return written


def _uid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "vraagbaak:hsds:" + "|".join(parts)))


def _package_tables(offers: list[Offer], version: HsdsVersion) -> dict[str, list[Row]]:
    writer = _PackageWriter(version)
    for offer in offers:
        writer.add_offer(offer)
    return writer.tables


class _PackageWriter:
    """The tables of one package; shared rows (organisations, locations, terms) appear once."""

    def __init__(self, version: HsdsVersion) -> None:
        self.v3 = version == "3.0"
        self.tables: dict[str, list[Row]] = {"organizations.csv": [], "services.csv": []}
        self.known: set[str] = set()

    def add(self, file: str, row: Row) -> None:
        if row["id"] not in self.known:
            self.known.add(row["id"])
            self.tables.setdefault(file, []).append(row)

    def add_offer(self, o: Offer) -> None:
        v3 = self.v3
        org_id = _uid("organization", o.organisation)
        org = {"id": org_id, "name": o.organisation, "email": "", "website" if v3 else "url": ""}
        self.add("organizations.csv", org)
        service = {"id": o.offer_id, "organization_id": org_id, "name": o.name}
        service |= {"description": o.description, "url": o.url, "email": o.email}
        service |= {"status": "active", "fees_description" if v3 else "fees": o.cost}
        if v3:
            service["eligibility_description"] = ";".join(o.audience)
        self.add("services.csv", service)
        for item in () if v3 else o.audience:
            row = {"id": _uid("eligibility", o.offer_id, item), "service_id": o.offer_id}
            self.add("eligibility.csv", row | {"eligibility": item})
        area = "gemeente Utrecht" if o.wijk == CITY_WIDE else o.wijk
        row = {"id": _uid("area", o.offer_id), "service_id": o.offer_id}
        self.add("service_areas.csv", row | {"name" if v3 else "service_area": area})
        if o.address or o.postcode:
            self._add_location(o, org_id)
        if o.phone:
            row = {"id": _uid("phone", o.offer_id), "service_id": o.offer_id}
            self.add("phones.csv", row | {"number": o.phone, "type": "voice"})
        for slug in o.leefgebieden:
            self._add_leefgebied(o.offer_id, slug)

    def _add_location(self, o: Offer, org_id: str) -> None:
        location_id = _uid("location", o.organisation, o.address, o.postcode)
        location = {"id": location_id, "organization_id": org_id, "name": o.address}
        address = {"id": _uid("address", location_id), "location_id": location_id}
        address |= {"address_1": o.address, "city": "Utrecht", "postal_code": o.postcode}
        address["country"] = "NL"
        if self.v3:
            location["location_type"] = address["address_type"] = "physical"
        self.add("locations.csv", location)
        self.add("addresses.csv" if self.v3 else "physical_addresses.csv", address)
        link = {"id": _uid("sal", o.offer_id, location_id), "service_id": o.offer_id}
        self.add("service_at_location.csv", link | {"location_id": location_id})

    def _add_leefgebied(self, offer_id: str, slug: str) -> None:
        term_id = _uid("leefgebied", slug)
        term = {"id": term_id, "name" if self.v3 else "term": name_for(slug)}
        self.add("taxonomy_terms.csv", term | {"taxonomy": "Wat Telt leefgebieden"})
        link = {"id": _uid("attribute", offer_id, slug), "taxonomy_term_id": term_id}
        if self.v3:
            self.add("attributes.csv", link | {"link_id": offer_id, "link_entity": "service"})
        else:
            self.add("service_attributes.csv", link | {"service_id": offer_id})
