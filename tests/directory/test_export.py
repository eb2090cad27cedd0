"""Export to .xlsx / CSV in the importer's columns, and export → import round trips."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest

from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.directory import exporting, services
from tsunagu.directory.imports.columns import ORGANISATION_COLUMNS, RESOURCE_COLUMNS
from tsunagu.directory.imports.commit import run_import
from tsunagu.directory.imports.reading import Table, auto_mapping, read_table
from tsunagu.directory.models import (
    Category,
    Eligibility,
    Location,
    Organisation,
    Person,
    Resource,
)
from tsunagu.directory.services import (
    LocationFields,
    OrganisationFields,
    PersonFields,
    ResourceFields,
)

COUNCIL = "採銅所地域コミュニティ協議会"


def export_bytes(kind: str, user, fmt: str, municipality=None) -> bytes:
    buffer = io.BytesIO()
    exporting.write_export(buffer, kind=kind, user=user, fmt=fmt, municipality=municipality)
    return buffer.getvalue()


def read_back(data: bytes, fmt: str) -> Table:
    return read_table(data, "export.xlsx" if fmt == "xlsx" else "export.csv")


def municipality_code(five_digits: str) -> str:
    weights = (6, 5, 4, 3, 2)
    check = (11 - sum(int(d) * w for d, w in zip(five_digits, weights, strict=True)) % 11) % 10
    return f"{five_digits}{check}"


@pytest.fixture
def town(municipality):
    return municipality("香春町")


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def rich_records(kawara, town):
    """One organisation, person and resource of 香春町 with every exported field filled."""
    council = Organisation.objects.get(municipality=town, name=COUNCIL)
    district = District.objects.get(municipality=town, name="採銅所地域")
    area = DailyLifeArea.objects.create(municipality=town, name="香春圏域（テスト）")
    org = services.organisation_create(
        fields=OrganisationFields(
            name="テスト見守りの会",
            name_kana="てすとみまもりのかい",
            org_type="volunteer_group",
            parent=council,
            description="週に一度、一人暮らしの方を訪ねます。\n2行目の説明。",
            serves_whole_municipality=False,
            daily_life_areas=[area],
            districts=[district],
            postal_code="822-1406",
            address="田川郡香春町大字採銅所1-2",
            latitude=Decimal("33.684512"),
            longitude=Decimal("130.824001"),
            phone="0947-32-0000",
            email="mimamori@example.jp",
            website="https://example.jp/mimamori",
            strengths="顔の見える関係",
            strength_tags=["見守り", "訪問"],
            problems="担い手の高齢化",
            problem_tags=["担い手不足"],
            status="paused",
            founded_on=datetime.date(2019, 5, 1),
            visibility="internal",
            last_verified_on=datetime.date(2024, 10, 2),
            source="テスト用の記録",
            municipality=town,
        ),
        actor=kawara,
    )
    person = services.person_create(
        fields=PersonFields(
            name="見守 太郎",
            name_kana="みまもり たろう",
            phone="090-0000-1111",
            email="taro@example.jp",
            preferred_contact="email",
            note="平日の午前に連絡",
            last_verified_on=datetime.date(2024, 9, 1),
            municipality=town,
        ),
        organisation=org,
        title="代表",
        actor=kawara,
    )
    services.person_role_add(person=person, organisation=council, title="福祉部会長", actor=kawara)
    hall = services.location_create(
        fields=LocationFields(
            name="採銅所公民館（テスト）", municipality=town, organisation=council
        ),
        actor=kawara,
    )
    resource = services.resource_create(
        fields=ResourceFields(
            name="見守り訪問（テスト）",
            name_kana="みまもりほうもん",
            provider=org,
            category=Category.objects.get(code="watching"),
            description="訪問して安否を確認します。",
            eligibility=list(Eligibility.objects.filter(code__in=["age-65", "living-alone"])),
            eligibility_note="町内に住む方",
            cost_yen=100,
            cost_note="1回100円",
            schedule_note="毎週水曜の午前",
            weekly_slots=[
                {
                    "weekday": 2,
                    "week_of_month": None,
                    "opens_at": datetime.time(10),
                    "closes_at": datetime.time(12),
                },
                {"weekday": 4, "week_of_month": 2, "opens_at": None, "closes_at": None},
            ],
            sessions=[
                {
                    "date": datetime.date(2025, 5, 14),
                    "opens_at": datetime.time(10),
                    "closes_at": datetime.time(11, 30),
                    "note": "健康相談と同時開催",
                },
            ],
            serves_whole_municipality=False,
            daily_life_areas=[area],
            districts=[district],
            locations=[hall],
            how_to_apply="電話で申し込み",
            capacity=20,
            status="planned",
            funding_basis="sogo_jigyo",
            sogo_service_type="home_b",
            subsidy_name="支えあい活動補助金",
            visibility="partners",
            contact_phone="0947-32-0001",
            website="https://example.jp/visit",
            started_on=datetime.date(2023, 4, 1),
            last_verified_on=datetime.date(2024, 10, 2),
            source="テスト用の記録",
            municipality=town,
        ),
        actor=kawara,
    )
    return org, person, resource


@pytest.fixture
def empty_town(prefecture, town):
    """A municipality with no directory records, and the same area names as 香春町."""
    empty = Municipality.objects.create(
        prefecture=prefecture("福岡県"), code=municipality_code("40999"), name="テスト町"
    )
    District.objects.create(municipality=empty, name="採銅所地域")
    DailyLifeArea.objects.create(municipality=empty, name="香春圏域（テスト）")
    return empty


# --- formats ------------------------------------------------------------------------------


def test_xlsx_export_has_the_importers_columns(kawara, town, rich_records):
    from openpyxl import load_workbook

    data = export_bytes("resource", kawara, "xlsx", town)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["市町村"] + [c.header for c in RESOURCE_COLUMNS]
    assert auto_mapping("resource", list(rows[0])) == {
        c.key: i + 1 for i, c in enumerate(RESOURCE_COLUMNS)
    }
    row = next(r for r in rows if r[1] == "見守り訪問（テスト）")
    started = row[1 + [c.key for c in RESOURCE_COLUMNS].index("started_on")]
    assert started == datetime.datetime(2023, 4, 1)  # a real date cell, not text


def test_csv_export_is_utf8_with_bom_or_shift_jis(kawara, town, rich_records):
    utf8 = export_bytes("organisation", kawara, "csv", town)
    assert utf8.startswith(b"\xef\xbb\xbf")
    assert "テスト見守りの会" in utf8.decode("utf-8-sig")
    sjis = export_bytes("organisation", kawara, "csv-sjis", town)
    assert "テスト見守りの会" in sjis.decode("cp932")
    assert read_table(sjis, "団体.csv").encoding == "Shift_JIS（CP932）"
    assert b"\r\n" in sjis  # Excel's line ends


def test_export_is_scoped_to_what_the_user_may_see(
    kawara, town, user_named, municipality, rich_records
):
    saiki = user_named("saiki")
    provider = Organisation.objects.filter(municipality=municipality("佐伯市")).first()
    services.resource_create(
        fields=ResourceFields(
            name="佐伯市の内部資料（テスト）",
            provider=provider,
            category=Category.objects.get(code="other"),
            visibility="internal",
        ),
        actor=saiki,
    )
    names = {
        cells[1] for _, cells in read_back(export_bytes("resource", kawara, "csv"), "csv").rows
    }
    assert "見守り訪問（テスト）" in names
    assert "佐伯市の内部資料（テスト）" not in names
    names = {cells[1] for _, cells in read_back(export_bytes("resource", saiki, "csv"), "csv").rows}
    assert "佐伯市の内部資料（テスト）" in names
    assert "見守り訪問（テスト）" not in names  # 香春町's partners-only record
    saiki_people = read_back(export_bytes("person", user_named("saiki"), "csv"), "csv")
    assert all(cells[1] != "見守 太郎" for _, cells in saiki_people.rows)
    internal = read_back(export_bytes("organisation", user_named("saiki"), "csv"), "csv")
    assert all(cells[1] != "テスト見守りの会" for _, cells in internal.rows)


def test_export_page_downloads_a_file(client_as, town, rich_records):
    response = client_as("kawara").get(
        "/directory/io/export/", {"kind": "resource", "fmt": "xlsx", "municipality": town.pk}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "%E5%9C%B0%E5%9F%9F%E8%B3%87%E6%BA%90" in response["Content-Disposition"]  # 地域資源
    assert client_as("kawara").get("/directory/io/export/").status_code == 200


# --- round trips --------------------------------------------------------------------------

ORG_FIELDS = [
    c.key
    for c in ORGANISATION_COLUMNS
    if c.key not in ("parent", "daily_life_areas", "districts", "strength_tags", "problem_tags")
]
RESOURCE_FIELDS = [
    c.key for c in RESOURCE_COLUMNS if c.type not in ("ref", "refs", "slots", "sessions")
]


def org_snapshot(org: Organisation) -> dict:
    values = {key: getattr(org, key) for key in ORG_FIELDS}
    values["parent"] = org.parent.name if org.parent_id else None
    for key in ("daily_life_areas", "districts", "strength_tags", "problem_tags"):
        values[key] = sorted(x.name for x in getattr(org, key).all())
    return values


def person_snapshot(person: Person) -> dict:
    keys = ["name", "name_kana", "phone", "email", "preferred_contact", "note", "last_verified_on"]
    values = {key: getattr(person, key) for key in keys}
    values["roles"] = sorted((r.organisation.name, r.title) for r in person.roles.all())
    return values


def resource_snapshot(resource: Resource) -> dict:
    values = {key: getattr(resource, key) for key in RESOURCE_FIELDS}
    values["provider"] = resource.provider.name
    values["category"] = resource.category_id
    for key in ("eligibility", "daily_life_areas", "districts", "locations"):
        values[key] = sorted(x.name for x in getattr(resource, key).all())
    values["weekly_slots"] = sorted(
        (s.weekday, s.week_of_month or 0, str(s.opens_at), str(s.closes_at))
        for s in resource.weekly_slots.all()
    )
    values["sessions"] = sorted(
        (s.date, str(s.opens_at), str(s.closes_at), s.note) for s in resource.sessions.all()
    )
    return values


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "csv-sjis"])
def test_export_then_import_into_an_empty_municipality_gives_the_same_records(
    user_named, town, empty_town, rich_records, fmt
):
    admin = user_named("admin")
    org, person, resource = rich_records
    for kind in ("organisation", "person", "resource"):
        table = read_back(export_bytes(kind, admin, fmt, town), fmt)
        report = run_import(table, kind=kind, municipality=empty_town, actor=admin)
        assert report.ok, report.errors
        assert report.created == len(table.rows)

    copy = Organisation.objects.get(municipality=empty_town, name=org.name)
    original, imported = org_snapshot(org), org_snapshot(copy)
    assert imported == original
    assert copy.parent.municipality == empty_town  # the parent came along in the same file
    assert set(
        Organisation.objects.filter(municipality=empty_town).values_list("name", flat=True)
    ) == set(Organisation.objects.filter(municipality=town).values_list("name", flat=True))

    person_copy = Person.objects.get(municipality=empty_town, name=person.name)
    assert person_snapshot(person_copy) == person_snapshot(person)

    resource_copy = Resource.objects.get(municipality=empty_town, name=resource.name)
    assert resource_snapshot(resource_copy) == resource_snapshot(resource)
    assert resource_copy.provider.municipality == empty_town
    assert Location.objects.get(municipality=empty_town, name="採銅所公民館（テスト）")
    assert (
        Resource.objects.filter(municipality=empty_town).count()
        == Resource.objects.filter(municipality=town).count()
    )


def test_export_then_import_with_update_changes_nothing(kawara, town, rich_records):
    org, person, resource = rich_records
    before = {
        "org": org_snapshot(org),
        "person": person_snapshot(person),
        "resource": resource_snapshot(resource),
        "history": (
            Organisation.history.count(),
            Person.history.count(),
            Resource.history.count(),
        ),
        "counts": (Organisation.objects.count(), Person.objects.count(), Resource.objects.count()),
    }
    for kind in ("organisation", "person", "resource"):
        table = read_back(export_bytes(kind, kawara, "xlsx", town), "xlsx")
        report = run_import(
            table, kind=kind, municipality=town, actor=kawara, on_duplicate="update"
        )
        assert report.ok, report.errors
        assert report.created == 0
        assert report.updated == len(table.rows)
    org.refresh_from_db()
    person.refresh_from_db()
    resource.refresh_from_db()
    assert org_snapshot(org) == before["org"]
    assert person_snapshot(person) == before["person"]
    assert resource_snapshot(resource) == before["resource"]
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Resource.objects.count(),
    ) == before["counts"]
    # Nothing changed, so no history row was written either.
    assert (
        Organisation.history.count(),
        Person.history.count(),
        Resource.history.count(),
    ) == before["history"]


def test_changed_cell_in_an_exported_file_updates_only_that_field(kawara, town, rich_records):
    _, _, resource = rich_records
    table = read_back(export_bytes("resource", kawara, "csv", town), "csv")
    capacity = 1 + [c.key for c in RESOURCE_COLUMNS].index("capacity")
    table.rows = [
        (
            number,
            tuple(
                "25" if i == capacity and cells[1] == resource.name else v
                for i, v in enumerate(cells)
            ),
        )
        for number, cells in table.rows
    ]
    before = resource_snapshot(resource)
    report = run_import(
        table, kind="resource", municipality=town, actor=kawara, on_duplicate="update"
    )
    assert report.ok, report.errors
    resource.refresh_from_db()
    assert resource_snapshot(resource) == before | {"capacity": 25}
    latest = resource.history.order_by("-history_date", "-history_id").first()
    assert (latest.history_type, latest.history_user, latest.capacity) == ("~", kawara, 25)


def test_people_contact_details_are_exported_only_with_a_scope_over_them(
    user_named, town, rich_records
):
    _, person, _ = rich_records
    kawara_rows = read_back(export_bytes("person", user_named("kawara"), "csv", town), "csv")
    row = next(cells for _, cells in kawara_rows.rows if cells[1] == person.name)
    assert "090-0000-1111" in row and "taro@example.jp" in row


def test_cli_hook_exports_a_file(tmp_path, kawara, town, rich_records):
    path = tmp_path / "資源.csv"
    count = exporting.export_file(path, kind="resource", user=kawara, municipality_code=town.code)
    assert count == Resource.objects.filter(municipality=town).count()
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    xlsx = tmp_path / "団体.xlsx"
    exporting.export_file(xlsx, kind="organisation", user=kawara)
    assert read_table(xlsx).headers[1] == "名称"
