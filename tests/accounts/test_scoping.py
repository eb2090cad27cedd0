"""Who may see and edit which areas: scoping by role and membership (tsunagu.accounts.permissions).

Other scopes' pages answer 404 (existence does not leak); pages a user may see but not
change answer 403; a denied write changes nothing.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.accounts._helpers import area_form_data, row_counts, row_values
from tsunagu.accounts.models import Membership, Role
from tsunagu.accounts.permissions import forget_scope
from tsunagu.areas.models import DailyLifeArea, District, StatisticsSnapshot
from tsunagu.areas.selectors import municipality_list_visible_to, prefecture_list_visible_to

pytestmark = pytest.mark.django_db

CASE_MUNICIPALITIES = {"香春町", "久留米市", "佐伯市", "鹿児島市", "出水市"}
OITA_OTHERS = {"竹田市", "別府市", "由布市"}  # in the prefectures' programs only
KAGOSHIMA_OTHERS = {"日置市", "南大隅町", "徳之島町"}
ALL_MUNICIPALITIES = CASE_MUNICIPALITIES | OITA_OTHERS | KAGOSHIMA_OTHERS


def visible_names(user) -> set[str]:
    return set(municipality_list_visible_to(user=user).values_list("name", flat=True))


@pytest.fixture
def saiki_urls(municipality, prefecture) -> dict[str, int]:
    """Primary keys of 佐伯市 objects, for formatting URLs."""
    saiki = municipality("佐伯市")
    return {
        "saiki": saiki.pk,
        "oita": prefecture("大分県").pk,
        "naokawa": District.objects.get(municipality=saiki, name="直川地域").pk,
        "snapshot": StatisticsSnapshot.objects.filter(municipality=saiki).first().pk,
        "kagoshima_area": DailyLifeArea.objects.filter(municipality__name="鹿児島市").first().pk,
    }


# ---------------------------------------------------------------------------
# Municipality staff: only their own municipality
# ---------------------------------------------------------------------------

OTHER_SCOPE_URLS = [
    "/areas/municipality/{saiki}/",
    "/areas/municipality/{saiki}/history/",
    "/areas/municipality/{saiki}/edit/",
    "/areas/municipality/{saiki}/statistics/new/",
    "/areas/municipality/{saiki}/district/new/",
    "/areas/municipality/{saiki}/daily_life_area/new/",
    "/areas/statistics/{snapshot}/edit/",
    "/areas/statistics/{snapshot}/history/",
    "/areas/district/{naokawa}/",
    "/areas/district/{naokawa}/history/",
    "/areas/district/{naokawa}/edit/",
    "/areas/district/{naokawa}/statistics/new/",
    "/areas/daily_life_area/{kagoshima_area}/",
    "/areas/prefecture/{oita}/",
    "/areas/prefecture/{oita}/municipalities/new/",
]


@pytest.mark.parametrize("url", OTHER_SCOPE_URLS)
def test_municipality_staff_gets_404_for_another_municipalitys_pages(client_as, saiki_urls, url):
    response = client_as("kawara").get(url.format(**saiki_urls))

    assert response.status_code == 404


def test_municipality_staff_sees_their_own_municipality(client_as, municipality):
    kawara = municipality("香春町")

    response = client_as("kawara").get(f"/areas/municipality/{kawara.pk}/")

    assert response.status_code == 200
    assert "香春町" in response.content.decode()


def test_post_editing_another_municipality_is_404_and_changes_nothing(client_as, municipality):
    # given
    client = client_as("kawara")
    saiki = municipality("佐伯市")
    before_values, before_counts = row_values(saiki), row_counts()

    # when
    response = client.post(
        f"/areas/municipality/{saiki.pk}/edit/", area_form_data(saiki, name="乗っ取り市")
    )

    # then
    assert response.status_code == 404
    assert row_values(saiki) == before_values
    assert row_counts() == before_counts


def test_post_recording_statistics_for_another_municipality_is_404_and_saves_nothing(
    client_as, municipality
):
    client = client_as("kawara")
    saiki = municipality("佐伯市")
    before = row_counts()

    response = client.post(
        f"/areas/municipality/{saiki.pk}/statistics/new/",
        {
            "as_of": "令和7年1月1日",
            "as_of_precision": "day",
            "total_population": "1",
            "source": "x",
        },
    )

    assert response.status_code == 404
    assert row_counts() == before


def test_post_editing_another_municipalitys_snapshot_is_404_and_changes_nothing(
    client_as, municipality
):
    client = client_as("kawara")
    snapshot = StatisticsSnapshot.objects.filter(municipality=municipality("佐伯市")).first()
    before_values, before_counts = row_values(snapshot), row_counts()

    response = client.post(
        f"/areas/statistics/{snapshot.pk}/edit/",
        {
            "as_of": "令和6年10月1日",
            "as_of_precision": "day",
            "total_population": "1",
            "source": "x",
        },
    )

    assert response.status_code == 404
    assert row_values(snapshot) == before_values
    assert row_counts() == before_counts


def test_post_editing_another_municipalitys_district_is_404_and_changes_nothing(client_as):
    client = client_as("kawara")
    district = District.objects.get(name="直川地域")
    before_values, before_counts = row_values(district), row_counts()

    response = client.post(
        f"/areas/district/{district.pk}/edit/", area_form_data(district, name="書き換え地域")
    )

    assert response.status_code == 404
    assert row_values(district) == before_values
    assert row_counts() == before_counts


@pytest.mark.parametrize(
    ("username", "own"),
    [("kawara-houkatsu", "香春町"), ("kurume-viewer", "久留米市")],
    ids=["care-centre-staff", "viewer"],
)
def test_area_page_links_only_to_pages_the_user_may_open(client_as, municipality, username, own):
    # given
    client = client_as(username)
    body = client.get(f"/areas/municipality/{municipality(own).pk}/").content.decode()

    # when
    links = sorted(set(re.findall(r'href="(/areas/[^"]*/)"', body)) - {"/areas/"})
    refused = [url for url in links if client.get(url).status_code == 404]

    # then
    assert links
    assert refused == []


def test_dashboard_of_municipality_staff_shows_no_other_municipality(client_as):
    body = client_as("kawara").get("/dashboard/").content.decode()

    assert "香春町" in body
    for other in ALL_MUNICIPALITIES - {"香春町"}:
        assert other not in body


# ---------------------------------------------------------------------------
# Prefecture staff: their prefecture's municipalities, read only
# ---------------------------------------------------------------------------


def test_prefecture_staff_dashboard_shows_their_municipalities_only(client_as):
    response = client_as("fukuoka").get("/dashboard/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "香春町" in body
    assert "久留米市" in body
    assert "佐伯市" not in body
    assert "鹿児島市" not in body


def test_prefecture_staff_area_list_shows_their_municipalities_only(client_as):
    response = client_as("fukuoka").get("/areas/")
    body = response.content.decode()

    assert response.status_code == 200
    assert "香春町" in body
    assert "久留米市" in body
    assert "福岡県" in body
    assert "佐伯市" not in body
    assert "出水市" not in body
    assert "大分県" not in body


@pytest.mark.parametrize("name", ["香春町", "久留米市"])
def test_prefecture_staff_can_open_their_municipalities(client_as, municipality, name):
    response = client_as("fukuoka").get(f"/areas/municipality/{municipality(name).pk}/")

    assert response.status_code == 200


@pytest.mark.parametrize("name", ["佐伯市", "鹿児島市", "出水市"])
def test_prefecture_staff_gets_404_for_municipalities_of_other_prefectures(
    client_as, municipality, name
):
    response = client_as("fukuoka").get(f"/areas/municipality/{municipality(name).pk}/")

    assert response.status_code == 404


def test_prefecture_staff_gets_403_on_a_municipality_edit_page(client_as, municipality):
    response = client_as("fukuoka").get(f"/areas/municipality/{municipality('香春町').pk}/edit/")

    assert response.status_code == 403


def test_prefecture_staff_cannot_edit_a_municipality_and_nothing_changes(client_as, municipality):
    # given
    client = client_as("fukuoka")
    kawara = municipality("香春町")
    before_values, before_counts = row_values(kawara), row_counts()

    # when
    response = client.post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, name="県が変えた町")
    )

    # then
    assert response.status_code == 403
    assert row_values(kawara) == before_values
    assert row_counts() == before_counts


def test_prefecture_staff_gets_403_recording_municipal_statistics_and_nothing_is_saved(
    client_as, municipality
):
    client = client_as("fukuoka")
    kawara = municipality("香春町")
    before = row_counts()

    response = client.post(
        f"/areas/municipality/{kawara.pk}/statistics/new/",
        {
            "as_of": "令和7年1月1日",
            "as_of_precision": "day",
            "total_population": "1",
            "source": "x",
        },
    )

    assert response.status_code == 403
    assert row_counts() == before


def test_prefecture_staff_cannot_record_district_statistics_and_nothing_is_saved(client_as):
    client = client_as("fukuoka")
    district = District.objects.get(name="採銅所地域")
    before = row_counts()

    response = client.post(
        f"/areas/district/{district.pk}/statistics/new/",
        {
            "as_of": "令和7年1月1日",
            "as_of_precision": "day",
            "total_population": "1",
            "source": "x",
        },
    )

    assert response.status_code == 403
    assert row_counts() == before


def test_prefecture_staff_cannot_add_a_municipality_to_another_prefecture(client_as, prefecture):
    client = client_as("fukuoka")
    before = row_counts()

    response = client.post(
        f"/areas/prefecture/{prefecture('大分県').pk}/municipalities/new/",
        {"code": "442011", "name": "大分市"},
    )

    assert response.status_code == 404
    assert row_counts() == before


def test_prefecture_staff_may_edit_their_own_prefecture(client_as, prefecture):
    response = client_as("fukuoka").get(f"/areas/prefecture/{prefecture('福岡県').pk}/edit/")

    assert response.status_code == 200


# ---------------------------------------------------------------------------
# Viewer, advisor, administrator, anonymous
# ---------------------------------------------------------------------------


def test_viewer_can_view_their_municipality(client_as, municipality):
    response = client_as("kurume-viewer").get(f"/areas/municipality/{municipality('久留米市').pk}/")

    assert response.status_code == 200
    assert "区域を編集" not in response.content.decode()


def test_viewer_gets_403_on_the_edit_page(client_as, municipality):
    response = client_as("kurume-viewer").get(
        f"/areas/municipality/{municipality('久留米市').pk}/edit/"
    )

    assert response.status_code == 403


def test_viewer_post_to_edit_is_403_and_changes_nothing(client_as, municipality):
    client = client_as("kurume-viewer")
    kurume = municipality("久留米市")
    before_values, before_counts = row_values(kurume), row_counts()

    response = client.post(
        f"/areas/municipality/{kurume.pk}/edit/", area_form_data(kurume, name="閲覧者市")
    )

    assert response.status_code == 403
    assert row_values(kurume) == before_values
    assert row_counts() == before_counts


def test_viewer_gets_404_for_another_municipality(client_as, municipality):
    response = client_as("kurume-viewer").get(f"/areas/municipality/{municipality('香春町').pk}/")

    assert response.status_code == 404


def test_advisor_sees_no_municipality(client_as, user_named, municipality):
    client = client_as("advisor")

    assert visible_names(user_named("advisor")) == set()
    assert client.get(f"/areas/municipality/{municipality('鹿児島市').pk}/").status_code == 404
    body = client.get("/areas/").content.decode()
    for name in ALL_MUNICIPALITIES:
        assert name not in body


def test_admin_sees_every_municipality(client_as, user_named, municipality):
    client = client_as("admin")
    body = client.get("/areas/").content.decode()

    assert visible_names(user_named("admin")) == ALL_MUNICIPALITIES
    for name in ALL_MUNICIPALITIES:
        assert name in body
        assert client.get(f"/areas/municipality/{municipality(name).pk}/").status_code == 200


def test_admin_may_open_any_edit_page(client_as, municipality):
    response = client_as("admin").get(f"/areas/municipality/{municipality('佐伯市').pk}/edit/")

    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/areas/",
        "/areas/municipality/{saiki}/",
        "/areas/municipality/{saiki}/edit/",
        "/areas/statistics/{snapshot}/edit/",
        "/accounts/settings/",
        "/accounts/password/",
    ],
)
def test_anonymous_user_is_redirected_to_login(client, saiki_urls, url):
    path = url.format(**saiki_urls)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert path in response["Location"].replace("%2F", "/")


def test_anonymous_post_to_edit_is_redirected_and_changes_nothing(client, municipality):
    kawara = municipality("香春町")
    before_values, before_counts = row_values(kawara), row_counts()

    response = client.post(
        f"/areas/municipality/{kawara.pk}/edit/", area_form_data(kawara, name="匿名町")
    )

    assert response.status_code == 302
    assert row_values(kawara) == before_values
    assert row_counts() == before_counts


# ---------------------------------------------------------------------------
# Membership periods
# ---------------------------------------------------------------------------


def _user_with_membership(municipality, **period) -> object:
    user = get_user_model().objects.create_user(username="transferred", password="x")
    Membership.objects.create(
        user=user, role=Role.MUNICIPALITY_STAFF, municipality=municipality, **period
    )
    forget_scope(user)
    return user


def test_membership_that_ended_grants_nothing(client, municipality):
    # given: a transfer (人事異動) ended this membership yesterday
    today = timezone.localdate()
    saiki = municipality("佐伯市")
    user = _user_with_membership(
        saiki,
        starts_on=datetime.date(2020, 4, 1),
        ends_on=today - datetime.timedelta(days=1),
    )
    client.force_login(user)

    # then
    assert visible_names(user) == set()
    assert client.get(f"/areas/municipality/{saiki.pk}/").status_code == 404


def test_membership_ending_today_still_grants_its_scope(municipality):
    today = timezone.localdate()
    user = _user_with_membership(
        municipality("佐伯市"), starts_on=datetime.date(2020, 4, 1), ends_on=today
    )

    assert visible_names(user) == {"佐伯市"}


def test_membership_starting_tomorrow_grants_nothing_yet(municipality):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    user = _user_with_membership(municipality("佐伯市"), starts_on=tomorrow)

    assert visible_names(user) == set()


def test_ending_a_membership_takes_the_scope_away(client_as, user_named, municipality):
    # given
    kawara_user = user_named("kawara")
    client = client_as("kawara")
    kawara = municipality("香春町")
    assert client.get(f"/areas/municipality/{kawara.pk}/").status_code == 200

    # when
    kawara_user.memberships.update(
        starts_on=datetime.date(2020, 4, 1),
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    forget_scope(kawara_user)

    # then
    assert visible_names(kawara_user) == set()
    assert client.get(f"/areas/municipality/{kawara.pk}/").status_code == 404


# ---------------------------------------------------------------------------
# Selectors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", ALL_MUNICIPALITIES),
        ("fukuoka", {"香春町", "久留米市"}),
        ("oita", {"佐伯市"} | OITA_OTHERS),
        ("kagoshima-pref", {"鹿児島市", "出水市"} | KAGOSHIMA_OTHERS),
        ("kawara", {"香春町"}),
        ("kawara-houkatsu", {"香春町"}),
        ("saiki", {"佐伯市"}),
        ("saiki-sc", {"佐伯市"}),
        ("kagoshima", {"鹿児島市"}),
        ("kurume", {"久留米市"}),
        ("izumi", {"出水市"}),
        ("kurume-viewer", {"久留米市"}),
        ("advisor", set()),
    ],
)
def test_municipality_list_visible_to_returns_exactly_the_users_scope(
    user_named, username, expected
):
    assert visible_names(user_named(username)) == expected


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("admin", {"福岡県", "大分県", "鹿児島県"}),
        ("fukuoka", {"福岡県"}),
        ("kagoshima-pref", {"鹿児島県"}),
        ("kawara", set()),
        ("advisor", set()),
    ],
)
def test_prefecture_list_visible_to_returns_exactly_the_users_prefectures(
    user_named, username, expected
):
    names = set(
        prefecture_list_visible_to(user=user_named(username)).values_list("name", flat=True)
    )

    assert names == expected


def test_anonymous_user_sees_no_municipality(db):
    from django.contrib.auth.models import AnonymousUser

    assert visible_names(AnonymousUser()) == set()
