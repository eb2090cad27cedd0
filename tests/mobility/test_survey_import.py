"""Importing answer sheets (.xlsx / CSV in UTF-8, UTF-8 with BOM, Shift_JIS), all or nothing,
errors with file/row/column, and the Excel exports (summary, template, answer sheets)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied
from tsunagu.mobility.models import NeedsSurvey, SurveyResponse
from tsunagu.mobility.surveys import exporting as survey_exporting
from tsunagu.mobility.surveys import selectors
from tsunagu.mobility.surveys import services as survey_services
from tsunagu.mobility.surveys.commands import ResponseFields
from tsunagu.mobility.surveys.importing import COLUMNS, import_responses

pytestmark = pytest.mark.django_db

HEADER = "回答票番号,地区,年代,ボランティア送迎を利用したいか,行き先：通院,行き先：買い物,利用したい頻度,つえを使う,バス停まで歩ける距離,電話で予約できる,人数"
GOOD_ROWS = [
    "1,採銅所地域,80〜84歳,すぐに利用したい,○,○,週1〜2回,はい,100mくらいまで,はい,",
    "2,採銅所,75〜79歳,将来利用したい,,○,月2〜3回,,歩いて行けない,いいえ,",
    "3,,,利用しない,,,,,,,4",
]


@pytest.fixture
def survey(municipality: Any, user_named: Any) -> NeedsSurvey:
    return survey_services.survey_create(
        municipality=municipality("香春町"),
        title="香春町 取り込みテスト",
        actor=user_named("kawara"),
    )


@pytest.fixture
def kawara(user_named: Any) -> Any:
    return user_named("kawara")


def csv_bytes(rows: list[str], encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_in_every_encoding_is_imported(survey: NeedsSurvey, kawara: Any, encoding: str) -> None:
    result = import_responses(
        survey=survey, actor=kawara, data=csv_bytes(GOOD_ROWS, encoding), file_name="回答.csv"
    )
    assert result.ok, result.errors
    assert (result.created, result.respondents) == (3, 6)
    first = survey.responses.get(respondent_ref="1")
    assert (first.district.name, first.would_use, first.dest_hospital, first.uses_cane) == (
        "採銅所地域",
        "now",
        True,
        True,
    )
    assert (first.frequency, first.walk_to_stop, first.can_book_by_phone) == (
        "weekly_1_2",
        "100",
        True,
    )
    second = survey.responses.get(respondent_ref="2")
    assert second.district.name == "採銅所地域"  # 「地域」 may be left out
    assert (second.walk_to_stop, second.can_book_by_phone, second.dest_hospital) == (
        "cannot",
        False,
        False,
    )
    third = survey.responses.get(respondent_ref="3")
    assert (third.weight, third.can_book_by_phone, third.frequency) == (4, None, "unknown")
    assert third.history.get().history_user == kawara


def test_xlsx_is_imported(survey: NeedsSurvey, kawara: Any) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    for row in GOOD_ROWS:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row.split(",")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_responses(
        survey=survey, actor=kawara, data=buffer.getvalue(), file_name="a.xlsx"
    )
    assert result.ok, result.errors
    assert survey.responses.count() == 3


def test_one_bad_cell_imports_nothing_and_says_where(survey: NeedsSurvey, kawara: Any) -> None:
    rows = [*GOOD_ROWS, "4,採銅所地域,,たぶん,,,,,,,", "5,月面,,,,,,,,,0"]
    result = import_responses(
        survey=survey, actor=kawara, data=csv_bytes(rows), file_name="回答.csv"
    )
    assert not result.committed
    assert survey.responses.count() == 0
    text = "\n".join(result.errors)
    assert "回答.csv 5行目 D列（ボランティア送迎を利用したいか）" in text
    assert "「たぶん」は選択肢にありません" in text and "すぐに利用したい" in text
    assert "回答.csv 6行目 B列（地区）" in text and "月面" in text
    assert "6行目 K列（人数）" in text


def test_replace_deletes_current_answers_in_the_same_transaction(
    survey: NeedsSurvey, kawara: Any
) -> None:
    survey_services.response_create(
        survey=survey, actor=kawara, fields=ResponseFields(respondent_ref="old")
    )
    bad = import_responses(
        survey=survey,
        actor=kawara,
        data=csv_bytes(["x,,,?,,,,,,,"]),
        file_name="a.csv",
        replace=True,
    )
    assert not bad.committed and survey.responses.filter(respondent_ref="old").exists()
    good = import_responses(
        survey=survey, actor=kawara, data=csv_bytes(GOOD_ROWS), file_name="a.csv", replace=True
    )
    assert good.ok
    assert not survey.responses.filter(respondent_ref="old").exists()
    assert survey.responses.count() == 3


def test_personal_and_unknown_columns_are_not_imported(survey: NeedsSurvey, kawara: Any) -> None:
    data = "氏名,ボランティア送迎を利用したいか,好きな色\r\n山田,すぐに利用したい,青\r\n".encode()
    result = import_responses(survey=survey, actor=kawara, data=data, file_name="a.csv")
    assert result.ok
    assert any("個人を特定する" in w and "A列" in w for w in result.warnings)
    assert any("C列（好きな色）" in w for w in result.warnings)
    assert "山田" not in str(list(survey.responses.values()))


def test_file_without_known_headers_is_refused(survey: NeedsSurvey, kawara: Any) -> None:
    result = import_responses(
        survey=survey, actor=kawara, data=b"a,b\r\n1,2\r\n", file_name="x.csv"
    )
    assert not result.committed and "見出し" in result.errors[0]


def test_duplicate_column_is_refused(survey: NeedsSurvey, kawara: Any) -> None:
    data = "通院,行き先：通院\r\n○,○\r\n".encode()
    result = import_responses(survey=survey, actor=kawara, data=data, file_name="x.csv")
    assert not result.committed and "B列" in result.errors[0] and "A列" in result.errors[0]


def test_broken_xlsx_is_a_clear_error(survey: NeedsSurvey, kawara: Any) -> None:
    result = import_responses(
        survey=survey, actor=kawara, data=b"PK\x03\x04broken", file_name="x.xlsx"
    )
    assert not result.committed and result.errors[0].startswith("x.xlsx")


def test_reader_cannot_import(survey: NeedsSurvey, user_named: Any) -> None:
    with pytest.raises(PermissionDenied):
        import_responses(
            survey=survey, actor=user_named("fukuoka"), data=csv_bytes(GOOD_ROWS), file_name="a.csv"
        )
    assert survey.responses.count() == 0


# --- exports ------------------------------------------------------------------------------


def test_template_has_the_import_headers_and_a_guide() -> None:
    workbook = load_workbook(io.BytesIO(survey_exporting.template_xlsx()))
    headers = [c.value for c in workbook["回答"][1]]
    assert headers == [c.header for c in COLUMNS]
    assert "記入のしかた" in workbook.sheetnames


def test_answer_sheets_export_imports_back_identically(survey: NeedsSurvey, kawara: Any) -> None:
    import_responses(survey=survey, actor=kawara, data=csv_bytes(GOOD_ROWS), file_name="a.csv")
    fields = [c.key for c in COLUMNS]
    before = list(survey.responses.order_by("respondent_ref").values(*fields))
    exported = survey_exporting.responses_xlsx(survey, survey.responses.order_by("pk"))
    result = import_responses(
        survey=survey, actor=kawara, data=exported, file_name="b.xlsx", replace=True
    )
    assert result.ok, result.errors
    assert list(survey.responses.order_by("respondent_ref").values(*fields)) == before


def test_summary_xlsx_for_the_council(municipality: Any) -> None:
    from tsunagu.demo.surveys_loader import TITLE

    survey = NeedsSurvey.objects.get(municipality=municipality("佐伯市"), title=TITLE)
    content = survey_exporting.summary_xlsx(selectors.survey_summary(survey=survey))
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["調査の概要", "設問ごとの集計", "地区別"]
    overview = {
        r[0].value: r[1].value for r in workbook["調査の概要"].iter_rows(min_row=3) if r[0].value
    }
    assert overview["すぐに利用したい（人）"] == 11
    by_district = [[c.value for c in r] for r in workbook["地区別"].iter_rows(min_row=4)]
    assert by_district[0][:3] == ["直川地域", 11, 11]
    assert workbook["設問ごとの集計"]._charts  # one bar chart per question
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_import_records_its_action_and_file_on_each_sheet_and_on_the_replaced_ones(
    survey: NeedsSurvey, kawara: Any
) -> None:
    old = survey_services.response_create(
        survey=survey, actor=kawara, fields=ResponseFields(respondent_ref="old")
    )
    import_responses(
        survey=survey, actor=kawara, data=csv_bytes(GOOD_ROWS), file_name="a.csv", replace=True
    )
    imported = survey.responses.order_by("pk").first()
    created = imported.history.get()
    assert (created.history_user, created.history_change_reason) == (
        kawara,
        "mobility.response.import: a.csv",
    )
    assert display_reason(created.history_change_reason) == "回答を取り込み（a.csv）"
    deleted = SurveyResponse.history.filter(id=old.pk, history_type="-").get()
    assert deleted.history_change_reason == "mobility.response.import_replace: a.csv"
