"""The HSDS package import: both spec versions, a zip, rejected rows, and a round trip."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.catalogue import FileFormatError, Offer, Rejected, load_offers_csv
from knowledge.hsds import HsdsVersion, load_hsds_package
from tests.hsds_writer import write_hsds_package

ROOT = Path(__file__).resolve().parents[2]
V2 = ROOT / "tests" / "fixtures" / "hsds" / "v2"
SOCIALMAP = ROOT / "knowledge" / "data" / "demo" / "socialmap.csv"
S = "c1d2e3f4-0b1a-4a5b-8c9d-0e1f2a3b4c0"  # + 1..6, the fixture's service ids
ORG = "5a0e7c4e-2f6b-4d1a-9c3e-8b7f1d2a6e0"  # + 1..4, its organisation ids

TAALCAFE = Offer(
    offer_id=f"{S}1",
    organisation="Stichting Taalcafé Utrecht",
    name="Taalcafé – Nederlands oefenen",
    description="Elke week in gesprek in het Nederlands met vrijwilligers en andere deelnemers, "
    "op elk niveau.\n\nAanmelden: Gewoon binnenlopen, aanmelden is niet nodig.",
    wijk="Stad",  # "gemeente Utrecht"
    address="Marshallaan 2",  # the first location with a physical address, not the Postbus
    postcode="3527 TK",
    phone="030-7101111",  # its own number, not the organisation's
    email="taalcafe@voorbeeld.nl",
    url="https://www.voorbeeld.nl/taalcafe/oefenen",
    audience=("anderstaligen", "volwassenen"),
    cost="gratis",
    leefgebieden=("taal_en_leren",),  # "Anderstaligen" is from another taxonomy
    source="hsds",
)
KLUSSENDIENST = Offer(
    offer_id=f"{S}2",
    organisation="Vrijwilligerscentrale Utrecht",
    name="Klussendienst Zuilen",
    description="Vrijwilligers helpen bij kleine klussen in en om het huis: lamp ophangen, "
    "kraan vervangen, gordijnrails.",
    wijk="Zuilen",
    address="Prinses Christinalaan 3",  # city "UTRECHT" is not repeated
    postcode="3554 AB",  # written "3554ab"
    phone="030-7102222",  # the organisation's: the service only has a fax
    email="hallo@vcu.voorbeeld.nl",  # the organisation's
    url="https://www.voorbeeld.nl/vrijwilligerscentrale",  # written "www.…"
    audience=("ouderen", "mensen met een beperking"),
    cost="€ 2,50 per klus plus materiaal",
    leefgebieden=("huishouden", "wonen"),
    source="hsds",
)
AMERSFOORT = Rejected(6, f"{S}5", "service_areas.csv regel 4: onbekende wijk 'Amersfoort'")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    columns = list(dict.fromkeys(column for row in rows for column in row))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def _renamed(rows: list[dict[str, str]], **names: str) -> list[dict[str, str]]:
    return [{names.get(k, k): v for k, v in row.items()} for row in rows]


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(V2, tmp_path / "export"))


def _to_v3(src: Path, dst: Path) -> Path:
    """The 2.0 fixture in 3.0 names, with a postal address that must not be used."""
    dst.mkdir()
    audience: dict[str, list[str]] = defaultdict(list)
    for row in _read(src / "eligibility.csv"):
        audience[row["service_id"]].append(row["eligibility"])
    services = _renamed(_read(src / "services.csv"), fees="fees_description")
    for row in services:
        row["eligibility_description"] = ";".join(audience[row["id"]])
    _write(dst / "services.csv", services)
    _write(dst / "organizations.csv", _renamed(_read(src / "organizations.csv"), url="website"))
    locations = _read(src / "locations.csv")
    _write(dst / "locations.csv", [{**row, "location_type": "physical"} for row in locations])
    shutil.copy(src / "service_at_location.csv", dst)
    shutil.copy(src / "phones.csv", dst)
    postal = [{**row, "address_type": "postal"} for row in _read(src / "postal_addresses.csv")]
    postal.append({**postal[0], "location_id": locations[1]["id"], "address_1": "Postbus 99"})
    physical = _read(src / "physical_addresses.csv")
    _write(dst / "addresses.csv", postal + [{**r, "address_type": "physical"} for r in physical])
    areas = _renamed(_read(src / "service_areas.csv"), service_area="name")
    _write(dst / "service_areas.csv", areas)
    _write(dst / "taxonomy_terms.csv", _renamed(_read(src / "taxonomy_terms.csv"), term="name"))
    links = _read(src / "service_attributes.csv")
    attributes = [
        {"id": r["id"], "link_id": r["service_id"], "link_entity": "service", "link_type": "topic"}
        | {"taxonomy_term_id": r["taxonomy_term_id"]}
        for r in links
    ]
    # Ids need only be unique per table: this one is about an organisation, not service 4.
    about_org = {"id": "x", "link_id": f"{S}4", "link_entity": "organization"}
    attributes.append({**attributes[0], **about_org})
    _write(dst / "attributes.csv", attributes)
    return dst


def test_hsds_2_package() -> None:
    offers, rejected = load_hsds_package(V2)
    assert [o.offer_id for o in offers] == [f"{S}1", f"{S}2", f"{S}4", f"{S}6"]  # 3 is inactive
    assert offers[:2] == [TAALCAFE, KLUSSENDIENST]
    assert rejected == [AMERSFOORT]


def test_links_that_fall_back() -> None:
    offers = {o.offer_id: o for o in load_hsds_package(V2)[0]}
    schuldhulp, inloop = offers[f"{S}4"], offers[f"{S}6"]
    assert schuldhulp.wijk == "Stad"  # no service area at all
    assert schuldhulp.phone == "14 030"  # the number of its location
    assert schuldhulp.audience == ()
    assert inloop.wijk == "Kanaleneiland"  # written in lower case
    # The organisation's number, not the one a sibling service's row also files under it.
    assert (inloop.phone, inloop.email) == ("030-7104444", "deboog@voorbeeld.nl")
    assert inloop.leefgebieden == ("dagelijkse_activiteiten", "gezin_en_opvoeden")  # not "Inloop"


def test_hsds_3_package_gives_the_same_offers(tmp_path: Path) -> None:
    assert load_hsds_package(_to_v3(V2, tmp_path / "v3")) == load_hsds_package(V2)


def test_a_zip_with_a_folder_inside(tmp_path: Path) -> None:
    shutil.copytree(V2, tmp_path / "content" / "export-2026-01")
    old = tmp_path / "content" / "export-2026-01" / "vorige"
    old.mkdir()
    (old / "services.csv").write_text("id\n", encoding="utf-8")  # deeper, so not read
    archive = shutil.make_archive(str(tmp_path / "export"), "zip", tmp_path / "content")
    assert load_hsds_package(archive) == load_hsds_package(V2)


def test_other_file_names_for_the_same_tables(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    (export / "service_at_location.csv").rename(export / "services_at_location.csv")
    (export / "taxonomy_terms.csv").rename(export / "taxonomy_term.csv")
    links = _read(export / "service_attributes.csv")  # 2.0 other_attributes: link_type=table
    other = _renamed(links, service_id="link_id")
    _write(export / "other_attributes.csv", [{**row, "link_type": "service"} for row in other])
    (export / "service_attributes.csv").unlink()
    assert load_hsds_package(export) == load_hsds_package(V2)


def test_messy_cells_are_tolerated(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    with (export / "services.csv").open("a", encoding="utf-8") as handle:
        handle.write(f"{S}7,{ORG}3,,Spreekuur,,Hulp bij formulieren.,,,ACTIVE,,,,,,,,extra\n")
        handle.write(f"{S}8,{ORG}3,,Buurtpension,,Even logeren.\n")  # a short row
    offers = {o.offer_id: o for o in load_hsds_package(export)[0]}
    assert offers[f"{S}7"].name == "Spreekuur"
    assert offers[f"{S}8"].description == "Even logeren."
    assert offers[f"{S}8"].organisation == "Gemeente Utrecht"


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        ({"organization_id": "onbekend"}, "services.csv: organisatie 'onbekend' staat niet in"),
        ({"description": ""}, "services.csv: omschrijving ontbreekt"),
        ({"status": "gepauzeerd"}, "services.csv: onbekende status 'gepauzeerd'"),
        ({"url": "ftp://x.nl"}, "services.csv: link moet met https:// beginnen"),
        ({"id": "niet geldig!"}, "services.csv: ongeldige offer_id"),
    ],
)
def test_a_bad_service_row_is_rejected(tmp_path: Path, edit: dict[str, str], reason: str) -> None:
    export = _copy(tmp_path)
    services = _read(export / "services.csv")
    services[3].update(edit)  # the Schuldhulp service, line 5
    _write(export / "services.csv", services)
    offers, rejected = load_hsds_package(export)
    assert len(offers) == 3
    assert rejected[0].line == 5
    assert rejected[0].reason.startswith(reason)


def test_a_bad_fallback_is_reported_against_organizations(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    organizations = _read(export / "organizations.csv")
    organizations[1]["email"] = "hallo(at)vcu"
    _write(export / "organizations.csv", organizations)
    rejected = load_hsds_package(export)[1]
    assert rejected[0] == Rejected(
        3, f"{S}2", "organizations.csv regel 3: ongeldig e-mailadres 'hallo(at)vcu'"
    )


def test_repeated_ids_and_rows_about_unknown_services(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    services = _read(export / "services.csv")
    _write(export / "services.csv", [*services, services[0]])
    areas = _read(export / "service_areas.csv")
    _write(export / "service_areas.csv", [*areas, {**areas[0], "service_id": "weg"}])
    offers, rejected = load_hsds_package(export)
    assert len(offers) == 4
    assert rejected == [
        AMERSFOORT,
        Rejected(8, f"{S}1", "services.csv: id komt twee keer voor"),
        Rejected(6, "", "service_areas.csv: dienst 'weg' staat niet in services.csv"),
    ]


@pytest.mark.parametrize("required", ["services.csv", "organizations.csv"])
def test_a_required_file_is_missing(tmp_path: Path, required: str) -> None:
    export = _copy(tmp_path)
    (export / required).unlink()
    with pytest.raises(FileFormatError, match=f"{required} ontbreekt"):
        load_hsds_package(export)


def test_unreadable_packages(tmp_path: Path) -> None:
    export = _copy(tmp_path)
    (export / "phones.csv").write_text("id,nummer\n1,030\n", encoding="utf-8")
    with pytest.raises(FileFormatError, match="kolommen ontbreken in phones.csv: number"):
        load_hsds_package(export)
    (export / "phones.csv").write_bytes("id,number\n1,030 – één\n".encode("cp1252"))
    with pytest.raises(FileFormatError, match="phones.csv is geen UTF-8-tekst"):
        load_hsds_package(export)
    with pytest.raises(FileFormatError, match="geen map of zip-bestand"):
        load_hsds_package(export / "services.csv")


@pytest.mark.parametrize("version", ["2.0", "3.0"])
def test_round_trip_of_the_social_map(tmp_path: Path, version: HsdsVersion) -> None:
    offers, rejected = load_offers_csv(SOCIALMAP)
    assert not rejected
    write_hsds_package(offers, tmp_path, version)
    again, rejected = load_hsds_package(tmp_path)
    assert not rejected
    assert again == [replace(offer, source="hsds") for offer in offers]


def test_writing_is_deterministic(tmp_path: Path) -> None:
    offers = load_hsds_package(V2)[0]
    first = write_hsds_package(offers, tmp_path / "a")
    write_hsds_package(offers, tmp_path / "b")
    assert {p.name for p in first} == {p.name for p in (tmp_path / "b").iterdir()}
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()
