"""The demo dataset reconstructed from the seed report (tsunagu.demo.loader)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count

from tsunagu.accounts.models import Membership, Role
from tsunagu.areas.models import Municipality, Prefecture, StatisticsSnapshot
from tsunagu.core.actions import display_reason
from tsunagu.core.codes import validate_local_government_code
from tsunagu.demo import report_data
from tsunagu.demo.loader import DEMO_PASSWORD, DEMO_USERS

pytestmark = pytest.mark.django_db

PREFECTURES = {"福岡県": "400009", "大分県": "440001", "鹿児島県": "460001"}
MUNICIPALITIES = {
    "香春町": ("406015", "福岡県"),
    "久留米市": ("402036", "福岡県"),
    "佐伯市": ("442054", "大分県"),
    "鹿児島市": ("462012", "鹿児島県"),
    "出水市": ("462080", "鹿児島県"),
}
CASE_MUNICIPALITIES = dict(MUNICIPALITIES)  # the five with a case sheet (事例表)
MUNICIPALITIES |= {
    # Named only as participants of the prefectures' support programs.
    "竹田市": ("442089", "大分県"),
    "別府市": ("442020", "大分県"),
    "由布市": ("442135", "大分県"),
    "日置市": ("462161", "鹿児島県"),
    "南大隅町": ("464911", "鹿児島県"),
    "徳之島町": ("465305", "鹿児島県"),
}


def figures(municipality_name: str) -> list[tuple]:
    return list(
        StatisticsSnapshot.objects.filter(
            municipality__name=municipality_name,
            daily_life_area__isnull=True,
            district__isnull=True,
            as_of="2024-10-01",
        )
        .order_by("id")
        .values_list("total_population", "population_65_plus", "reported_aging_rate", "source")
    )


def test_the_three_prefectures_have_their_real_codes():
    assert dict(Prefecture.objects.values_list("name", "code")) == PREFECTURES


def test_the_municipalities_have_their_real_codes_and_prefectures():
    loaded = {m.name: (m.code, m.prefecture.name) for m in Municipality.objects.all()}

    assert loaded == MUNICIPALITIES


def test_every_loaded_code_passes_the_check_digit():
    codes = [*Prefecture.objects.values_list("code", flat=True)]
    codes += Municipality.objects.values_list("code", flat=True)

    for code in codes:
        validate_local_government_code(code)
    assert len(codes) == len(PREFECTURES) + len(MUNICIPALITIES)


def test_kawara_figures_are_loaded_exactly_as_printed_in_both_places():
    rows = figures("香春町")

    assert [row[:3] for row in rows] == [(9995, 4272, Decimal("42.7"))] * 2
    assert rows[0][3] == "II 情報収集結果 1 ①《香春町》 本文"
    assert rows[1][3] == "事例表№1 香春町 基本情報（〇 香春町の概要）"


def test_kawara_computed_aging_rate_matches_the_printed_one():
    snapshot = StatisticsSnapshot.objects.filter(municipality__name="香春町").first()

    assert snapshot.computed_aging_rate == snapshot.reported_aging_rate == Decimal("42.7")


def test_both_printed_populations_of_kagoshima_city_are_kept():
    rows = figures("鹿児島市")

    assert [(row[0], row[1]) for row in rows] == [(591607, 172074), (591067, 172074)]
    assert rows[0][3] == "II 情報収集結果 1 ②《鹿児島市》 本文"
    assert rows[1][3] == "事例表№3 鹿児島市 基本情報（○ 鹿児島市の概要）"


def test_printed_rates_that_disagree_with_the_counts_are_not_corrected():
    [izumi_body, izumi_sheet] = figures("出水市")
    kagoshima_pref = StatisticsSnapshot.objects.get(prefecture__name="鹿児島県")

    assert izumi_body[2] == izumi_sheet[2] == Decimal("35.3")
    assert kagoshima_pref.reported_aging_rate == Decimal("34.4")
    assert kagoshima_pref.computed_aging_rate == Decimal("33.4")


def test_every_statistics_entry_of_the_report_is_loaded_once():
    assert StatisticsSnapshot.objects.count() == len(report_data.STATISTICS)


def test_loading_again_creates_and_changes_nothing(demo_loaded_again):
    # given the demo loaded, when it is loaded again (tests/demo/conftest.py), then
    again = demo_loaded_again
    assert again.summary.created == 0
    assert again.summary.updated == 0
    assert again.after == again.before
    assert again.memberships_after == again.memberships_before


def test_no_demo_user_has_a_duplicated_membership():
    duplicates = (
        Membership.objects.values("user", "role", "prefecture", "municipality")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )

    assert list(duplicates) == []


def test_every_demo_user_exists_and_signs_in_with_the_demo_password():
    User = get_user_model()

    assert DEMO_USERS
    for demo in DEMO_USERS:
        user = User.objects.get(username=demo.username)
        assert user.is_active
        assert user.check_password(DEMO_PASSWORD)
        assert user.full_name == demo.full_name


def test_every_role_has_at_least_one_demo_user():
    demo_names = [demo.username for demo in DEMO_USERS]
    roles = set(
        Membership.objects.filter(user__username__in=demo_names).values_list("role", flat=True)
    )

    assert roles == set(Role.values)


def test_every_prefecture_and_municipality_has_a_demo_user_scoped_to_it():
    demo_names = [demo.username for demo in DEMO_USERS]
    memberships = Membership.objects.filter(user__username__in=demo_names)
    prefectures = set(memberships.values_list("prefecture__name", flat=True))
    municipalities = set(memberships.values_list("municipality__name", flat=True))

    assert set(PREFECTURES) <= prefectures
    assert set(CASE_MUNICIPALITIES) <= municipalities


def test_loaded_rows_carry_their_history_by_the_system_user():
    snapshots = list(StatisticsSnapshot.objects.all())
    assert snapshots
    for snapshot in snapshots:
        created = snapshot.history.earliest("history_date")
        assert created.history_user.username == "system"
        assert display_reason(created.history_change_reason) == "統計を登録"
