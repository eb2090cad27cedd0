"""Indicators: computed rates beside the printed ones, history, scoping."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tsunagu.core.errors import NotFound, PermissionDenied
from tsunagu.plans.indicators.models import IndicatorYear
from tsunagu.plans.indicators.selectors import indicator_series, indicators_visible_to
from tsunagu.plans.indicators.services import IndicatorFields, indicator_record

pytestmark = pytest.mark.django_db

LEVELS = {
    "support_1": 300,
    "support_2": 220,
    "care_1": 400,
    "care_2": 300,
    "care_3": 200,
    "care_4": 150,
    "care_5": 100,
}


def record(town: Any, actor: Any, **fields: Any) -> IndicatorYear:
    return indicator_record(
        actor=actor,
        municipality=town,
        year=2021,
        source="テスト出典",
        fields=IndicatorFields(**fields),
    )


def test_certification_rate_is_computed_from_levels_and_65_plus(two_towns: dict) -> None:
    row = record(two_towns["a"], two_towns["staff_a"], population_65_plus=10000, **LEVELS)
    assert row.certified_total == 1670
    assert row.certification_rate == Decimal("16.7")


def test_printed_rate_is_kept_beside_the_computed_one(two_towns: dict) -> None:
    row = record(
        two_towns["a"],
        two_towns["staff_a"],
        population_65_plus=10000,
        certification_rate_printed=Decimal("16.9"),
        **LEVELS,
    )
    row.refresh_from_db()
    assert row.certification_rate_printed == Decimal("16.90")
    assert row.certification_rate == Decimal("16.7")
    assert any("認定率: 記載値 16.90％、計算値 16.7％" in n for n in row.inconsistencies())


def test_a_difference_within_005_points_is_not_flagged(two_towns: dict) -> None:
    row = record(
        two_towns["a"],
        two_towns["staff_a"],
        population_65_plus=10000,
        certification_rate_printed=Decimal("16.74"),
        **LEVELS,
    )
    assert row.inconsistencies() == []


def test_printed_support_total_differing_from_its_levels_is_flagged(two_towns: dict) -> None:
    row = record(
        two_towns["a"],
        two_towns["staff_a"],
        support_1=300,
        support_2=220,
        support_total_printed=530,
    )
    assert row.support_total == 520
    assert "要支援者数: 記載値 530人、区分の合計 520人" in row.inconsistencies()


def test_printed_support_total_is_used_when_levels_are_unknown(two_towns: dict) -> None:
    row = record(two_towns["a"], two_towns["staff_a"], support_total_printed=680)
    assert row.support_total == 680


def test_gathering_rate_is_participants_per_65_plus(two_towns: dict) -> None:
    row = record(
        two_towns["a"], two_towns["staff_a"], population_65_plus=17426, gathering_participants=1200
    )
    assert row.gathering_rate == Decimal("6.9")


def test_recording_writes_a_history_row_with_the_action(two_towns: dict) -> None:
    row = record(two_towns["a"], two_towns["staff_a"], population_65_plus=100)
    row = record(two_towns["a"], two_towns["staff_a"], population_65_plus=120)
    reasons = list(
        row.history.order_by("history_id").values_list("history_change_reason", flat=True)
    )
    assert reasons == ["plans.indicator.create", "plans.indicator.update"]
    assert row.history.first().history_user == two_towns["staff_a"]


def test_staff_of_another_municipality_cannot_record_and_nothing_changes(two_towns: dict) -> None:
    row = record(two_towns["a"], two_towns["staff_a"], population_65_plus=100)
    with pytest.raises(PermissionDenied):
        record(two_towns["a"], two_towns["staff_b"], population_65_plus=999)
    row.refresh_from_db()
    assert row.population_65_plus == 100
    assert row.history.count() == 1


def test_a_user_sees_only_indicators_of_their_municipality(two_towns: dict) -> None:
    record(two_towns["a"], two_towns["staff_a"], population_65_plus=100)
    record(two_towns["b"], two_towns["staff_b"], population_65_plus=200)
    seen = list(
        indicators_visible_to(user=two_towns["staff_a"]).values_list(
            "population_65_plus", flat=True
        )
    )
    assert seen == [100]


def test_series_of_another_municipality_is_not_found(two_towns: dict) -> None:
    record(two_towns["b"], two_towns["staff_b"], population_65_plus=200)
    with pytest.raises(NotFound):
        indicator_series(user=two_towns["staff_a"], area=two_towns["b"])


def test_prefecture_staff_see_their_municipalities_rows(two_towns: dict) -> None:
    record(two_towns["a"], two_towns["staff_a"], population_65_plus=100)
    rows = indicator_series(user=two_towns["pref_staff_a"], area=two_towns["a"])
    assert [r.population_65_plus for r in rows] == [100]


def test_trend_page_of_another_municipality_answers_404(two_towns: dict, client: Any) -> None:
    record(two_towns["b"], two_towns["staff_b"], population_65_plus=200)
    client.force_login(two_towns["staff_a"])
    response = client.get(f"/plans/indicators/m{two_towns['b'].pk}/")
    assert response.status_code == 404


def test_trend_page_shows_chart_and_table_with_the_figures(two_towns: dict, client: Any) -> None:
    for year, count in ((2017, 16581), (2021, 17426)):
        indicator_record(
            actor=two_towns["staff_a"],
            municipality=two_towns["a"],
            year=year,
            source="テスト出典",
            fields=IndicatorFields(population_65_plus=count),
        )
    client.force_login(two_towns["staff_a"])
    html = client.get(f"/plans/indicators/m{two_towns['a'].pk}/").content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and "<polyline" in html
    assert "16,581" in html and "17,426" in html


def test_rates_are_compared_with_the_chosen_prefecture(two_towns: dict, client: Any) -> None:
    record(two_towns["a"], two_towns["staff_a"], population_65_plus=1000, gathering_participants=50)
    indicator_record(
        actor=two_towns["pref_staff_a"],
        prefecture=two_towns["pref_a"],
        year=2021,
        source="県の出典",
        fields=IndicatorFields(population_65_plus=100000, gathering_participants=8000),
    )
    client.force_login(two_towns["pref_staff_a"])
    html = client.get(
        f"/plans/indicators/m{two_towns['a'].pk}/",
        {"compared": "1", "compare": f"p{two_towns['pref_a'].pk}"},
    ).content.decode()
    assert "5.0" in html and "8.0" in html
    assert html.count("<polyline") >= 2
