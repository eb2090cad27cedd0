"""Spreadsheet import checks text and dates at the boundary, like forms and the API."""

from __future__ import annotations

import datetime

import pytest

from tests.directory.test_import import HEADER, counts, resource_row, run


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def town(municipality):
    return municipality("香春町")


def test_control_characters_in_a_text_cell_are_refused_by_row_and_column(kawara, town):
    before = counts()
    rows = [HEADER, resource_row("送迎（テスト）"), resource_row("付き添い\x0b（テスト）")]
    report = run(rows, user=kawara, municipality=town)  # CSV: .xlsx cannot even hold it
    assert len(report.errors) == 1
    assert report.errors[0].startswith("資源.csv 3行目 A列（名称）: 使えない制御文字（U+000B）")
    assert counts() == before


def test_an_excel_date_cell_out_of_range_is_refused(kawara, town):
    before = counts()
    rows = [HEADER, resource_row("送迎（テスト）", 開始日=datetime.datetime(1850, 1, 1))]
    report = run(rows, user=kawara, municipality=town, file_name="資源.xlsx")
    assert len(report.errors) == 1
    assert "G列（開始日）" in report.errors[0]
    assert "1873年1月1日" in report.errors[0]
    assert counts() == before
