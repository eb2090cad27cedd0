"""Change history (履歴) of areas and statistics: who, when, why, before and after."""

from __future__ import annotations

import datetime

import pytest
from django.utils.html import escape

from tests.accounts._helpers import area_form_data
from tsunagu.areas import services
from tsunagu.areas.models import District, StatisticsSnapshot
from tsunagu.areas.services import SnapshotFields
from tsunagu.core.actions import display_reason

pytestmark = pytest.mark.django_db


def test_editing_an_area_in_the_edit_view_records_who_and_why(client_as, municipality, user_named):
    # given
    kawara = municipality("香春町")
    before = kawara.history.count()

    # when
    response = client_as("kawara").post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, name="新香春町")
    )

    # then
    assert response.status_code == 302
    assert kawara.history.count() == before + 1
    record = kawara.history.first()
    assert record.history_type == "~"
    assert record.name == "新香春町"
    assert record.history_user == user_named("kawara")
    assert display_reason(record.history_change_reason) == "区域の情報を変更"


def test_history_page_shows_the_editor_and_the_old_and_new_names(client_as, municipality):
    # given
    client = client_as("kawara")
    kawara = municipality("香春町")
    client.post(f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, name="新香春町"))

    # when
    response = client.get(f"/areas/municipality/{kawara.pk}/history/")
    body = response.content.decode()

    # then
    assert response.status_code == 200
    assert "香春町 保険健康課 職員" in body  # the editor's display name
    assert "区域の情報を変更" in body
    change_row = '<tr><th scope="row">名称</th><td>香春町</td><td>新香春町</td></tr>'
    assert change_row in body


def test_history_page_of_a_district_shows_a_changed_note(client_as):
    client = client_as("kawara")
    district = District.objects.get(name="採銅所地域")
    client.post(f"/areas/district/{district.pk}/edit/", area_form_data(district, note="部会を再編"))

    body = client.get(f"/areas/district/{district.pk}/history/").content.decode()

    assert "部会を再編" in body
    assert escape(district.note.splitlines()[0]) in body


def test_an_edit_that_changes_nothing_writes_no_history(client_as, municipality):
    kawara = municipality("香春町")
    before = kawara.history.count()

    response = client_as("kawara").post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara)
    )

    assert response.status_code == 302
    assert kawara.history.count() == before


def test_recording_a_snapshot_writes_a_history_row_by_the_actor(municipality, user_named):
    # given
    district = District.objects.get(name="採銅所地域")
    actor = user_named("kawara")

    # when
    snapshot = services.statistics_snapshot_record(
        area=district,
        fields=SnapshotFields(
            as_of=datetime.date(2025, 4, 1), total_population=1200, source="町の集計"
        ),
        actor=actor,
    )

    # then
    record = snapshot.history.first()
    assert snapshot.history.count() == 1
    assert record.history_type == "+"
    assert record.history_user == actor
    assert display_reason(record.history_change_reason) == "統計を登録"
    assert record.total_population == 1200


def test_correcting_a_snapshot_in_the_edit_view_keeps_the_old_value_in_history(
    client_as, municipality, user_named
):
    # given
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality("香春町")).first()
    client = client_as("kawara")

    # when
    response = client.post(
        f"/areas/statistics/{snapshot.pk}/edit/",
        {
            "as_of": "令和6年10月1日",
            "as_of_precision": "day",
            "as_of_text": snapshot.as_of_text,
            "total_population": "9996",
            "population_65_plus": "4272",
            "reported_aging_rate": "42.7",
            "source": snapshot.source,
        },
    )

    # then
    assert response.status_code == 302
    record = snapshot.history.first()
    assert record.history_user == user_named("kawara")
    assert display_reason(record.history_change_reason) == "統計を修正"
    body = client.get(f"/areas/statistics/{snapshot.pk}/history/").content.decode()
    assert "<td>9995</td><td>9996</td>" in body


def test_demo_loader_rows_are_by_the_system_user(municipality, prefecture):
    for obj in (
        prefecture("福岡県"),
        municipality("香春町"),
        District.objects.get(name="直川地域"),
        StatisticsSnapshot.objects.filter(municipality=municipality("鹿児島市")).first(),
    ):
        created = obj.history.earliest("history_date")
        assert created.history_type == "+"
        assert created.history_user.username == "system"
        assert display_reason(created.history_change_reason)


def test_history_page_names_the_system_user_for_loaded_data(client_as, municipality):
    kawara = municipality("香春町")

    body = client_as("kawara").get(f"/areas/municipality/{kawara.pk}/history/").content.decode()

    assert "システム（データ読込）" in body
    assert "市町村を登録" in body
    assert "406015" in body
