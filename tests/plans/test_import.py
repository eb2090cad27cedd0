"""Importing indicators: all rows or none, errors naming file, row and column."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from tsunagu.plans.indicators.importing import IndicatorImportError, indicators_import
from tsunagu.plans.indicators.models import IndicatorYear

pytestmark = pytest.mark.django_db


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_csv_rows_are_imported_with_history(two_towns: dict) -> None:
    code = two_towns["a"].code
    data = csv_bytes(
        "市町村コード,年度,出典,65歳以上人口,要支援1,要支援2",
        f"{code},令和3年度,町の資料,17426,400,280",
    )
    result = indicators_import(actor=two_towns["staff_a"], data=data, file_name="指標.csv")
    row = IndicatorYear.objects.get(municipality=two_towns["a"])
    assert (result.rows, row.year, row.population_65_plus, row.support_total) == (
        1,
        2021,
        17426,
        680,
    )
    assert row.history.get().history_change_reason.startswith("plans.indicator.import")


def test_one_bad_row_imports_nothing_and_names_file_row_and_column(two_towns: dict) -> None:
    code = two_towns["a"].code
    data = csv_bytes(
        "市町村コード,年度,出典,65歳以上人口",
        f"{code},2020,町の資料,100",
        f"{code},2021,町の資料,十万",
    )
    with pytest.raises(IndicatorImportError) as error:
        indicators_import(actor=two_towns["staff_a"], data=data, file_name="指標.csv")
    [problem] = error.value.problems
    assert (problem.file, problem.row, problem.column) == ("指標.csv", 3, "65歳以上人口")
    assert "指標.csv 3行目「65歳以上人口」列" in error.value.message
    assert not IndicatorYear.objects.filter(municipality=two_towns["a"]).exists()


def test_a_row_for_a_municipality_out_of_scope_rolls_back_the_whole_file(two_towns: dict) -> None:
    data = csv_bytes(
        "市町村コード,年度,出典,65歳以上人口",
        f"{two_towns['a'].code},2020,資料,100",
        f"{two_towns['b'].code},2020,資料,200",
    )
    with pytest.raises(IndicatorImportError) as error:
        indicators_import(actor=two_towns["staff_a"], data=data, file_name="x.csv")
    assert error.value.problems[0].row == 3
    assert not IndicatorYear.objects.filter(
        municipality__in=[two_towns["a"], two_towns["b"]]
    ).exists()


def test_missing_required_column_is_named(two_towns: dict) -> None:
    data = csv_bytes("市町村コード,年度,65歳以上人口", f"{two_towns['a'].code},2020,100")
    with pytest.raises(IndicatorImportError) as error:
        indicators_import(actor=two_towns["staff_a"], data=data, file_name="x.csv")
    assert [p.column for p in error.value.problems] == ["出典"]


def test_xlsx_with_mieruka_style_headings_is_read(two_towns: dict) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "団体コード",
            "年度",
            "出典",
            "第1号被保険者数",
            "認定者数（要支援1）",
            "通いの場参加者数",
            "備考",
        ]
    )
    sheet.append([two_towns["a"].code, 2022, "見える化", 5000, 120, 400, "メモ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = indicators_import(
        actor=two_towns["staff_a"], data=buffer.getvalue(), file_name="dl.xlsx"
    )
    row = IndicatorYear.objects.get(municipality=two_towns["a"])
    assert (row.population_65_plus, row.support_1, row.gathering_participants) == (5000, 120, 400)
    assert result.ignored_columns == ("備考",)


def test_wrong_era_year_is_reported_with_its_column(two_towns: dict) -> None:
    data = csv_bytes("市町村コード,年度,出典", f"{two_towns['a'].code},平成32年度,資料")
    with pytest.raises(IndicatorImportError) as error:
        indicators_import(actor=two_towns["staff_a"], data=data, file_name="x.csv")
    assert error.value.problems[0].column == "年度"
    assert "令和2年度" in error.value.problems[0].message
