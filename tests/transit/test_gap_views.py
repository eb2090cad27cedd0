"""The gap analysis page (/mobility/gap/): scoping, uploads, riders' privacy, .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

FEED_DIR = Path(__file__).parent / "files" / "gap_tiny"
URL = "/mobility/gap/"
EXPORT_URL = "/mobility/gap/export.xlsx"
TUESDAY = "2026-12-01"

POINTS = (
    "id,lat,lon,weight,district\n"
    "p1,33.001,131.900,1,中央\n"
    "p2,33.0065,131.900,2,中央\n"
    "p3,32.995,131.900,3,中央\n"
    "p4,33.000,131.935,4,港町\n"
    "p5,33.030,131.900,10,港町\n"
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def feed(user_named: Callable[[str], Any], municipality: Callable[[str], Any]) -> Any:
    from tsunagu.transit.services import feed_import

    return feed_import(
        path=FEED_DIR, municipality=municipality("佐伯市"), actor=user_named("admin"), name="テスト"
    ).feed


@pytest.fixture
def service(municipality: Callable[[str], Any]) -> Any:
    """A ride service of 佐伯市 run by 直川地域コミュニティ協議会 with 5 riders at p1..p5."""
    from tsunagu.areas.models import District
    from tsunagu.directory.models import Organisation
    from tsunagu.mobility.models import MobilityService, Rider

    saiki = municipality("佐伯市")
    operator = Organisation.objects.get(name="直川地域コミュニティ協議会")
    service = MobilityService.objects.create(
        municipality=saiki, name="テスト輸送", operator=operator
    )
    centre, _ = District.objects.get_or_create(municipality=saiki, name="テスト中央")
    port, _ = District.objects.get_or_create(municipality=saiki, name="テスト港町")
    homes = [
        (33.001, 131.900, centre),
        (33.0065, 131.900, centre),
        (32.995, 131.900, centre),
        (33.000, 131.935, port),
        (33.030, 131.900, port),
    ]
    for k, (lat, lon, district) in enumerate(homes, start=1):
        Rider.objects.create(
            service=service,
            member_number=f"M{k}",
            name=f"利用者{k}",
            name_kana=f"りようしゃ{k}",
            district=district,
            home_latitude=lat,
            home_longitude=lon,
        )
    return service


def upload(text: str, name: str = "points.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def form_data(feed: Any, **extra: Any) -> dict[str, Any]:
    data = {
        "feed": feed.pk,
        "source": "upload",
        "date": TUESDAY,
        "thresholds": "300,500,1000",
        "min_departures": "2",
        "detour_factor": "1.3",
    }
    data.update(extra)
    return data


def test_url_name_and_form_lists_only_visible_feeds(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    assert reverse("transit_gap:analysis") == URL
    page = client_as("saiki").get(URL)
    assert page.status_code == 200
    assert "テスト" in page.content.decode()
    other = client_as("kawara").get(URL)
    assert other.status_code == 200
    assert f'value="{feed.pk}"' not in other.content.decode()


def test_anonymous_user_is_sent_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_feed_of_another_municipality_is_404(feed: Any, client_as: Callable[[str], Client]) -> None:
    client = client_as("kawara")
    assert client.get(URL, {"feed": feed.pk}).status_code == 404
    response = client.post(URL, form_data(feed, points_file=upload(POINTS)))
    assert response.status_code == 404
    assert client.post(EXPORT_URL, form_data(feed, points_file=upload(POINTS))).status_code == 404


def test_uploaded_points_give_the_hand_computed_table(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    # every stop, also 港 (C) which has no departure that day
    response = client_as("saiki").post(
        URL, form_data(feed, points_file=upload(POINTS), stops="all")
    )
    assert response.status_code == 200
    analysis = response.context["analysis"]
    # within 300 m: p1 (1); 500 m: +p2 (2) = 3; 1 km: +p3 (3) = 6 of 20
    assert [b["within"] for b in analysis["total"]["bands"]] == ["1", "3", "6"]
    assert analysis["beyond_last"]["beyond"] == "14"
    assert analysis["beyond_last"]["beyond_pct"] == "70.0"
    assert analysis["total"]["few"] == "16"  # p2, p5 → B (1 departure), p4 → C (0)
    assert {d["name"]: d["weight"] for d in analysis["districts"]} == {"中央": "6", "港町": "14"}
    assert len(analysis["map_data"]["points"]) == 5
    assert [r[3] for r in analysis["point_rows"]] == ["駅前", "市役所", "駅前", "港", "市役所"]
    html = response.content.decode()
    assert "1000 m より遠い" in html
    assert "目安" in html


def test_mesh_population_upload_is_drawn_as_cells(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    from tsunagu.transit.mesh import mesh_code_at

    near, far = mesh_code_at(33.0, 131.9, 5), mesh_code_at(33.05, 131.9, 3)
    text = f"mesh_code,population\n{near},120\n{far},30\n"
    response = client_as("saiki").post(URL, form_data(feed, points_file=upload(text)))
    assert response.status_code == 200
    analysis = response.context["analysis"]
    assert analysis["map_data"]["mode"] == "mesh"
    assert [c["label"] for c in analysis["map_data"]["cells"]] == [near, far]
    assert analysis["threshold_rows"][0][1]["within"] == "120"


def test_bad_file_is_explained_and_the_form_keeps_what_was_typed(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    bad = "id,lat,lon\na,33.0,131.9\nb,abc,131.9\n"
    response = client_as("saiki").post(
        URL, form_data(feed, points_file=upload(bad, "homes.csv"), thresholds="250,750")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "homes.csv 3行目 lat列: 数値ではありません" in html
    assert 'value="250,750"' in html
    assert "analysis" not in response.context


def test_bad_thresholds_and_missing_file_are_form_errors(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    response = client_as("saiki").post(URL, form_data(feed, thresholds="300,abc"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "しきい値「abc」が数値ではありません" in html
    assert "CSV ファイルを選んでください" in html


def test_export_reuses_the_uploaded_file_from_the_session(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    from openpyxl import load_workbook

    client = client_as("saiki")
    first = client.post(URL, form_data(feed, points_file=upload(POINTS)))
    assert first.status_code == 200
    fields = dict(first.context["export_fields"])
    assert fields["use_saved_file"] == "on"
    response = client.post(EXPORT_URL, fields)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["概要", "地区別", "地点別"]
    summary = [list(r) for r in book["概要"].iter_rows(values_only=True)]
    assert ["300 m 以内", 1, 5.0] in summary
    assert ["1000 m より遠い", 14, 70.0] in summary
    points = list(book["地点別"].iter_rows(values_only=True))
    assert points[1][0] == "p1" and points[1][3] == "駅前" and points[1][7] == 2
    districts = list(book["地区別"].iter_rows(values_only=True))
    assert [row[0] for row in districts[1:]] == ["中央", "港町", "全体"]


def test_export_without_a_saved_file_asks_for_it(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    response = client_as("saiki").post(EXPORT_URL, form_data(feed, use_saved_file="on"))
    assert response.status_code == 400
    assert "前回のファイルが見つかりません" in response.content.decode()


def test_export_needs_post(feed: Any, client_as: Callable[[str], Client]) -> None:
    assert client_as("saiki").get(EXPORT_URL).status_code == 405


def test_riders_are_aggregated_for_staff_without_personal_data_rights(
    feed: Any, service: Any, client_as: Callable[[str], Client]
) -> None:
    from tsunagu.accounts.models import PersonalDataReadLog

    before = PersonalDataReadLog.objects.count()
    response = client_as("saiki").post(URL, form_data(feed, source="riders", service=service.pk))
    assert response.status_code == 200
    analysis = response.context["analysis"]
    assert analysis["source"].individual is False
    assert analysis["map_data"]["points"] == []
    assert analysis["map_data"]["mode"] == "cells"
    assert "point_rows" not in analysis
    # 5 homes spread over several 500 m cells: every cell has < 3 riders, so none is shown.
    assert analysis["map_data"]["cells"] == []
    assert analysis["hidden_cells"] == len(analysis["cell_rows"]) > 0
    assert {d["name"]: d["weight"] for d in analysis["districts"]} == {
        "テスト中央": "3",
        "テスト港町": "2",
    }
    html = response.content.decode()
    # The rider ids as words (a random CSRF token may hold the letters "M1" by chance).
    assert not re.search(r"(?<![0-9A-Za-z])M[1-5](?![0-9A-Za-z])", html)
    assert "利用者1" not in html
    assert "33.001" not in html
    assert PersonalDataReadLog.objects.count() == before  # nothing personal was read


def test_riders_export_for_outsiders_has_no_individual_rows(
    feed: Any, service: Any, client_as: Callable[[str], Client]
) -> None:
    from openpyxl import load_workbook

    response = client_as("saiki").post(
        EXPORT_URL, form_data(feed, source="riders", service=service.pk)
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert "地点別" not in book.sheetnames
    rows = list(book["メッシュ別（集計）"].iter_rows(values_only=True))
    assert all(row[1] == "3人未満" and row[2] is None for row in rows[1:])


def test_riders_are_individual_for_the_operating_organisation_and_the_read_is_logged(
    feed: Any, service: Any, client_as: Callable[[str], Client]
) -> None:
    from tsunagu.accounts.models import PersonalDataReadLog

    for username in ("naokawa", "saiki-sc"):
        before = PersonalDataReadLog.objects.count()
        response = client_as(username).post(
            URL, form_data(feed, source="riders", service=service.pk)
        )
        assert response.status_code == 200, username
        analysis = response.context["analysis"]
        assert analysis["source"].individual is True
        assert len(analysis["map_data"]["points"]) == 5
        assert [r[0] for r in analysis["point_rows"]] == ["M1", "M2", "M3", "M4", "M5"]
        assert "利用者1" not in response.content.decode()  # member numbers, never names
        assert PersonalDataReadLog.objects.count() == before + 1


def test_service_of_another_municipality_is_404(
    feed: Any, service: Any, client_as: Callable[[str], Client], municipality: Any
) -> None:
    from django.contrib.auth import get_user_model

    from tsunagu.transit.services import feed_import

    kawara_feed = feed_import(
        path=FEED_DIR,
        municipality=municipality("香春町"),
        actor=get_user_model().objects.get(username="admin"),
        name="香春テスト",
    ).feed
    response = client_as("kawara").post(
        URL, form_data(kawara_feed, source="riders", service=service.pk)
    )
    assert response.status_code == 404


def test_served_only_skips_stops_without_departures(
    feed: Any, client_as: Callable[[str], Client]
) -> None:
    response = client_as("saiki").post(URL, form_data(feed, points_file=upload(POINTS)))
    analysis = response.context["analysis"]
    assert analysis["stop_count"] == 2  # C has no departure (last stop of T1)
    sunday = client_as("saiki").post(
        URL, form_data(feed, points_file=upload(POINTS), stops="served", date="2026-11-29")
    )
    assert sunday.status_code == 400
    assert "この日に便のある停留所がありません" in sunday.content.decode()


def test_date_in_wareki_is_accepted(feed: Any, client_as: Callable[[str], Client]) -> None:
    response = client_as("saiki").post(
        URL, form_data(feed, points_file=upload(POINTS), date="令和8年12月1日")
    )
    assert response.status_code == 200
    assert response.context["analysis"]["date"] == dt.date(2026, 12, 1)


def test_page_says_when_no_feed_is_visible(client_as: Callable[[str], Client]) -> None:
    from tsunagu.transit.models import Feed

    Feed.objects.all().delete()
    response = client_as("kawara").get(URL)
    assert response.status_code == 200
    assert "時刻表データ（GTFS）がまだありません" in response.content.decode()
