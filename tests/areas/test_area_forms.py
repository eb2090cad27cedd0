"""Area forms: municipality codes, GeoJSON boundaries and district ↔ daily-life area links.

Bad input is re-displayed with a Japanese message naming the field, and saves nothing.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from tests.accounts._helpers import area_form_data, row_counts, row_values
from tsunagu.areas import services
from tsunagu.areas.models import DailyLifeArea, District, Municipality
from tsunagu.areas.services import AreaFields
from tsunagu.core.actions import display_reason

pytestmark = pytest.mark.django_db


SQUARE = [[130.90, 33.60], [130.95, 33.60], [130.95, 33.65], [130.90, 33.65], [130.90, 33.60]]


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
# Creating a municipality (prefecture staff)
# ---------------------------------------------------------------------------


@pytest.fixture
def post_new_municipality(client_as, prefecture):
    client = client_as("fukuoka")
    url = f"/areas/prefecture/{prefecture('福岡県').pk}/municipalities/new/"

    def post(code: str, name: str = "添田町"):
        return client.post(url, {"code": code, "name": name, "name_kana": "", "name_en": ""})

    return post


def test_prefecture_staff_creates_a_municipality_with_a_valid_code(
    post_new_municipality, user_named
):
    response = post_new_municipality("406023")

    municipality = Municipality.objects.get(code="406023")
    assert response.status_code == 302
    assert response["Location"] == f"/areas/municipality/{municipality.pk}/"
    assert municipality.prefecture.name == "福岡県"
    record = municipality.history.first()
    assert record.history_user == user_named("fukuoka")
    assert display_reason(record.history_change_reason) == "市町村を登録"


def test_municipality_code_with_a_wrong_check_digit_is_refused(post_new_municipality):
    before = row_counts()

    response = post_new_municipality("406016")

    assert_field_error(response, "code", "検査数字", "406016", "40601", "5")
    assert 'value="406016"' in response.content.decode()
    assert row_counts() == before


def test_municipality_code_of_another_prefecture_is_refused(post_new_municipality):
    before = row_counts()

    response = post_new_municipality("442011")  # 大分市: valid, but not in 福岡県

    assert_field_error(response, "code", "先頭2桁", "福岡県")
    assert 'value="442011"' in response.content.decode()
    assert row_counts() == before


def test_municipality_code_already_registered_is_refused(post_new_municipality):
    before = row_counts()

    response = post_new_municipality("406015", name="もう一つの香春町")

    assert_field_error(response, "code", "既に存在します")
    assert row_counts() == before


@pytest.mark.parametrize("code", ["40602", "4060230", "40602A"])
def test_municipality_code_that_is_not_six_digits_is_refused(post_new_municipality, code):
    before = row_counts()

    response = post_new_municipality(code)

    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert row_counts() == before


def test_full_width_code_is_saved_as_ascii_digits(post_new_municipality):
    response = post_new_municipality("４０６０２３")

    assert response.status_code == 302
    assert Municipality.objects.filter(code="406023").exists()


# ---------------------------------------------------------------------------
# GeoJSON boundaries in the area edit form
# ---------------------------------------------------------------------------

BAD_BOUNDARIES = [
    pytest.param('{"type": "Polygon", "coordinates": [[', "読み取れません", id="bad-json"),
    pytest.param(
        json.dumps({"type": "Point", "coordinates": [130.9, 33.6]}),
        "Polygon か MultiPolygon",
        id="point",
    ),
    pytest.param(
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [
                    [
                        [130.90, 33.60],
                        [130.95, 33.65],
                        [130.95, 33.60],
                        [130.90, 33.65],
                        [130.90, 33.60],
                    ]
                ],
            }
        ),
        "図形が正しくありません",
        id="bow-tie",
    ),
    pytest.param(
        json.dumps({"type": "Polygon", "coordinates": [[[130.9, 33.6], [130.95, 33.6]]]}),
        "4点以上",
        id="two-points",
    ),
    pytest.param(
        json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[33.6, 130.9], [33.6, 130.95], [33.65, 130.95], [33.6, 130.9]]],
            }
        ),
        "経度, 緯度",
        id="lat-lon-swapped",
    ),
    pytest.param(
        json.dumps({"type": "Polygon", "coordinates": [SQUARE[:-1]]}),
        "閉じていません",
        id="unclosed-ring",
    ),
]


@pytest.mark.parametrize(("boundary", "message"), BAD_BOUNDARIES)
def test_malformed_boundary_is_refused_and_nothing_changes(
    client_as, municipality, boundary, message
):
    # given
    client = client_as("kawara")
    kawara = municipality("香春町")
    before_values, before_counts = row_values(kawara), row_counts()

    # when
    response = client.post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, boundary=boundary)
    )

    # then
    assert_field_error(response, "boundary", message)
    assert escape(boundary) in response.content.decode()
    assert row_values(kawara) == before_values
    assert row_counts() == before_counts


def test_valid_polygon_is_saved_and_sets_the_centre_point(client_as, municipality, user_named):
    # given
    kawara = municipality("香春町")
    polygon = {"type": "Polygon", "coordinates": [SQUARE]}

    # when
    response = client_as("kawara").post(
        f"/areas/municipality/{kawara.pk}/edit/",
        area_form_data(kawara, boundary=json.dumps(polygon)),
    )

    # then
    assert response.status_code == 302
    kawara.refresh_from_db()
    assert kawara.boundary == polygon
    assert Decimal("33.60") < kawara.centre_lat < Decimal("33.65")
    assert Decimal("130.90") < kawara.centre_lon < Decimal("130.95")
    record = kawara.history.first()
    assert record.history_user == user_named("kawara")
    assert record.boundary == polygon


def test_a_feature_is_saved_as_its_geometry(client_as, municipality):
    kawara = municipality("香春町")
    feature = {
        "type": "Feature",
        "properties": {"name": "香春町"},
        "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
    }

    response = client_as("kawara").post(
        f"/areas/municipality/{kawara.pk}/edit/",
        area_form_data(kawara, boundary=json.dumps(feature, ensure_ascii=False)),
    )

    assert response.status_code == 302
    kawara.refresh_from_db()
    assert kawara.boundary == {"type": "Polygon", "coordinates": [SQUARE]}


def test_a_centre_typed_by_the_user_is_kept(client_as, municipality):
    kawara = municipality("香春町")

    client_as("kawara").post(
        f"/areas/municipality/{kawara.pk}/edit/",
        area_form_data(
            kawara,
            boundary=json.dumps({"type": "Polygon", "coordinates": [SQUARE]}),
            centre_lat="33.61",
            centre_lon="130.91",
        ),
    )

    kawara.refresh_from_db()
    assert (kawara.centre_lat, kawara.centre_lon) == (Decimal("33.61"), Decimal("130.91"))


def test_a_blank_name_is_refused(client_as, municipality):
    client = client_as("kawara")
    kawara = municipality("香春町")
    before = row_values(kawara)

    response = client.post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, name="")
    )

    assert_field_error(response, "name", "必須")
    assert row_values(kawara) == before


# ---------------------------------------------------------------------------
# A district takes only a daily-life area of its own municipality
# ---------------------------------------------------------------------------


@pytest.fixture
def yoshino() -> District:
    return District.objects.get(name="吉野校区")  # 鹿児島市


def area_of(municipality_name: str) -> DailyLifeArea:
    return DailyLifeArea.objects.get(municipality__name=municipality_name, name="第1圏域")


def test_district_edit_refuses_a_daily_life_area_of_another_municipality(client_as, yoshino):
    # given
    client = client_as("kagoshima")
    before_values, before_counts = row_values(yoshino), row_counts()

    # when
    response = client.post(
        f"/areas/district/{yoshino.pk}/edit/",
        area_form_data(yoshino, daily_life_area=str(area_of("出水市").pk)),
    )

    # then
    assert_field_error(response, "daily_life_area", "正しく選択してください")
    assert row_values(yoshino) == before_values
    assert row_counts() == before_counts


def test_district_edit_offers_only_its_own_municipalitys_daily_life_areas(client_as, yoshino):
    response = client_as("kagoshima").get(f"/areas/district/{yoshino.pk}/edit/")

    choices = response.context["form"].fields["daily_life_area"].queryset
    assert {area.municipality.name for area in choices} == {"鹿児島市"}
    assert choices.count() == 17


def test_district_edit_accepts_a_daily_life_area_of_its_own_municipality(
    client_as, yoshino, user_named
):
    own = area_of("鹿児島市")

    response = client_as("kagoshima").post(
        f"/areas/district/{yoshino.pk}/edit/",
        area_form_data(yoshino, daily_life_area=str(own.pk)),
    )

    assert response.status_code == 302
    yoshino.refresh_from_db()
    assert yoshino.daily_life_area == own
    assert yoshino.history.first().history_user == user_named("kagoshima")


def test_new_district_form_refuses_a_daily_life_area_of_another_municipality(
    client_as, municipality
):
    client = client_as("izumi")
    before = row_counts()

    response = client.post(
        f"/areas/municipality/{municipality('出水市').pk}/district/new/",
        {
            "name": "米ノ津地区",
            "name_kana": "",
            "boundary": "",
            "centre_lat": "",
            "centre_lon": "",
            "district_kind": "other",
            "daily_life_area": str(area_of("鹿児島市").pk),
            "note": "",
        },
    )

    assert_field_error(response, "daily_life_area", "正しく選択してください")
    assert 'value="米ノ津地区"' in response.content.decode()
    assert row_counts() == before


def test_new_district_form_creates_a_district_with_history(client_as, municipality, user_named):
    izumi = municipality("出水市")

    response = client_as("izumi").post(
        f"/areas/municipality/{izumi.pk}/district/new/",
        {
            "name": "米ノ津地区",
            "district_kind": "other",
            "daily_life_area": str(area_of("出水市").pk),
        },
    )

    district = District.objects.get(municipality=izumi, name="米ノ津地区")
    assert response.status_code == 302
    assert district.daily_life_area == area_of("出水市")
    record = district.history.first()
    assert record.history_user == user_named("izumi")
    assert display_reason(record.history_change_reason) == "地区を登録"


def test_sub_area_service_refuses_a_daily_life_area_of_another_municipality(
    municipality, user_named
):
    before = row_counts()

    with pytest.raises(ValidationError) as error:
        services.sub_area_create(
            municipality=municipality("出水市"),
            kind="district",
            fields=AreaFields(name="米ノ津地区", daily_life_area=area_of("鹿児島市")),
            actor=user_named("izumi"),
        )

    assert "daily_life_area" in error.value.message_dict
    assert row_counts() == before


def test_area_update_service_refuses_a_daily_life_area_of_another_municipality(yoshino, user_named):
    before = row_values(yoshino)

    with pytest.raises(ValidationError):
        services.area_update(
            area=yoshino,
            fields=AreaFields(daily_life_area=area_of("出水市")),
            actor=user_named("kagoshima"),
        )

    assert row_values(yoshino) == before
