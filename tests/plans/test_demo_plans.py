"""The demo's plans records are the report's figures, exactly, and loading twice changes nothing."""

from __future__ import annotations

import pytest

from tsunagu.accounts.services import system_actor
from tsunagu.areas.models import Municipality
from tsunagu.demo.indicators_loader import load_indicators
from tsunagu.plans.councils.models import CouncilFormation
from tsunagu.plans.indicators.models import IndicatorYear

pytestmark = pytest.mark.django_db


def test_izumi_h29_to_r3_figures_are_as_printed(report_text: str) -> None:
    izumi = Municipality.objects.get(code="462080")
    rows = {r.year: r for r in IndicatorYear.objects.filter(municipality=izumi)}
    assert (rows[2017].population_65_plus, rows[2021].population_65_plus) == (16581, 17426)
    assert (rows[2017].support_total_printed, rows[2021].support_total_printed) == (520, 680)
    assert rows[2017].period_text == "平成29年（総合事業開始年）"
    assert rows[2017].year_basis == "unstated"
    assert "（平成29年（総合事業開始年）16,581人→令和3年17,426人）" in report_text
    assert "要支援者数（平成29年520人→令和3年680人）" in report_text


def test_kawara_has_four_areas_three_preparatory_two_councils() -> None:
    rows = list(CouncilFormation.objects.filter(municipality__code="406015"))
    assert len(rows) == 4
    assert sum(r.has_preparatory for r in rows) == 3
    assert sum(r.has_council for r in rows) == 2


def test_only_saidosho_is_named_and_dated(report_text: str) -> None:
    rows = CouncilFormation.objects.filter(municipality__code="406015")
    named = [r for r in rows if r.name_recorded]
    assert [r.area_label for r in named] == ["採銅所地域"]
    [saidosho] = named
    assert (saidosho.preparatory_text, saidosho.council_text) == ("令和3年3月", "令和4年1月")
    assert all(not (r.preparatory_on or r.council_on) for r in rows if not r.name_recorded)
    assert (
        "令和3年3月にコミュニティ協議会の前進となる採銅所地域運営組織設立準備会が立ち上がり"
        in report_text
    )


def test_loading_twice_changes_nothing() -> None:
    def counts() -> tuple[int, ...]:
        return (
            IndicatorYear.history.count(),
            CouncilFormation.history.count(),
            CouncilFormation.objects.get(area_label="採銅所地域").key_persons.count(),
        )

    before = counts()
    load_indicators(system_actor())
    assert counts() == before
