"""Import of organisations, people and resources from .xlsx and CSV (issue 3, point 8).

Files are generated in the tests (csv / openpyxl); nothing binary is committed.
"""

from __future__ import annotations

import csv
import datetime
import io
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied
from tsunagu.core.jobs.models import Job, JobStatus
from tsunagu.core.jobs.services import job_recover_stale
from tsunagu.directory import services
from tsunagu.directory.imports import reading
from tsunagu.directory.imports.columns import ImportFileError
from tsunagu.directory.imports.commit import import_file, run_import
from tsunagu.directory.imports.jobs import import_job_start
from tsunagu.directory.imports.reading import auto_mapping, mapping_get, mapping_save, read_table
from tsunagu.directory.imports.validation import importable_municipalities
from tsunagu.directory.models import (
    Category,
    ImportMapping,
    Location,
    Organisation,
    Person,
    Resource,
)
from tsunagu.directory.services import OrganisationFields, ResourceFields

DUMMY_QUEUE = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

COUNCIL = "採銅所地域コミュニティ協議会"
HEADER = [
    "名称",
    "提供する団体",
    "分類",
    "利用できる人",
    "対象の地区",
    "問い合わせ電話番号",
    "開始日",
]


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def resource_row(name: str, **overrides: object) -> list[object]:
    values = {
        "名称": name,
        "提供する団体": COUNCIL,
        "分類": "買い物支援",
        "利用できる人": "65歳以上、一人暮らしの方",
        "対象の地区": "採銅所地域",
        "問い合わせ電話番号": "0947-32-2511",
        "開始日": "令和6年4月1日",
        **overrides,
    }
    return [values[h] for h in HEADER]


def run(rows, *, user, municipality, file_name="資源.csv", encoding="utf-8-sig", **kwargs):
    data = xlsx_bytes(rows) if file_name.endswith(".xlsx") else csv_bytes(rows, encoding)
    table = read_table(data, file_name)
    return run_import(
        table, kind=kwargs.pop("kind", "resource"), municipality=municipality, actor=user, **kwargs
    )


def counts() -> tuple[int, ...]:
    return (
        Resource.objects.count(),
        Resource.history.count(),
        Organisation.objects.count(),
        Person.objects.count(),
        Location.objects.count(),
    )


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def town(municipality):
    return municipality("香春町")


# --- encodings ----------------------------------------------------------------------------


def test_shift_jis_csv_as_excel_writes_it_is_imported(kawara, town):
    rows = [
        HEADER,
        resource_row("買い物送迎（テスト）"),
        resource_row("ゴミ出しの手伝い（テスト）"),
    ]
    report = run(rows, user=kawara, municipality=town, encoding="cp932")
    assert report.ok, report.errors
    assert report.encoding == "Shift_JIS（CP932）"
    assert report.created == 2
    resource = Resource.objects.get(name="買い物送迎（テスト）")
    assert resource.municipality == town
    assert resource.provider.name == COUNCIL
    assert resource.started_on == datetime.date(2024, 4, 1)
    assert sorted(e.name for e in resource.eligibility.all()) == ["65歳以上", "一人暮らしの方"]
    assert [d.name for d in resource.districts.all()] == ["採銅所地域"]
    history = resource.history.get()
    assert (
        history.history_type,
        history.history_user,
        display_reason(history.history_change_reason),
    ) == (
        "+",
        kawara,
        "地域資源を登録",
    )
    assert sorted(h.eligibility.name for h in history.eligibility.all()) == [
        "65歳以上",
        "一人暮らしの方",
    ]


@pytest.mark.parametrize(
    ("encoding", "label"), [("utf-8-sig", "UTF-8（BOM付き）"), ("utf-8", "UTF-8")]
)
def test_utf8_csv_with_or_without_bom_is_imported(kawara, town, encoding, label):
    data = csv_bytes([HEADER, resource_row("見守り電話（テスト）")], encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    table = read_table(data, "資源.csv")
    assert table.headers[0] == "名称"  # the BOM is not part of the first header
    report = run_import(table, kind="resource", municipality=town, actor=kawara)
    assert report.ok, report.errors
    assert report.encoding == label
    assert Resource.objects.filter(name="見守り電話（テスト）").exists()


def test_undecodable_csv_is_refused_with_a_japanese_message():
    with pytest.raises(ImportFileError, match="文字コードを判別できません"):
        read_table(b"\x81\x00\xff\xfe\x80", "bad.csv")


def test_xls_97_2003_file_is_refused_with_advice():
    with pytest.raises(ImportFileError, match=r"\.xlsx"):
        read_table(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls")


def test_xlsx_with_date_cells_and_wareki_text_is_imported(kawara, town):
    rows = [
        HEADER,
        resource_row("配食（テスト）", 開始日=datetime.datetime(2023, 10, 2)),
        resource_row("サロン（テスト）", 分類="通いの場・サロン", 開始日="R5.4.1"),
    ]
    report = run(rows, user=kawara, municipality=town, file_name="資源.xlsx")
    assert report.ok, report.errors
    assert report.encoding == ""
    assert Resource.objects.get(name="配食（テスト）").started_on == datetime.date(2023, 10, 2)
    assert Resource.objects.get(name="サロン（テスト）").started_on == datetime.date(2023, 4, 1)


def test_phone_stored_as_a_number_in_excel_is_reported(kawara, town):
    rows = [HEADER, resource_row("配食（テスト）", 問い合わせ電話番号=947322511)]
    report = run(rows, user=kawara, municipality=town, file_name="資源.xlsx")
    assert report.errors == [
        "資源.xlsx 2行目 F列（問い合わせ電話番号）: 電話番号「947322511」が数値として保存されているため、"
        "先頭の0が失われています。セルの書式を文字列にして入力し直してください。"
    ]


# --- errors -------------------------------------------------------------------------------


def test_missing_required_column_is_reported_and_nothing_written(kawara, town):
    before = counts()
    header = [h for h in HEADER if h != "分類"]
    rows = [
        header,
        [v for h, v in zip(HEADER, resource_row("送迎（テスト）"), strict=True) if h != "分類"],
    ]
    report = run(rows, user=kawara, municipality=town)
    assert not report.committed
    assert report.errors == [
        "資源.csv 1行目: 必須の列「分類」がありません。見出しを「分類」にするか、列の対応付けで選んでください。"
    ]
    assert counts() == before


def test_bad_date_is_reported_by_file_row_column_and_header(kawara, town):
    before = counts()
    rows = [
        HEADER,
        resource_row("送迎（テスト）"),
        resource_row("付き添い（テスト）", 開始日="平成32年1月1日"),
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.errors == [
        "資源.csv 3行目 G列（開始日）: 日付「平成32年1月1日」が正しくありません"
        "（平成32年は平成の範囲外です（平成は31年まで）。令和2年1月1日と書いてください）。"
    ]
    assert counts() == before


def test_unknown_category_is_reported_with_a_suggestion(kawara, town):
    before = counts()
    report = run(
        [HEADER, resource_row("送迎（テスト）", 分類="買物支援")], user=kawara, municipality=town
    )
    assert len(report.errors) == 1
    assert report.errors[0].startswith(
        "資源.csv 2行目 C列（分類）: 分類「買物支援」が見つかりません。"
    )
    assert "もしかして「買い物支援」ですか？" in report.errors[0]
    assert counts() == before


def test_category_matches_code_and_nfkc_normalised_name(kawara, town):
    rows = [
        HEADER,
        resource_row("A（テスト）", 分類="shopping"),
        resource_row("B（テスト）", 分類="ｺﾞﾐ出し支援"),  # half-width katakana
        resource_row("C（テスト）", 分類=" 見守り・安否確認 "),
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.ok, report.errors
    assert Resource.objects.get(name="A（テスト）").category.code == "shopping"
    assert Resource.objects.get(name="B（テスト）").category.code == "garbage"
    assert Resource.objects.get(name="C（テスト）").category.code == "watching"


def test_each_kind_of_cell_error_is_listed_in_japanese(kawara, town):
    header = [*HEADER, "公開範囲", "状態", "定員"]
    rows = [
        header,
        [*resource_row("送迎（テスト）", 問い合わせ電話番号="0947-32"), "公開", "実施中", "10"],
        [*resource_row("", 提供する団体="架空の会"), "秘密", "実施中", "十人"],
        [*resource_row("配食（テスト）", 対象の地区="直川地域"), "関係者", "やめた", "5"],
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.errors[0] == (
        "資源.csv 2行目 F列（問い合わせ電話番号）: 電話番号「0947-32」の桁数が正しくありません"
        "（市外局番から10桁または11桁です）。"
    )
    assert report.errors[1] == "資源.csv 3行目 A列（名称）: 「名称」が空欄です（必須の項目です）。"
    assert (
        "資源.csv 3行目 H列（公開範囲）: 「秘密」は公開範囲として使えません（使えるもの: 公開、関係者、内部）。"
        in report.errors
    )
    assert (
        "資源.csv 3行目 J列（定員）: 「十人」は数値として読み取れません（0以上の整数で入力してください）。"
        in report.errors
    )
    assert any(
        e.startswith(
            "資源.csv 4行目 E列（対象の地区）: 地区・日常生活圏域「直川地域」は香春町にありません"
        )
        for e in report.errors
    )
    assert any(
        e.startswith("資源.csv 4行目 I列（状態）: 「やめた」は状態として使えません")
        for e in report.errors
    )
    assert not report.committed


def test_unknown_provider_is_reported(kawara, town):
    report = run(
        [HEADER, resource_row("送迎（テスト）", 提供する団体="架空の会")],
        user=kawara,
        municipality=town,
    )
    assert report.errors[0].startswith(
        "資源.csv 2行目 B列（提供する団体）: 団体「架空の会」が見つかりません。"
    )


def test_japanese_labels_and_codes_of_choices_are_accepted(kawara, town):
    header = [*HEADER, "公開範囲", "状態", "総合事業の類型", "財源・根拠"]
    rows = [
        header,
        [
            *resource_row("A（テスト）"),
            "公開（誰でも閲覧可）",
            "休止",
            "訪問型サービス・活動B",
            "互助",
        ],
        [*resource_row("B（テスト）"), "internal", "planned", "home_d", "subsidy"],
        [*resource_row("C（テスト）"), "", "", "", ""],  # empty: the defaults
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.ok, report.errors
    a, b = Resource.objects.get(name="A（テスト）"), Resource.objects.get(name="B（テスト）")
    assert (a.visibility, a.status, a.sogo_service_type, a.funding_basis) == (
        "public",
        "paused",
        "home_b",
        "mutual_aid",
    )
    assert (b.visibility, b.status, b.sogo_service_type, b.funding_basis) == (
        "internal",
        "planned",
        "home_d",
        "subsidy",
    )
    c = Resource.objects.get(name="C（テスト）")
    assert (c.visibility, c.status, c.sogo_service_type, c.funding_basis) == (
        "partners",
        "active",
        "",
        "",
    )


def test_error_in_the_last_of_100_rows_writes_nothing(kawara, town):
    before = counts()
    rows = [HEADER] + [resource_row(f"送迎 第{i}便（テスト）") for i in range(99)]
    rows.append(resource_row("最後の行（テスト）", 分類="存在しない分類"))
    report = run(rows, user=kawara, municipality=town)
    assert not report.committed
    assert [e.split(":")[0] for e in report.errors] == ["資源.csv 101行目 C列（分類）"]
    assert counts() == before


def test_failure_while_writing_rolls_back_every_row(kawara, town, monkeypatch):
    existing = services.resource_create(
        fields=ResourceFields(
            name="既存の送迎（テスト）",
            provider=Organisation.objects.get(municipality=town, name=COUNCIL),
            category=Category.objects.get(code="shopping"),
            municipality=town,
        ),
        actor=kawara,
    )
    before = counts()

    def broken(**kwargs):
        raise PermissionDenied("書き込み中の失敗（テスト）")

    monkeypatch.setattr(services, "resource_update", broken)
    rows = [HEADER] + [resource_row(f"送迎 第{i}便（テスト）") for i in range(50)]
    rows.append(resource_row(existing.name))
    report = run(rows, user=kawara, municipality=town, on_duplicate="update")
    assert not report.committed
    assert report.created == 0
    assert report.errors == ["資源.csv 52行目: 書き込み中の失敗（テスト）"]
    assert counts() == before


# --- duplicates ---------------------------------------------------------------------------


@pytest.fixture
def existing_resource(kawara, town):
    return services.resource_create(
        fields=ResourceFields(
            name="買い物送迎",
            provider=Organisation.objects.get(municipality=town, name=COUNCIL),
            category=Category.objects.get(code="shopping"),
            municipality=town,
            description="もとの説明",
        ),
        actor=kawara,
    )


def duplicate_rows():
    # Same name after NFKC and removing spaces (full-width space), same provider.
    return [[*HEADER, "内容"], [*resource_row("買い物　送迎"), "新しい説明"]]


def test_duplicate_is_skipped(kawara, town, existing_resource):
    before = counts()
    report = run(duplicate_rows(), user=kawara, municipality=town, on_duplicate="skip")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.skipped) == (0, 0, 1)
    existing_resource.refresh_from_db()
    assert existing_resource.description == "もとの説明"
    assert counts() == before


def test_duplicate_is_updated_with_history(kawara, town, existing_resource):
    report = run(duplicate_rows(), user=kawara, municipality=town, on_duplicate="update")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.skipped) == (0, 1, 0)
    existing_resource.refresh_from_db()
    assert existing_resource.description == "新しい説明"
    assert existing_resource.name == "買い物　送迎"  # the file's spelling is written as given
    latest = existing_resource.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == kawara
    assert display_reason(latest.history_change_reason) == "地域資源を変更"


def test_duplicate_kept_as_a_second_record(kawara, town, existing_resource):
    report = run(duplicate_rows(), user=kawara, municipality=town, on_duplicate="keep_both")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.skipped) == (1, 0, 0)
    assert Resource.objects.filter(municipality=town, name__startswith="買い物").count() == 2


def test_same_name_from_another_provider_is_not_a_duplicate(kawara, town, existing_resource):
    rows = [
        HEADER,
        resource_row("買い物送迎", 提供する団体="香春町", 問い合わせ電話番号="0947-00-0000"),
    ]
    report = run(rows, user=kawara, municipality=town, on_duplicate="skip")
    assert report.ok, report.errors
    assert report.created == 1


def test_the_same_record_twice_in_one_file_is_an_error(kawara, town):
    rows = [HEADER, resource_row("送迎（テスト）"), resource_row("送迎 （テスト）")]
    report = run(rows, user=kawara, municipality=town)
    assert report.errors == [
        "資源.csv 3行目 A列（名称）: 2行目と同じ地域資源です（名称と、提供する団体または電話番号が同じ）。"
    ]


def test_organisation_duplicate_needs_same_address_or_phone(kawara, town):
    services.organisation_create(
        fields=OrganisationFields(
            name="テスト老人クラブ",
            org_type="senior_club",
            municipality=town,
            address="香春町大字高野1-1",
            phone="0947-11-1111",
        ),
        actor=kawara,
    )
    rows = [
        ["名称", "種別", "住所", "電話番号"],
        [
            "テスト老人クラブ",
            "老人クラブ",
            "香春町大字高野１－１",
            "",
        ],  # same address (width, dash)
        [
            "テスト 老人クラブ",
            "老人クラブ",
            "香春町大字中津原9",
            "0947-99-9999",
        ],  # a different club
    ]
    report = run(rows, user=kawara, municipality=town, kind="organisation", file_name="団体.csv")
    assert report.ok, report.errors
    assert (report.created, report.skipped) == (1, 1)


# --- scope --------------------------------------------------------------------------------


def test_kawara_user_cannot_import_into_saiki(kawara, municipality):
    saiki = municipality("佐伯市")
    before = counts()
    table = read_table(csv_bytes([HEADER, resource_row("送迎（テスト）")]), "資源.csv")
    with pytest.raises(PermissionDenied, match="佐伯市に地域資源を取り込む権限がありません"):
        run_import(table, kind="resource", municipality=saiki, actor=kawara)
    assert counts() == before
    assert saiki not in importable_municipalities(kawara)


def test_kawara_user_cannot_choose_saiki_in_the_upload_form(
    client_as, municipality, settings, tmp_path
):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    before = counts()
    response = client_as("kawara").post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": municipality("佐伯市").pk,
            "file": SimpleUploadedFile(
                "資源.csv", csv_bytes([HEADER, resource_row("送迎（テスト）")])
            ),
        },
    )
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert counts() == before
    assert list(tmp_path.iterdir()) == []


def test_organisation_member_imports_only_their_own_resources(user_named, town):
    member = user_named("kawara-council")
    before = counts()
    rows = [
        HEADER,
        resource_row("協議会の見守り（テスト）"),
        resource_row("町の送迎（テスト）", 提供する団体="香春町"),
    ]
    report = run(rows, user=member, municipality=town)
    assert report.errors == [
        "資源.csv 3行目 B列（提供する団体）: 「香春町」の地域資源を取り込む権限がありません（所属する団体の地域資源だけを取り込めます）。"
    ]
    assert counts() == before
    report = run(rows[:2], user=member, municipality=town)
    assert report.ok, report.errors
    assert (
        Resource.objects.get(name="協議会の見守り（テスト）").history.get().history_user == member
    )


def test_organisation_member_cannot_import_organisations(user_named, town):
    table = read_table(csv_bytes([["名称", "種別"], ["新しい会", "その他"]]), "団体.csv")
    with pytest.raises(PermissionDenied):
        run_import(
            table, kind="organisation", municipality=town, actor=user_named("kawara-council")
        )


# --- organisations and people -------------------------------------------------------------


def test_organisations_with_a_parent_later_in_the_file_are_imported(kawara, town):
    rows = [
        [
            "名称",
            "よみがな",
            "種別",
            "上位の組織",
            "活動する地区",
            "電話番号",
            "設立日",
            "強みのタグ",
        ],
        ["テスト協議会 福祉部会", "", "地域運営組織", "テスト協議会", "", "", "", "見守り"],
        [
            "テスト協議会",
            "てすときょうぎかい",
            "地域コミュニティ協議会",
            "",
            "採銅所地域",
            "0947-22-3333",
            "令和2年4月1日",
            "送迎、見守り",
        ],
    ]
    report = run(rows, user=kawara, municipality=town, kind="organisation", file_name="団体.csv")
    assert report.ok, report.errors
    parent = Organisation.objects.get(municipality=town, name="テスト協議会")
    child = Organisation.objects.get(municipality=town, name="テスト協議会 福祉部会")
    assert child.parent == parent
    assert parent.org_type == "community_council"
    assert parent.founded_on == datetime.date(2020, 4, 1)
    assert sorted(t.name for t in parent.strength_tags.all()) == ["見守り", "送迎"]
    assert [d.name for d in parent.districts.all()] == ["採銅所地域"]
    assert parent.history.first().history_user == kawara


def test_people_are_imported_with_their_roles(kawara, town):
    rows = [
        ["氏名", "よみがな", "所属団体", "役割・役職", "電話番号", "希望する連絡方法"],
        [
            "香春 花子",
            "かわら はなこ",
            f"{COUNCIL}\n香春町",
            "会長\n見守り協力員",
            "090-1234-5678",
            "電話",
        ],
    ]
    report = run(rows, user=kawara, municipality=town, kind="person", file_name="連絡先.csv")
    assert report.ok, report.errors
    person = Person.objects.get(name="香春 花子")
    assert person.municipality == town
    assert person.preferred_contact == "phone"
    assert sorted((r.organisation.name, r.title) for r in person.roles.all()) == [
        (COUNCIL, "会長"),
        ("香春町", "見守り協力員"),
    ]
    assert person.history.get().history_user == kawara


def test_reimporting_a_person_with_update_adds_only_the_new_role(kawara, town):
    header = ["氏名", "よみがな", "所属団体", "役割・役職", "電話番号", "希望する連絡方法"]
    first = [header, ["香春 次郎", "かわら じろう", COUNCIL, "会長", "090-1234-0000", "電話"]]
    assert run(first, user=kawara, municipality=town, kind="person", file_name="a.csv").ok
    again = [
        header,
        ["香春 次郎", "かわら じろう", f"{COUNCIL}\n香春町", "会長\n見守り協力員", "", "電話"],
    ]
    report = run(
        again,
        user=kawara,
        municipality=town,
        kind="person",
        file_name="b.csv",
        on_duplicate="update",
    )
    assert report.ok, report.errors
    assert report.updated == 1
    person = Person.objects.get(name="香春 次郎")
    assert sorted((r.organisation.name, r.title) for r in person.roles.all()) == [
        (COUNCIL, "会長"),
        ("香春町", "見守り協力員"),
    ]


# --- column mapping -----------------------------------------------------------------------


def test_headers_are_matched_by_japanese_and_english_names():
    headers = ["サービス名", "Provider", "カテゴリー", "TEL", "対象者", "謎の列"]
    mapping = auto_mapping("resource", headers)
    assert mapping == {
        "name": 0,
        "provider": 1,
        "category": 2,
        "contact_phone": 3,
        "eligibility": 4,
    }


def test_mapping_is_remembered_per_user(user_named):
    kawara, saiki = user_named("kawara"), user_named("saiki")
    headers = ["事業のなまえ", "やっているところ", "種類の名前"]
    mapping = {"name": "事業のなまえ", "provider": "やっているところ", "category": "種類の名前"}
    mapping_save(user=kawara, kind="resource", mapping=mapping)
    saved = mapping_get(user=kawara, kind="resource")
    assert auto_mapping("resource", headers, saved) == {
        "name": 0,
        "provider": 1,
        "category": 2,
    }
    assert mapping_get(user=saiki, kind="resource") == {}
    assert mapping_get(user=kawara, kind="organisation") == {}
    assert auto_mapping("resource", headers, {}) == {}
    mapping_save(user=kawara, kind="resource", mapping={"name": "名前"})
    assert ImportMapping.objects.filter(user=kawara, kind="resource").count() == 1


# --- the pages ----------------------------------------------------------------------------


def test_ui_flow_upload_mapping_preview_commit(client_as, kawara, town, settings, tmp_path):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    client = client_as("kawara")
    assert client.get("/directory/io/import/").status_code == 200
    rows = [
        ["サービス名", "実施主体", "カテゴリ", "開始年月日"],
        ["移動販売の案内（テスト）", COUNCIL, "買い物支援", "令和6年5月1日"],
    ]
    response = client.post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": town.pk,
            "file": SimpleUploadedFile("資源.xlsx", xlsx_bytes(rows)),
        },
    )
    assert response.status_code == 302
    mapping_url = response["Location"]

    page = client.get(mapping_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "移動販売の案内（テスト）" in body  # the file's first rows are shown
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    assert (
        data["col_name"],
        data["col_provider"],
        data["col_category"],
        data["col_started_on"],
    ) == ("0", "1", "2", "3")
    data["on_duplicate"] = "skip"

    response = client.post(mapping_url, data)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    summary = preview.context["summary"]
    assert (summary["total_rows"], summary["create"], summary["error_count"]) == (1, 1, 0)
    assert Resource.objects.filter(name="移動販売の案内（テスト）").count() == 0  # not yet

    token = mapping_url.split("/")[-3]
    response = client.post(f"/directory/io/import/{token}/commit/")
    assert response.status_code == 302
    report = client.get(response["Location"])
    assert report.status_code == 200
    assert "取り込みました" in report.content.decode()
    resource = Resource.objects.get(name="移動販売の案内（テスト）")
    assert resource.started_on == datetime.date(2024, 5, 1)
    assert resource.history.get().history_user == kawara
    assert ImportMapping.objects.get(user=kawara, kind="resource").mapping["name"] == "サービス名"
    # A second click on the commit button does not import twice.
    client.post(f"/directory/io/import/{token}/commit/")
    assert Resource.objects.filter(name="移動販売の案内（テスト）").count() == 1


def test_ui_preview_lists_errors_and_offers_no_commit(client_as, town, settings, tmp_path):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    client = client_as("kawara")
    rows = [HEADER, resource_row("送迎（テスト）", 開始日="2024年13月1日")]
    response = client.post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": town.pk,
            "file": SimpleUploadedFile("資源.csv", csv_bytes(rows, "cp932")),
        },
    )
    mapping_url = response["Location"]
    form = client.get(mapping_url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()} | {"on_duplicate": "skip"}
    preview = client.get(client.post(mapping_url, data)["Location"])
    body = preview.content.decode()
    assert (
        "資源.csv 2行目 G列（開始日）: 日付「2024年13月1日」が正しくありません（13月という月はありません）。"
        in body
    )
    assert "Shift_JIS（CP932）" in body
    assert "import_commit" not in body and "/commit/" not in body
    token = mapping_url.split("/")[-3]
    errors = client.get(f"/directory/io/import/{token}/errors.csv")
    assert errors.content.decode("utf-8-sig").splitlines()[1].startswith("資源.csv 2行目 G列")
    before = counts()
    client.post(f"/directory/io/import/{token}/commit/")
    assert counts() == before


def test_ui_mapping_requires_the_required_columns(client_as, town, settings, tmp_path):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    client = client_as("kawara")
    response = client.post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": town.pk,
            "file": SimpleUploadedFile("x.csv", csv_bytes([["あ", "い"], ["1", "2"]])),
        },
    )
    page = client.post(response["Location"], {"on_duplicate": "skip"})
    assert page.status_code == 200
    assert page.context["form"].errors["col_name"] == [
        "必須の項目です。ファイルのどの列か選んでください。"
    ]


def test_progress_page_polls_and_moves_on_when_the_job_ends(client_as, town, settings, tmp_path):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    client = client_as("kawara")
    response = client.post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": town.pk,
            "file": SimpleUploadedFile(
                "資源.csv", csv_bytes([HEADER, resource_row("送迎（テスト）")])
            ),
        },
    )
    mapping_url = response["Location"]
    token = mapping_url.split("/")[-3]
    form = client.get(mapping_url).context["form"]
    client.post(
        mapping_url,
        {name: field.initial for name, field in form.fields.items()} | {"on_duplicate": "skip"},
    )
    job_id = client.session["directory_imports"][token]["validate_job"]
    # as the worker shows it mid-run
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, done=20000, total=50000, message="各行を確認しています"
    )

    page = client.get(f"/directory/io/import/{token}/validate/progress/")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'aria-live="polite"' in body
    assert 'hx-trigger="every 1s"' in body
    assert "20000 / 50000" in body and 'value="20000"' in body
    assert "htmx" in body  # the script is served with the page
    assert f'href="/jobs/{job_id}/"' in body

    fragment = client.get(f"/directory/io/import/{token}/validate/status/", HTTP_HX_REQUEST="true")
    assert "40%" in fragment.content.decode()
    Job.objects.filter(pk=job_id).update(status=JobStatus.DONE)
    finished = client.get(f"/directory/io/import/{token}/validate/status/", HTTP_HX_REQUEST="true")
    assert finished["HX-Redirect"] == f"/directory/io/import/{token}/preview/"


def _upload_large(client, town, rows):
    """Upload a file the pages hand to the worker (the size limit lowered to 0)."""
    response = client.post(
        "/directory/io/import/",
        {
            "kind": "resource",
            "municipality": town.pk,
            "file": SimpleUploadedFile("資源.csv", csv_bytes([HEADER, *rows])),
        },
    )
    mapping_url = response["Location"]
    form = client.get(mapping_url).context["form"]
    client.post(
        mapping_url,
        {name: field.initial for name, field in form.fields.items()} | {"on_duplicate": "skip"},
    )
    return mapping_url.split("/")[-3]


def test_large_import_is_committed_by_a_job_that_links_its_report(
    client_as, kawara, town, settings, tmp_path
):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    settings.TSUNAGU_IMPORT_SYNC_MAX_BYTES = 0
    client = client_as("kawara")
    token = _upload_large(client, town, [resource_row("ジョブの送迎（テスト）")])
    client.post(f"/directory/io/import/{token}/commit/")
    job = Job.objects.get(pk=client.session["directory_imports"][token]["commit_job"])
    assert (job.kind, job.status, job.owner, job.municipality) == (
        "directory.import",
        JobStatus.DONE,
        kawara,
        town,
    )
    assert job.result_url == f"/directory/io/import/{token}/report/"
    assert job.result["created"] == 1
    assert Resource.objects.filter(name="ジョブの送迎（テスト）", municipality=town).exists()


def test_import_job_killed_mid_commit_is_run_again_and_imports_once(
    client_as, kawara, town, settings, tmp_path
):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    settings.TSUNAGU_IMPORT_SYNC_MAX_BYTES = 0
    client = client_as("kawara")
    token = _upload_large(client, town, [resource_row("再開の送迎（テスト）")])
    state = client.session["directory_imports"][token]
    with override_settings(TASKS=DUMMY_QUEUE):  # the worker takes it, then is killed
        job = import_job_start(state=state, step="commit", token=token, actor=kawara, inline=False)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, worker_id="killed-worker", attempts=1
    )
    job_recover_stale()  # what a worker does when it starts
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert Resource.objects.filter(name="再開の送迎（テスト）").count() == 1


def test_failed_import_job_keeps_a_japanese_message(client_as, town, settings, tmp_path):
    settings.TSUNAGU_IMPORT_DIR = tmp_path
    settings.TSUNAGU_IMPORT_SYNC_MAX_BYTES = 0
    client = client_as("kawara")
    token = _upload_large(client, town, [resource_row("消えたファイル（テスト）")])
    for folder in tmp_path.iterdir():  # the upload is gone before the commit runs
        shutil.rmtree(folder)
    client.post(f"/directory/io/import/{token}/commit/")
    job = Job.objects.get(pk=client.session["directory_imports"][token]["commit_job"])
    assert job.status == JobStatus.FAILED
    assert (
        job.error == "アップロードしたファイルが見つかりません。もう一度アップロードしてください。"
    )
    assert job.input["token"] == token
    report = client.get(f"/directory/io/import/{token}/report/").content.decode()
    assert "ファイルが見つかりません" in report and f'href="/jobs/{job.pk}/"' in report


# --- batched writes -----------------------------------------------------------------------


def test_batched_creation_checks_permission(user_named, town):
    provider = Organisation.objects.get(municipality=town, name="香春町")
    before = counts()
    with pytest.raises(PermissionDenied):
        services.resource_create_many(
            items=[
                ResourceFields(
                    name="x",
                    provider=provider,
                    category=Category.objects.first(),
                    municipality=town,
                )
            ],
            actor=user_named("saiki"),
        )
    assert counts() == before


def test_weekly_slots_and_sessions_are_read(kawara, town):
    header = [*HEADER, "曜日ごとの日程", "開催日", "実施場所"]
    rows = [
        header,
        [
            *resource_row("サロン（テスト）"),
            "毎週水曜 10:00〜12:00\n第2金曜 13時〜15時",
            "令和7年5月14日 10:00〜11:30 健康相談",
            "テスト集会所",
        ],
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.ok, report.errors
    assert report.locations_created == 1
    resource = Resource.objects.get(name="サロン（テスト）")
    slots = sorted(
        (s.weekday, s.week_of_month, s.opens_at, s.closes_at) for s in resource.weekly_slots.all()
    )
    assert slots == [
        (2, None, datetime.time(10), datetime.time(12)),
        (4, 2, datetime.time(13), datetime.time(15)),
    ]
    session = resource.sessions.get()
    assert (session.date, session.opens_at, session.closes_at, session.note) == (
        datetime.date(2025, 5, 14),
        datetime.time(10),
        datetime.time(11, 30),
        "健康相談",
    )
    assert [loc.name for loc in resource.locations.all()] == ["テスト集会所"]
    assert Location.objects.get(name="テスト集会所").history.get().history_user == kawara


def test_cli_hook_imports_a_file(tmp_path, kawara, town):
    file = tmp_path / "資源.xlsx"
    file.write_bytes(xlsx_bytes([HEADER, resource_row("CLIの送迎（テスト）")]))
    report = import_file(file, kind="resource", municipality_code=town.code, actor=kawara)
    assert report.ok, report.errors
    assert report.created == 1
    assert Resource.objects.filter(name="CLIの送迎（テスト）", municipality=town).exists()


def test_imported_resources_are_found_by_search(kawara, town):
    from tsunagu.directory.search.query import search

    rows = [
        HEADER,
        resource_row("ひまわり移動販売（テスト）"),
        resource_row("ひまわり配食（テスト）", 分類="配食"),
    ]
    report = run(rows, user=kawara, municipality=town)
    assert report.ok, report.errors
    assert report.warnings == []
    names = {hit.obj.name for hit in search(user=kawara, query="ひまわり").hits}
    assert {"ひまわり移動販売（テスト）", "ひまわり配食（テスト）"} <= names


@pytest.mark.parametrize("file_name", ["資源.csv", "資源.xlsx"])
def test_too_many_rows_are_refused(monkeypatch, file_name):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = [HEADER] + [resource_row(f"送迎{i}") for i in range(5)]
    data = xlsx_bytes(rows) if file_name.endswith(".xlsx") else csv_bytes(rows)
    with pytest.raises(ImportFileError, match="行が多すぎます"):
        read_table(data, file_name)
