"""Open Referral HSDS 3.0 exchange (issue 3, point 9)."""

from __future__ import annotations

import copy
import csv
import datetime
import json
import shutil
import uuid
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import DailyLifeArea, District, Municipality, Prefecture
from tsunagu.core.codes import check_digit
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory import services
from tsunagu.directory.hsds.cli import cli_export, cli_import
from tsunagu.directory.hsds.export import export_json, export_tabular
from tsunagu.directory.hsds.importer import import_json, import_tabular
from tsunagu.directory.hsds.schema import DEFAULT_NAMESPACE, NONEMPTY, TABLES, hsds_id
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    Resource,
)
from tsunagu.directory.selectors import public_resource_list
from tsunagu.directory.services import LocationFields, OrganisationFields, ResourceFields

FILES = Path(__file__).parent / "files"
EXAMPLE_JSON = FILES / "hsds_example_organization.json"
EXAMPLE_TABULAR = FILES / "hsds_example_tabular"
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[130.8, 33.6], [130.9, 33.6], [130.9, 33.7], [130.8, 33.7], [130.8, 33.6]]],
}


# --- fixtures --------------------------------------------------------------------------


@pytest.fixture
def actor(db: Any) -> Any:
    return system_actor()


def _municipality(name: str, head: str, *, boundary: dict | None = None) -> Municipality:
    """A municipality of 福岡県 with one daily-life area and one district, like the demo's."""
    municipality = Municipality.objects.create(
        prefecture=Prefecture.objects.get(code="400009"),
        code=head + str(check_digit(head)),
        name=name,
        boundary=boundary,
    )
    area = DailyLifeArea.objects.create(municipality=municipality, name="北部圏域", boundary=SQUARE)
    District.objects.create(municipality=municipality, name="上野地区", daily_life_area=area)
    return municipality


@pytest.fixture
def source(actor: Any) -> Municipality:
    """テスト町: organisations and resources using every field HSDS can carry."""
    town = _municipality("テスト町", "40991", boundary=SQUARE)
    area = town.daily_life_areas.get()
    district = town.districts.get()
    office = services.organisation_create(
        fields=OrganisationFields(
            name="テスト町役場",
            name_kana="てすとちょうやくば",
            org_type="department",
            municipality=town,
            visibility="public",
        ),
        actor=actor,
    )
    group = services.organisation_create(
        fields=OrganisationFields(
            name="上野見守り会",
            name_kana="うえのみまもりかい",
            org_type="volunteer_group",
            parent=office,
            description="上野地区の住民による見守りと買い物支援。",
            email="mimamori@example.jp",
            website="https://example.jp/mimamori",
            phone="0947-32-0001",
            postal_code="822-1499",
            address="福岡県テスト町大字上野1番地",
            latitude=Decimal("33.650000"),
            longitude=Decimal("130.850000"),
            founded_on=datetime.date(2015, 4, 1),
            municipality=town,
            visibility="public",
        ),
        actor=actor,
    )
    hall = services.location_create(
        fields=LocationFields(
            name="上野公民館",
            organisation=office,
            postal_code="822-1498",
            address="福岡県テスト町大字上野2番地",
            latitude=Decimal("33.651234"),
            longitude=Decimal("130.851234"),
        ),
        actor=actor,
    )
    services.resource_create(
        fields=ResourceFields(
            name="上野お買い物便",
            name_kana="うえのおかいものびん",
            provider=group,
            category=Category.objects.get(code="shopping"),
            description="毎週水曜にスーパーまで送迎し、買い物を手伝います。",
            eligibility=list(Eligibility.objects.filter(code__in=["age-65", "living-alone"])),
            eligibility_note="町内在住の方",
            cost_yen=100,
            cost_note="1回100円（燃料代）",
            schedule_note="雨天時は中止",
            serves_whole_municipality=True,
            daily_life_areas=[area],
            districts=[district],
            locations=[hall],
            how_to_apply="前日までに電話で申し込み",
            status="active",
            funding_basis="subsidy",
            sogo_service_type="home_b",
            subsidy_name="支えあい活動補助金",
            visibility="public",
            contact_phone="0947-32-0002",
            website="https://example.jp/kaimono",
            last_verified_on=datetime.date(2025, 4, 1),
            weekly_slots=[
                {
                    "weekday": 2,
                    "opens_at": datetime.time(10, 0),
                    "closes_at": datetime.time(12, 0),
                },
                {
                    "weekday": 4,
                    "week_of_month": 2,
                    "opens_at": datetime.time(13, 30),
                    "closes_at": datetime.time(15, 0),
                },
            ],
            sessions=[
                {
                    "date": datetime.date(2025, 5, 14),
                    "opens_at": datetime.time(10, 0),
                    "closes_at": datetime.time(11, 30),
                    "note": "健康相談と同時開催",
                }
            ],
        ),
        actor=actor,
    )
    services.resource_create(
        fields=ResourceFields(
            name="いきいきサロン",
            provider=group,
            category=Category.objects.get(code="gathering"),
            status="paused",
            visibility="public",
        ),
        actor=actor,
    )
    services.resource_create(
        fields=ResourceFields(
            name="見守り対象者の名簿共有",
            provider=group,
            category=Category.objects.get(code="watching"),
            visibility="partners",
        ),
        actor=actor,
    )
    hidden = services.organisation_create(
        fields=OrganisationFields(
            name="内部の検討会", org_type="other", municipality=town, visibility="internal"
        ),
        actor=actor,
    )
    services.resource_create(
        fields=ResourceFields(
            name="非公開団体の公開資源",
            provider=hidden,
            category=Category.objects.get(code="other"),
            visibility="public",
        ),
        actor=actor,
    )
    return town


@pytest.fixture
def target(db: Any) -> Municipality:
    """An empty municipality with areas of the same names as テスト町's."""
    return _municipality("受入町", "40992")


def _counts(municipality: Municipality) -> tuple[int, int, int]:
    return (
        Organisation.objects.filter(municipality=municipality).count(),
        Resource.objects.filter(municipality=municipality).count(),
        Location.objects.filter(municipality=municipality).count(),
    )


def _history_count() -> int:
    return Organisation.history.count() + Resource.history.count() + Location.history.count()


# --- field-by-field comparison ---------------------------------------------------------


def _organisation_fields(org: Organisation) -> dict[str, Any]:
    return {
        "name": org.name,
        "name_kana": org.name_kana,
        "description": org.description,
        "email": org.email,
        "website": org.website,
        "org_type": org.org_type,
        "founded_year": org.founded_on.year if org.founded_on else None,
        "phone": org.phone,
        "postal_code": org.postal_code,
        "address": org.address,
        "latitude": org.latitude,
        "longitude": org.longitude,
        "parent": org.parent.name if org.parent else None,
    }


def _location_fields(location: Location) -> tuple[Any, ...]:
    return (
        location.name,
        location.postal_code,
        location.address,
        location.latitude,
        location.longitude,
        location.organisation.name if location.organisation else None,
    )


def _resource_fields(resource: Resource) -> dict[str, Any]:
    return {
        "name": resource.name,
        "name_kana": resource.name_kana,
        "provider": resource.provider.name,
        "category": resource.category.code,
        "description": resource.description,
        "eligibility": sorted(e.code for e in resource.eligibility.all()),
        "eligibility_note": resource.eligibility_note,
        "cost_yen": resource.cost_yen,
        "cost_note": resource.cost_note,
        "schedule_note": resource.schedule_note,
        "serves_whole_municipality": resource.serves_whole_municipality,
        "daily_life_areas": sorted(a.name for a in resource.daily_life_areas.all()),
        "districts": sorted(d.name for d in resource.districts.all()),
        "locations": sorted(_location_fields(loc) for loc in resource.locations.all()),
        "how_to_apply": resource.how_to_apply,
        "status": resource.status,
        "funding_basis": resource.funding_basis,
        "sogo_service_type": resource.sogo_service_type,
        "subsidy_name": resource.subsidy_name,
        "contact_phone": resource.contact_phone,
        "website": resource.website,
        "last_verified_on": resource.last_verified_on,
        "weekly_slots": sorted(
            (s.weekday, s.week_of_month, s.opens_at, s.closes_at)
            for s in resource.weekly_slots.all()
        ),
        "sessions": sorted(
            (s.date, s.opens_at, s.closes_at, s.note) for s in resource.sessions.all()
        ),
    }


def _assert_same_directory(source: Municipality, target: Municipality) -> None:
    exported_orgs = Organisation.objects.filter(municipality=source, visibility="public")
    imported_orgs = {o.name: o for o in Organisation.objects.filter(municipality=target)}
    assert set(imported_orgs) == {o.name for o in exported_orgs}
    for org in exported_orgs:
        assert _organisation_fields(imported_orgs[org.name]) == _organisation_fields(org)
    exported = public_resource_list().filter(municipality=source)
    imported = {r.name: r for r in Resource.objects.filter(municipality=target)}
    assert set(imported) == {r.name for r in exported}
    for resource in exported:
        assert _resource_fields(imported[resource.name]) == _resource_fields(resource)


# --- export ----------------------------------------------------------------------------


def test_export_has_the_required_fields_of_every_hsds_record(source: Municipality) -> None:
    data = export_json(municipality=source)

    def check(record: dict[str, Any], table: str) -> None:
        for f in TABLES[table].fields:
            if f.required:
                assert f.name in record, (table, f.name, record)
                if f.required == NONEMPTY:
                    assert record[f.name] not in (None, ""), (table, f.name)
            if f.name in record:  # HSDS types: numbers are JSON numbers, the rest strings
                kind = (int, float) if f.type == "number" else str
                assert isinstance(record[f.name], kind), (table, f.name, record[f.name])
            if f.enum and f.name in record:
                assert record[f.name] in f.enum
        uuid.UUID(record["id"])

    assert data["organizations"]
    for org in data["organizations"]:
        check(org, "organization")
        for location in org.get("locations", []):
            check(location, "location")
            for address in location.get("addresses", []):
                check(address, "address")
        for phone in org.get("phones", []):
            check(phone, "phone")
        for service in org.get("services", []):
            check(service, "service")
            assert service["organization_id"] == org["id"]
            for sal in service.get("service_at_locations", []):
                check(sal, "service_at_location")
                check(sal["location"], "location")
            for key, table in (
                ("phones", "phone"),
                ("schedules", "schedule"),
                ("service_areas", "service_area"),
                ("cost_options", "cost_option"),
                ("funding", "funding"),
                ("attributes", "attribute"),
            ):
                for record in service.get(key, []):
                    check(record, table)
            for attribute in service["attributes"]:
                check(attribute["taxonomy_term"], "taxonomy_term")
    for taxonomy in data["taxonomies"]:
        check(taxonomy, "taxonomy")
    for term in data["taxonomy_terms"]:
        check(term, "taxonomy_term")


def test_export_contains_only_public_records_of_public_providers(source: Municipality) -> None:
    data = export_json()
    service_ids = {s["id"] for org in data["organizations"] for s in org.get("services", [])}
    org_ids = {org["id"] for org in data["organizations"]}
    public = public_resource_list()
    assert service_ids == {hsds_id("resource", r.pk) for r in public}
    names = {s["name"] for org in data["organizations"] for s in org.get("services", [])}
    assert "見守り対象者の名簿共有" not in names  # partners only
    assert "非公開団体の公開資源" not in names  # its provider is internal
    hidden = Organisation.objects.get(name="内部の検討会")
    assert hsds_id("organisation", hidden.pk) not in org_ids
    public_orgs = Organisation.objects.filter(visibility="public")
    assert org_ids == {hsds_id("organisation", o.pk) for o in public_orgs}
    locations = [loc for org in data["organizations"] for loc in org.get("locations", [])]
    assert all(loc.get("organization_id") in org_ids for loc in locations)


def test_export_ids_are_stable_uuid5_of_the_primary_key(source: Municipality) -> None:
    first = export_json(municipality=source)
    second = export_json(municipality=source)
    assert first == second
    group = Organisation.objects.get(name="上野見守り会")
    expected = str(uuid.uuid5(DEFAULT_NAMESPACE, f"organisation:{group.pk}"))
    assert expected in {org["id"] for org in first["organizations"]}


def test_export_maps_schedules_areas_taxonomy_and_the_organisation_address(
    source: Municipality,
) -> None:
    data = export_json(municipality=source)
    group = next(o for o in data["organizations"] if o["name"] == "上野見守り会")
    service = next(s for s in group["services"] if s["name"] == "上野お買い物便")
    schedules = service["schedules"]
    weekly = next(s for s in schedules if s.get("byday") == "WE")
    assert (weekly["freq"], weekly["opens_at"], weekly["closes_at"]) == (
        "WEEKLY",
        "10:00:00",
        "12:00:00",
    )
    monthly = next(s for s in schedules if s.get("byday") == "2FR")
    assert monthly["freq"] == "MONTHLY"
    session = next(s for s in schedules if "dtstart" in s)
    assert session["dtstart"] == session["until"] == "2025-05-14"
    assert session["notes"] == "健康相談と同時開催"
    assert {"description": "雨天時は中止"}.items() <= next(
        s for s in schedules if "freq" not in s
    ).items()
    areas = {a["name"]: a for a in service["service_areas"]}
    assert set(areas) == {"テスト町", "北部圏域", "上野地区"}
    assert json.loads(areas["北部圏域"]["extent"]) == SQUARE
    assert areas["北部圏域"]["extent_type"] == "geojson"
    assert "extent" not in areas["上野地区"]
    assert service["status"] == "active"
    assert service["alternate_name"] == "うえのおかいものびん"
    assert service["cost_options"][0] == {
        "id": service["cost_options"][0]["id"],
        "service_id": service["id"],
        "currency": "JPY",
        "amount": 100,
        "amount_description": "1回100円（燃料代）",
    }
    category = next(a for a in service["attributes"] if a["link_type"] == "category")
    term = category["taxonomy_term"]
    assert (term["code"], term["taxonomy"]) == ("shopping", "tsunagu-resource-categories")
    parent = next(t for t in data["taxonomy_terms"] if t["id"] == term["parent_id"])
    assert parent["code"] == "daily-life"
    taxonomy = next(t for t in data["taxonomies"] if t["name"] == "tsunagu-resource-categories")
    assert taxonomy["id"] == term["taxonomy_id"]
    assert taxonomy["uri"].startswith("urn:tsunagu:")
    published = {t["code"] for t in data["taxonomy_terms"] if t["taxonomy_id"] == taxonomy["id"]}
    assert published == set(Category.objects.values_list("code", flat=True))
    own = next(loc for loc in group["locations"] if loc["name"] == "上野見守り会")
    assert own["addresses"][0]["address_1"] == "福岡県テスト町大字上野1番地"
    assert own["addresses"][0]["city"] == "テスト町"
    assert own["addresses"][0]["state_province"] == "福岡県"
    assert own["latitude"] == 33.65
    paused = next(s for s in group["services"] if s["name"] == "いきいきサロン")
    assert paused["status"] == "temporarily closed"


def test_export_tabular_writes_one_csv_per_table_and_a_datapackage(
    source: Municipality, tmp_path: Path
) -> None:
    export_tabular(tmp_path / "out")
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text("utf-8"))
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        table = TABLES[resource["name"]]
        with (tmp_path / "out" / resource["path"]).open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert tuple(header) == table.field_names
        assert [f["name"] for f in resource["schema"]["fields"]] == list(table.field_names)
    with (tmp_path / "out" / "services.csv").open(encoding="utf-8", newline="") as f:
        names = {row["name"] for row in csv.DictReader(f)}
    assert "上野お買い物便" in names and "見守り対象者の名簿共有" not in names


# --- round trips -----------------------------------------------------------------------


def test_json_round_trip_into_an_empty_municipality_keeps_every_hsds_field(
    source: Municipality, target: Municipality, actor: Any
) -> None:
    data = json.loads(json.dumps(export_json(municipality=source)))

    summary = import_json(data, municipality=target, actor=actor)

    assert summary.created == {"organisation": 2, "location": 1, "resource": 2}
    _assert_same_directory(source, target)
    imported = Resource.objects.get(municipality=target, name="上野お買い物便")
    assert imported.visibility == "public"
    assert imported.history.first().history_user == actor


def test_tabular_round_trip_into_an_empty_municipality_keeps_every_hsds_field(
    source: Municipality, target: Municipality, actor: Any, tmp_path: Path
) -> None:
    export_tabular(tmp_path / "package", municipality=source)

    import_tabular(tmp_path / "package", municipality=target, actor=actor)

    _assert_same_directory(source, target)


def test_reimporting_our_own_export_changes_nothing(source: Municipality, actor: Any) -> None:
    data = export_json(municipality=source)
    before = (_counts(source), _history_count())

    summary = import_json(data, municipality=source, actor=actor)

    assert summary.created == {} and summary.updated == {}
    assert summary.unchanged == {"organisation": 2, "location": 1, "resource": 2}
    assert (_counts(source), _history_count()) == before


def test_import_export_import_is_stable(target: Municipality, actor: Any) -> None:
    import_json(
        EXAMPLE_JSON.read_text("utf-8"), municipality=target, actor=actor, source_name="x.json"
    )
    first = export_json(municipality=target)
    history = _history_count()

    summary = import_json(first, municipality=target, actor=actor)

    assert summary.created == {} and summary.updated == {}
    assert _history_count() == history
    assert export_json(municipality=target) == first


def test_importing_the_same_foreign_file_twice_creates_nothing_new(
    target: Municipality, actor: Any
) -> None:
    text = EXAMPLE_JSON.read_text("utf-8")
    import_json(text, municipality=target, actor=actor)
    counts = _counts(target)

    summary = import_json(text, municipality=target, actor=actor)

    assert summary.created == {}
    assert _counts(target) == counts


def test_records_of_another_municipality_are_never_matched_by_id(
    source: Municipality, target: Municipality, actor: Any
) -> None:
    data = export_json(municipality=source)
    source_before = {
        r.pk: _resource_fields(r) for r in Resource.objects.filter(municipality=source)
    }

    import_json(data, municipality=target, actor=actor)

    assert {
        r.pk: _resource_fields(r) for r in Resource.objects.filter(municipality=source)
    } == source_before
    assert _counts(target)[1] == 2


# --- the public Open Referral example --------------------------------------------------


def _check_example_import(target: Municipality) -> None:
    org = Organisation.objects.get(municipality=target)
    assert org.name == "Example Organization Inc."
    assert org.name_kana == "Example Org"
    assert org.email == "email@example.com"
    assert org.website == "http://example.com"
    assert org.founded_on == datetime.date(2011, 1, 1)
    assert org.org_type == "other"
    assert org.phone == "+44 1234 234567"
    assert org.visibility == "public"
    service = Resource.objects.get(municipality=target)
    assert service.name == "Community Counselling"
    assert service.provider == org
    assert service.status == "active"
    assert service.website == "http://example.com/counselling"
    assert service.last_verified_on == datetime.date(2005, 1, 1)
    assert service.contact_phone == "+44 1234 234567"
    assert service.category.code == "other"
    assert "元の分類: name" in service.description
    assert "MyCity area" in service.description  # the unmatched service area is kept
    assert service.cost_note.startswith("Non-NHS patients")
    assert service.cost_yen is None  # £35 is not a yen amount
    assert service.how_to_apply.startswith("If you are an NHS patient")
    location = service.locations.get()
    assert location.name == "MyCity Civic Center"
    assert location.address == "1-30 Main Street MyVillage MyCity MyState US"
    assert location.postal_code == "ABC 1234"
    assert location.latitude is None  # 100 is outside ±90
    assert location.organisation == org
    session = service.sessions.get()
    assert (session.date, session.opens_at, session.closes_at) == (
        datetime.date(2005, 1, 1),
        datetime.time(10, 0),
        datetime.time(18, 0),
    )
    assert "not available on public holidays" in service.schedule_note


def test_the_open_referral_example_json_imports(target: Municipality, actor: Any) -> None:
    summary = import_json(
        EXAMPLE_JSON.read_text("utf-8"),
        municipality=target,
        actor=actor,
        source_name=EXAMPLE_JSON.name,
    )

    assert summary.created == {"organisation": 1, "location": 1, "resource": 1}
    _check_example_import(target)
    assert any("cd09a387" in w and "parent_organization_id" in w for w in summary.warnings)
    assert any("latitude" in w for w in summary.warnings)


def test_the_open_referral_example_tabular_package_imports(
    target: Municipality, actor: Any
) -> None:
    summary = import_tabular(EXAMPLE_TABULAR, municipality=target, actor=actor)

    assert summary.created == {"organisation": 1, "location": 1, "resource": 1}
    _check_example_import(target)


def test_a_single_service_with_its_nested_organization_imports(
    target: Municipality, actor: Any
) -> None:
    org = json.loads(EXAMPLE_JSON.read_text("utf-8"))
    service = org.pop("services")[0]
    service["organization"] = org  # the shape of HSDS's service_full.json

    import_json({"contents": [service]}, municipality=target, actor=actor)

    _check_example_import(target)


# --- taxonomy mapping ------------------------------------------------------------------


def _foreign_service(*terms: dict[str, Any]) -> dict[str, Any]:
    return {
        "organizations": [
            {
                "id": "11111111-1111-4111-8111-111111111111",
                "name": "外部の団体",
                "description": "",
                "services": [
                    {
                        "id": f"22222222-2222-4222-8222-22222222222{i}",
                        "name": f"外部のサービス{i}",
                        "status": "active",
                        "attributes": [{"id": str(uuid.uuid4()), "taxonomy_term": term}],
                    }
                    for i, term in enumerate(terms)
                ],
            }
        ]
    }


def test_foreign_terms_map_to_categories_by_name_or_to_other(
    target: Municipality, actor: Any
) -> None:
    terms = [
        {"id": str(uuid.uuid4()), "name": "ｺﾞﾐ出し支援", "description": "", "taxonomy": "X"},
        {"id": str(uuid.uuid4()), "name": "Meal delivery", "description": ""},
        {"id": str(uuid.uuid4()), "name": "Food Pantry", "description": ""},
        {
            "id": str(uuid.uuid4()),
            "code": "shopping",
            "name": "買物のお手伝い",
            "description": "",
            "taxonomy": "tsunagu-resource-categories",
        },
    ]

    import_json(_foreign_service(*terms), municipality=target, actor=actor)

    by_name = {r.name: r for r in Resource.objects.filter(municipality=target)}
    assert by_name["外部のサービス0"].category.code == "garbage"
    assert by_name["外部のサービス1"].category.code == "meals"
    assert by_name["外部のサービス2"].category.code == "other"
    assert "元の分類: Food Pantry" in by_name["外部のサービス2"].description
    assert by_name["外部のサービス3"].category.code == "shopping"


def test_unknown_fields_and_tables_are_ignored(target: Municipality, actor: Any) -> None:
    data = _foreign_service({"id": str(uuid.uuid4()), "name": "配食", "description": ""})
    data["organizations"][0]["x_local_note"] = {"anything": [1, 2]}
    data["organizations"][0]["services"][0]["capacities"] = [{"id": "c", "available": 3}]
    data["x_extension_table"] = [{"id": "1"}]

    import_json(data, municipality=target, actor=actor)

    assert Resource.objects.get(municipality=target).category.code == "meals"


# --- broken inputs: message names file/record/field, nothing written -------------------


def _assert_rejected(call: Any, target: Municipality, *expected: str) -> TsunaguError:
    before = (_counts(target), _history_count())
    with pytest.raises(TsunaguError) as excinfo:
        call()
    for text in expected:
        assert text in excinfo.value.message, excinfo.value.message
    assert (_counts(target), _history_count()) == before
    return excinfo.value


def test_json_missing_required_field_names_path_record_and_field(
    source: Municipality, target: Municipality, actor: Any
) -> None:
    data = copy.deepcopy(export_json(municipality=source))
    org_index = next(i for i, o in enumerate(data["organizations"]) if o["name"] == "上野見守り会")
    service = data["organizations"][org_index]["services"][0]
    del service["name"]

    error = _assert_rejected(
        lambda: import_json(data, municipality=target, actor=actor, source_name="hsds.json"),
        target,
        "hsds.json",
        f"organizations[{org_index}].services[0].name",
        service["id"],
        "必須",
    )
    assert error.message.startswith("HSDS データに 1 件の誤り")


def test_json_wrong_type_names_path_record_and_field(target: Municipality, actor: Any) -> None:
    data = _foreign_service({"id": str(uuid.uuid4()), "name": "配食", "description": ""})
    data["organizations"][0]["services"][0]["minimum_age"] = "六十五"
    data["organizations"][0]["name"] = 42

    _assert_rejected(
        lambda: import_json(data, municipality=target, actor=actor),
        target,
        "organizations[0].services[0].minimum_age",
        "22222222-2222-4222-8222-222222222220",
        "数値",
        "organizations[0].name",
        "文字列",
    )


def test_json_bad_reference_names_path_record_and_field(target: Municipality, actor: Any) -> None:
    data = {
        "organizations": [{"id": "o-1", "name": "団体", "description": ""}],
        "services": [
            {"id": "s-1", "organization_id": "o-2", "name": "サービス", "status": "active"}
        ],
    }

    _assert_rejected(
        lambda: import_json(data, municipality=target, actor=actor),
        target,
        "services[0].organization_id（サービス id: s-1）",
        "組織 o-2 がデータにありません",
    )


def _edit_csv(path: Path, change: Any) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.fixture
def package(tmp_path: Path) -> Path:
    copy_ = tmp_path / "package"
    shutil.copytree(EXAMPLE_TABULAR, copy_)
    return copy_


def test_tabular_bad_reference_names_file_line_record_and_column(
    package: Path, target: Municipality, actor: Any
) -> None:
    def change(rows: list[list[str]]) -> None:
        rows[1][rows[0].index("organization_id")] = "99999999-9999-4999-8999-999999999999"

    _edit_csv(package / "services.csv", change)

    _assert_rejected(
        lambda: import_tabular(package, municipality=target, actor=actor),
        target,
        "services.csv 2行目の列「organization_id」",
        "ac148810-d857-441c-9679-408f346de14b",
        "99999999-9999-4999-8999-999999999999 がデータにありません",
    )


def test_tabular_wrong_type_names_file_line_record_and_column(
    package: Path, target: Municipality, actor: Any
) -> None:
    _edit_csv(
        package / "schedules.csv",
        lambda rows: rows[1].__setitem__(rows[0].index("opens_at"), "25時"),
    )

    _assert_rejected(
        lambda: import_tabular(package, municipality=target, actor=actor),
        target,
        "schedules.csv 2行目の列「opens_at」",
        "48102e86-bb50-41c4-8f1e-e269368c41d1",
        "時刻",
    )


def test_tabular_missing_required_value_and_column_are_named(
    package: Path, target: Municipality, actor: Any
) -> None:
    _edit_csv(
        package / "services.csv", lambda rows: rows[1].__setitem__(rows[0].index("status"), "")
    )

    _assert_rejected(
        lambda: import_tabular(package, municipality=target, actor=actor),
        target,
        "services.csv 2行目の列「status」",
        "ac148810-d857-441c-9679-408f346de14b",
        "必須",
    )

    def drop_name(rows: list[list[str]]) -> None:
        index = rows[0].index("name")
        for row in rows:
            del row[index]

    _edit_csv(package / "organizations.csv", drop_name)

    _assert_rejected(
        lambda: import_tabular(package, municipality=target, actor=actor),
        target,
        "organizations.csv: 必須の列「name」がありません",
    )


def test_a_folder_without_datapackage_is_refused(
    package: Path, target: Municipality, actor: Any
) -> None:
    (package / "datapackage.json").unlink()

    _assert_rejected(
        lambda: import_tabular(package, municipality=target, actor=actor),
        target,
        "datapackage.json が見つかりません",
    )


def test_invalid_json_text_is_refused_with_its_position(target: Municipality, actor: Any) -> None:
    _assert_rejected(
        lambda: import_json(
            '{"organizations": [', municipality=target, actor=actor, source_name="a.json"
        ),
        target,
        "a.json",
        "1行目",
    )


def test_a_user_outside_the_municipality_cannot_import(municipality: Any, user_named: Any) -> None:
    kawara = municipality("香春町")
    before = (_counts(kawara), _history_count())

    with pytest.raises(PermissionDenied, match="香春町にこのデータを取り込む権限がありません"):
        import_json(EXAMPLE_JSON.read_text("utf-8"), municipality=kawara, actor=user_named("saiki"))

    assert (_counts(kawara), _history_count()) == before


def test_a_failure_while_writing_rolls_back_everything(
    source: Municipality, target: Municipality, actor: Any, monkeypatch: Any
) -> None:
    data = export_json(municipality=source)
    real_create = services.resource_create
    calls = []

    def fail_on_second(**kwargs: Any) -> Any:
        calls.append(kwargs)
        if len(calls) == 2:
            raise ValidationError({"name": "テスト用の失敗"})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "resource_create", fail_on_second)

    _assert_rejected(
        lambda: import_json(data, municipality=target, actor=actor),
        target,
        "取り込めません（name: テスト用の失敗）",
    )
    assert len(calls) == 2  # the organisations and the first resource were rolled back


def test_foreign_weekly_and_monthly_rules_become_slots_or_notes(
    target: Municipality, actor: Any
) -> None:
    data = _foreign_service({"id": str(uuid.uuid4()), "name": "サロン", "description": ""})
    data["organizations"][0]["services"][0]["schedules"] = [
        {"id": "a", "freq": "WEEKLY", "byday": "MO,TH", "opens_at": "09:00", "closes_at": "12:00"},
        {"id": "b", "freq": "MONTHLY", "byday": "2WE", "opens_at": "13:30"},
        {"id": "c", "freq": "WEEKLY", "interval": 2, "byday": "FR", "description": "隔週金曜"},
        {"id": "d", "dtstart": "2025-06-01", "opens_at": "10:00Z"},
    ]

    summary = import_json(data, municipality=target, actor=actor)

    resource = Resource.objects.get(municipality=target)
    assert sorted(
        ((s.weekday, s.week_of_month, s.opens_at) for s in resource.weekly_slots.all()),
        key=repr,
    ) == sorted(
        [
            (0, None, datetime.time(9, 0)),
            (2, 2, datetime.time(13, 30)),
            (3, None, datetime.time(9, 0)),
        ],
        key=repr,
    )
    assert resource.schedule_note == "隔週金曜"
    assert [(s.date, s.opens_at) for s in resource.sessions.all()] == [
        (datetime.date(2025, 6, 1), datetime.time(10, 0))
    ]
    assert any("日程 id: c" in w for w in summary.warnings)


# --- command-line functions ------------------------------------------------------------


def test_cli_export_and_import_json_and_csv(
    source: Municipality, target: Municipality, tmp_path: Path
) -> None:
    cli_export("json", tmp_path / "hsds.json")
    cli_export("csv", tmp_path / "csv")
    cli_export("csv", tmp_path / "hsds.zip", municipality_code=source.code)
    exported = json.loads((tmp_path / "hsds.json").read_text("utf-8"))
    assert {o["name"] for o in exported["organizations"]} >= {"テスト町役場", "上野見守り会"}
    assert (tmp_path / "csv" / "datapackage.json").exists()
    with zipfile.ZipFile(tmp_path / "hsds.zip") as archive:
        assert "上野お買い物便" in archive.read("services.csv").decode("utf-8")
        assert "保険健康課" not in archive.read("organizations.csv").decode("utf-8")

    summary = cli_import(EXAMPLE_JSON, municipality_code=target.code)
    assert summary.total_created == 3
    assert "新規" in str(summary)
    zipped = tmp_path / "example.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        for path in EXAMPLE_TABULAR.iterdir():
            archive.write(path, f"example/{path.name}")
    again = cli_import(zipped, municipality_code=target.code)
    assert again.total_created == 0


def test_cli_rejects_unknown_format_and_municipality(tmp_path: Path, db: Any) -> None:
    with pytest.raises(TsunaguError):
        cli_export("xml", tmp_path / "x")
    with pytest.raises(TsunaguError, match="999999"):
        cli_import(EXAMPLE_JSON, municipality_code="999999")


def _rename_code(node: Any, old: str, new: str) -> int:
    """Replace taxonomy-term codes ``old`` by ``new`` everywhere in an HSDS document."""
    changed = 0
    if isinstance(node, dict):
        if node.get("code") == old:
            node["code"] = new
            changed += 1
        for value in node.values():
            changed += _rename_code(value, old, new)
    elif isinstance(node, list):
        for value in node:
            changed += _rename_code(value, old, new)
    return changed


def test_import_reads_a_sogo_type_given_by_its_2024_name_or_alias(
    source: Municipality, target: Municipality, actor: Any
) -> None:
    # given another system naming the type 「サービスB（訪問型）」 instead of our code home_b
    data = json.loads(json.dumps(export_json(municipality=source)))
    assert _rename_code(data, "home_b", "サービスB（訪問型）") > 0

    import_json(data, municipality=target, actor=actor)

    imported = Resource.objects.get(municipality=target, name="上野お買い物便")
    assert imported.sogo_service_type == "home_b"
