"""Statistics snapshots: the aging rate (DOMAIN.md 3.2), inconsistency rules and the forms."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from tests.accounts._helpers import row_counts, row_values
from tsunagu.areas import selectors, services
from tsunagu.areas.models import District, StatisticsSnapshot
from tsunagu.areas.services import SnapshotFields
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2025, 4, 1)


@pytest.fixture
def saidosho() -> District:
    """香春町's 採銅所地域: a district without statistics of its own in the demo data."""
    return District.objects.get(name="採銅所地域")


@pytest.fixture
def record(saidosho, user_named):
    """Record a snapshot for 採銅所地域 as printed (inconsistencies accepted), as kawara."""

    def make(*, as_of=AS_OF, source="出典A", **figures):
        return services.statistics_snapshot_record(
            area=saidosho,
            fields=SnapshotFields(as_of=as_of, source=source, **figures),
            actor=user_named("kawara"),
            accept_inconsistency=True,
        )

    return make


def rules_found(area) -> list[str]:
    return [i.rule for i in selectors.inconsistencies_of_area(area)]


def assert_field_error(response, field: str, *fragments: str) -> None:
    """The form was re-displayed with a Japanese error on ``field``, named in the summary."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors[field]
    for fragment in fragments:
        assert any(fragment in error for error in errors), errors
    summary_item = f'<a href="#id_{field}">{form[field].label}</a>: {escape(errors[0])}'
    assert summary_item in response.content.decode()


# ---------------------------------------------------------------------------
# Aging rate
# ---------------------------------------------------------------------------


def test_aging_rate_of_kawara_is_computed_to_one_decimal(municipality):
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality("香春町")).first()

    assert (snapshot.total_population, snapshot.population_65_plus) == (9995, 4272)
    assert snapshot.computed_aging_rate == Decimal("42.7")


def test_aging_rate_rounds_half_up(record):
    snapshot = record(total_population=400, population_65_plus=1)  # 0.25 %

    assert snapshot.computed_aging_rate == Decimal("0.3")


def test_aging_rate_is_unknown_without_a_total(record):
    snapshot = record(population_65_plus=100)

    assert snapshot.computed_aging_rate is None


def test_area_page_shows_computed_and_reported_aging_rate(client_as, municipality):
    body = client_as("kawara").get(f"/areas/municipality/{municipality('香春町').pk}/").content
    body = body.decode()

    assert "9,995" in body
    assert "4,272" in body
    assert '<td class="num">42.7%</td><td class="num">42.7%</td>' in body


# ---------------------------------------------------------------------------
# Inconsistency rules (tsunagu.areas.inconsistencies)
# ---------------------------------------------------------------------------


def test_reported_rate_more_than_005_from_the_computed_one_is_flagged(record, saidosho):
    record(total_population=1000, population_65_plus=427, reported_aging_rate=Decimal("42.76"))

    [found] = selectors.inconsistencies_of_area(saidosho)

    assert found.rule == "reported_rate"
    assert (found.value_a, found.value_b) == ("42.76%", "42.7%")
    assert found.sources == ("出典A",)


@pytest.mark.parametrize("reported", ["42.75", "42.65", "42.7"])
def test_reported_rate_within_005_of_the_computed_one_is_not_flagged(record, saidosho, reported):
    record(total_population=1000, population_65_plus=427, reported_aging_rate=Decimal(reported))

    assert rules_found(saidosho) == []


def test_elderly_above_total_is_flagged(record, saidosho):
    record(total_population=1000, population_65_plus=1001)

    [found] = selectors.inconsistencies_of_area(saidosho)

    assert found.rule == "elderly_over_total"
    assert (found.value_a, found.value_b) == ("1,001", "1,000")


def test_elderly_equal_to_total_is_not_flagged(record, saidosho):
    record(total_population=1000, population_65_plus=1000)

    assert rules_found(saidosho) == []


def test_75_plus_above_65_plus_is_flagged(record, saidosho):
    record(total_population=1000, population_65_plus=400, population_75_plus=401)

    [found] = selectors.inconsistencies_of_area(saidosho)

    assert found.rule == "old_old_over_elderly"
    assert (found.value_a, found.value_b) == ("401", "400")


def test_two_sources_disagreeing_for_the_same_area_and_date_are_flagged(record, saidosho):
    record(total_population=1000, source="出典A")
    record(total_population=1010, source="出典B")

    [found] = selectors.inconsistencies_of_area(saidosho)

    assert found.rule == "conflict"
    assert "総人口" in found.what
    assert (found.value_a, found.value_b) == ("1,000", "1,010")
    assert found.sources == ("出典A", "出典B")


def test_two_sources_disagreeing_on_the_reported_rate_are_flagged(record, saidosho):
    record(reported_aging_rate=Decimal("30.1"), source="出典A")
    record(reported_aging_rate=Decimal("30.2"), source="出典B")

    [found] = selectors.inconsistencies_of_area(saidosho)

    assert found.rule == "conflict"
    assert (found.value_a, found.value_b) == ("30.1%", "30.2%")


def test_two_sources_agreeing_are_not_flagged(record, saidosho):
    record(total_population=1000, population_65_plus=400, source="出典A")
    record(total_population=1000, population_65_plus=400, source="出典B")

    assert rules_found(saidosho) == []


def test_a_figure_only_one_source_gives_is_not_a_conflict(record, saidosho):
    record(total_population=1000, source="出典A")
    record(total_population=None, population_65_plus=400, source="出典B")

    assert rules_found(saidosho) == []


def test_different_dates_are_not_a_conflict(record, saidosho):
    record(total_population=1000, as_of=datetime.date(2024, 10, 1))
    record(total_population=1010, as_of=datetime.date(2025, 10, 1))

    assert rules_found(saidosho) == []


def test_kagoshima_page_shows_the_two_printed_populations_as_an_inconsistency(
    client_as, municipality
):
    # when
    response = client_as("kagoshima").get(f"/areas/municipality/{municipality('鹿児島市').pk}/")
    body = response.content.decode()

    # then
    [item] = re.findall(r"<li>[^<]*総人口が出典によって異なる[^<]*</li>", body)
    assert "591,607 / 591,067" in item
    assert "II 情報収集結果 1 ②《鹿児島市》 本文" in item
    assert "事例表№3 鹿児島市 基本情報" in item
    assert "report.txt" not in item


def test_recorded_inconsistency_is_shown_on_the_area_page(client_as, record, saidosho):
    record(total_population=1000, population_65_plus=1200)

    body = client_as("kawara").get(f"/areas/district/{saidosho.pk}/").content.decode()

    assert "65歳以上人口が総人口を上回っている" in body
    assert "1,200 / 1,000" in body


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


def test_elderly_above_total_is_refused_unless_accepted(saidosho, user_named):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        services.statistics_snapshot_record(
            area=saidosho,
            fields=SnapshotFields(
                as_of=AS_OF, source="x", total_population=10, population_65_plus=11
            ),
            actor=user_named("kawara"),
        )

    assert "population_65_plus" in error.value.message_dict
    assert "出典の記載どおり" in error.value.message_dict["population_65_plus"][0]
    assert row_counts() == before


def test_accepted_inconsistency_is_stored_as_printed_with_history(record, user_named):
    snapshot = record(total_population=10, population_65_plus=11)

    stored = StatisticsSnapshot.objects.get(pk=snapshot.pk)
    assert (stored.total_population, stored.population_65_plus) == (10, 11)
    assert snapshot.history.first().history_user == user_named("kawara")
    assert display_reason(snapshot.history.first().history_change_reason) == "統計を登録"


def test_a_second_source_is_a_new_snapshot_and_never_overwrites_the_first(municipality, user_named):
    # given
    kagoshima = municipality("鹿児島市")
    first = StatisticsSnapshot.objects.filter(municipality=kagoshima).first()
    before_first, before_count = row_values(first), StatisticsSnapshot.objects.count()

    # when
    snapshot = services.statistics_snapshot_record(
        area=kagoshima,
        fields=SnapshotFields(as_of=first.as_of, total_population=600000, source="別の資料"),
        actor=user_named("kagoshima"),
    )

    # then
    assert StatisticsSnapshot.objects.count() == before_count + 1
    assert row_values(first) == before_first
    assert snapshot.history.first().history_user == user_named("kagoshima")


def test_correcting_a_snapshot_into_an_inconsistency_is_refused_and_changes_nothing(
    municipality, user_named
):
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality("香春町")).first()
    before_values, before_history = row_values(snapshot), snapshot.history.count()

    with pytest.raises(ValidationError):
        services.statistics_snapshot_update(
            snapshot=snapshot,
            fields=SnapshotFields(population_65_plus=10000),
            actor=user_named("kawara"),
        )

    assert row_values(snapshot) == before_values
    assert snapshot.history.count() == before_history


def test_correcting_a_snapshot_writes_history_with_the_old_value(municipality, user_named):
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality("香春町")).first()

    services.statistics_snapshot_update(
        snapshot=snapshot, fields=SnapshotFields(total_population=9996), actor=user_named("kawara")
    )

    newest, previous = snapshot.history.all()[:2]
    assert (previous.total_population, newest.total_population) == (9995, 9996)
    assert newest.history_user == user_named("kawara")
    assert display_reason(newest.history_change_reason) == "統計を修正"


@pytest.mark.parametrize("username", ["fukuoka", "kurume-viewer", "saiki", "advisor"])
def test_only_the_municipalitys_staff_may_record_its_statistics(municipality, user_named, username):
    before = row_counts()

    with pytest.raises(PermissionDenied):
        services.statistics_snapshot_record(
            area=municipality("香春町"),
            fields=SnapshotFields(as_of=AS_OF, total_population=1, source="x"),
            actor=user_named(username),
        )

    assert row_counts() == before


# ---------------------------------------------------------------------------
# The statistics form
# ---------------------------------------------------------------------------


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "as_of": "令和7年4月1日",
        "as_of_precision": "day",
        "as_of_text": "",
        "total_population": "1200",
        "population_65_plus": "500",
        "population_75_plus": "",
        "source": "町の集計",
    }
    data.update(changes)
    return data


@pytest.fixture
def post_statistics(client_as, saidosho):
    client = client_as("kawara")

    def post(**changes: str):
        return client.post(f"/areas/district/{saidosho.pk}/statistics/new/", form_data(**changes))

    return post


def test_out_of_era_date_is_refused_with_the_right_form_suggested(post_statistics):
    before = row_counts()

    response = post_statistics(as_of="平成32年1月1日")

    assert_field_error(response, "as_of", "平成32年", "令和2年1月1日")
    assert 'value="平成32年1月1日"' in response.content.decode()
    assert row_counts() == before


def test_unreadable_date_is_refused_with_an_example(post_statistics):
    before = row_counts()

    response = post_statistics(as_of="きのう")

    assert_field_error(response, "as_of", "日付の形式が読み取れません", "令和6年10月2日")
    assert 'value="きのう"' in response.content.decode()
    assert row_counts() == before


def test_valid_statistics_are_recorded_from_the_form(post_statistics, saidosho, user_named):
    response = post_statistics(as_of="R7.4.1")

    assert response.status_code == 302
    snapshot = StatisticsSnapshot.objects.get(district=saidosho)
    assert snapshot.as_of == datetime.date(2025, 4, 1)
    assert snapshot.history.first().history_user == user_named("kawara")


def test_negative_population_is_refused(post_statistics):
    before = row_counts()

    response = post_statistics(total_population="-5")

    assert_field_error(response, "total_population", "0 以上")
    assert 'value="-5"' in response.content.decode()
    assert row_counts() == before


def test_elderly_above_total_is_refused_without_the_as_printed_checkbox(post_statistics):
    before = row_counts()

    response = post_statistics(total_population="1000", population_65_plus="5000")

    assert_field_error(response, "population_65_plus", "65歳以上人口", "総人口", "出典の記載どおり")
    body = response.content.decode()
    assert 'value="5000"' in body
    assert 'value="1000"' in body
    assert row_counts() == before


def test_75_plus_above_65_plus_is_refused_without_the_as_printed_checkbox(post_statistics):
    before = row_counts()

    response = post_statistics(population_65_plus="500", population_75_plus="600")

    assert_field_error(response, "population_75_plus", "75歳以上人口", "65歳以上人口")
    assert 'value="600"' in response.content.decode()
    assert row_counts() == before


def test_elderly_above_total_is_saved_as_printed_and_shown_as_inconsistency(
    post_statistics, client_as, saidosho
):
    # when
    response = post_statistics(
        total_population="1000", population_65_plus="5000", accept_inconsistency="on"
    )

    # then
    assert response.status_code == 302
    snapshot = StatisticsSnapshot.objects.get(district=saidosho)
    assert (snapshot.total_population, snapshot.population_65_plus) == (1000, 5000)
    body = client_as("kawara").get(f"/areas/district/{saidosho.pk}/").content.decode()
    assert "65歳以上人口が総人口を上回っている" in body
    assert "5,000 / 1,000" in body


def test_municipality_staff_can_open_the_statistics_form_of_their_municipality(
    client_as, municipality
):
    response = client_as("kawara").get(
        f"/areas/municipality/{municipality('香春町').pk}/statistics/new/"
    )

    assert response.status_code == 200
    assert "統計の登録" in response.content.decode()
