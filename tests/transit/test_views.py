"""Transit pages: list, import (good and broken upload), feed page, coexistence, scoping."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tests.transit.gtfs_builders import write_feed, zip_folder
from tsunagu.demo.transit_loader import DEMO_FEED_NAME
from tsunagu.transit.models import Feed, Stop

pytestmark = pytest.mark.django_db


def _demo_feed() -> Feed:
    return Feed.objects.get(name=DEMO_FEED_NAME)


def _zip_upload(tmp_path: Path, overrides: dict[str, Any] | None = None) -> SimpleUploadedFile:
    path = zip_folder(write_feed(tmp_path, overrides), tmp_path / "upload.zip")
    return SimpleUploadedFile("路線データ.zip", path.read_bytes(), content_type="application/zip")


def test_feed_list_shows_own_municipality_feed_only(client_as: Callable[[str], Any]) -> None:
    url = reverse("transit:feed_list")
    assert DEMO_FEED_NAME in client_as("saiki").get(url).content.decode()
    assert DEMO_FEED_NAME not in client_as("kawara").get(url).content.decode()


def test_feed_page_of_another_municipality_is_404(client_as: Callable[[str], Any]) -> None:
    url = reverse("transit:feed_detail", args=[_demo_feed().pk])
    assert client_as("kawara").get(url).status_code == 404


def test_feed_page_shows_departures_for_the_chosen_date(client_as: Callable[[str], Any]) -> None:
    url = reverse("transit:feed_detail", args=[_demo_feed().pk])
    # 2026-12-01 is a Tuesday: weekday service + demand bus (Tue/Thu) + town loop.
    page = client_as("saiki").get(url, {"date": "2026-12-01"}).content.decode()
    assert "令和8年12月1日の運行" in page
    assert "transit-map-data" in page
    assert "デマンド停留所" in page
    assert "これはデモ用の合成データです" in page
    # a holiday removed by calendar_dates
    holiday = client_as("saiki").get(url, {"date": "令和8年11月23日"}).content.decode()
    assert "この日に運行する便はありません" in holiday


def test_feed_page_bad_date_keeps_input_and_says_why(client_as: Callable[[str], Any]) -> None:
    url = reverse("transit:feed_detail", args=[_demo_feed().pk])
    page = client_as("saiki").get(url, {"date": "12月40日"}).content.decode()
    assert 'value="12月40日"' in page
    assert "入力内容を確認してください" in page


def test_import_page_stores_an_uploaded_zip(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    saiki = municipality("佐伯市")
    response = client_as("saiki").post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path), "municipality": saiki.pk, "name": "画面から"},
    )
    feed = Feed.objects.get(name="画面から", municipality=saiki)
    assert response.status_code == 302
    assert response["Location"] == reverse("transit:feed_detail", args=[feed.pk])
    assert feed.source_filename == "路線データ.zip"
    assert Stop.objects.filter(feed=feed).count() == 4


def test_import_page_lists_problems_by_file_and_line(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    saiki = municipality("佐伯市")
    stops = "stop_id,stop_name,stop_lat,stop_lon\nA,駅前,北緯33度,131.0\n"
    response = client_as("saiki").post(
        reverse("transit:feed_import"),
        {
            "file": _zip_upload(tmp_path, {"stops.txt": stops}),
            "municipality": saiki.pk,
            "name": "壊れ",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "stops.txt" in page and "stop_lat が数値ではありません" in page
    assert 'value="壊れ"' in page  # what was typed is kept
    assert not Feed.objects.filter(name="壊れ").exists()


def test_import_with_warnings_says_so_and_the_feed_page_lists_them(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    saiki = municipality("佐伯市")
    trips = "route_id,service_id,trip_id,direction_id\nR1,WD,T1,0\nR1,WD,T2,5\nR1,WD,T3,1\n"
    client = client_as("saiki")
    response = client.post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path, {"trips.txt": trips}), "municipality": saiki.pk,
         "name": "注意つき"},
        follow=True,
    )  # fmt: skip
    feed = Feed.objects.get(name="注意つき", municipality=saiki)
    page = response.content.decode()
    assert response.status_code == 200
    assert feed.warning_count == 2  # direction_id 5 and no feed_info.txt
    assert "直すと良い点が 2 件あります" in page
    assert "取り込み時の注意（2 件）" in page
    assert "direction_id の値 &quot;5&quot; は GTFS の決まりにありません" in page
    assert '<td>trips.txt</td><td class="num">3</td><td>direction_id</td>' in page


def test_refused_import_also_shows_what_would_be_warned(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    stop_times = (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,8:00:00,8:00:00,Q,1\n"
    )
    response = client_as("saiki").post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path, {"stop_times.txt": stop_times}),
         "municipality": municipality("佐伯市").pk, "name": "だめ"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "stop_id &quot;Q&quot; が stops.txt にありません" in page
    assert "feed_info.txt がありません" in page  # listed apart, as a warning
    assert not Feed.objects.filter(name="だめ").exists()


def test_import_for_another_municipality_is_refused(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    response = client_as("kawara").post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path), "municipality": municipality("佐伯市").pk, "name": "x"},
    )
    assert response.status_code == 200  # the form says the choice is not allowed
    assert "正しく選択してください" in response.content.decode()
    assert not Feed.objects.filter(name="x").exists()


def test_viewer_without_edit_rights_gets_403_on_import(client_as: Callable[[str], Any]) -> None:
    assert client_as("kurume-viewer").get(reverse("transit:feed_import")).status_code == 403


def test_delete_needs_edit_rights(client_as: Callable[[str], Any]) -> None:
    feed = _demo_feed()
    url = reverse("transit:feed_delete", args=[feed.pk])
    assert client_as("kawara").post(url).status_code == 404
    assert Feed.objects.filter(pk=feed.pk).exists()
    assert client_as("saiki").post(url).status_code == 302
    assert not Feed.objects.filter(pk=feed.pk).exists()


COEXISTENCE_CSV = (
    "\ufeff番号,出発地緯度,出発地経度,目的地緯度,目的地経度,日付,出発可能時刻,出発期限,メモ\r\n"
    # near 横川公民館 (demand stop) → 直川支所前, Tuesday morning: the demand bus
    "1,32.8752,131.7652,32.8930,131.7935,2026-12-01,7:30,9:00,通院\r\n"
    # near 佐伯駅前 → 直川診療所前, weekday 8:30–12:00: community bus 9:10
    "2,32.9597,131.9010,32.8910,131.7905,2026-12-01,8:30,12:00,買い物\r\n"
    # far up a valley: nothing
    "3,33.0500,131.6000,32.9597,131.9003,2026-12-01,8:00,12:00,\r\n"
)


def _post_coexistence(client: Any, csv_text: str, **extra: Any) -> Any:
    upload = SimpleUploadedFile("依頼.csv", csv_text.encode("utf-8"), content_type="text/csv")
    data = {"feeds": [_demo_feed().pk], "requests_file": upload, "walk_m": "500", **extra}
    return client.post(reverse("transit:coexistence"), data)


def test_coexistence_lists_alternatives_and_share(client_as: Callable[[str], Any]) -> None:
    client = client_as("saiki")
    page = _post_coexistence(client, COEXISTENCE_CSV).content.decode()
    assert "3 件の依頼のうち 2 件（66.7%）は、今ある公共交通で移動できます。" in page
    assert "直川地区デマンドバス" in page and "要予約" in page
    assert "佐伯駅前 09:10 発" in page
    # and the same list as .xlsx
    response = client.get(reverse("transit:coexistence_export"))
    sheet = load_workbook(io.BytesIO(response.content))["依頼ごと"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[3][:2] == ("公共交通で移動できる依頼", "2 / 3 件")
    assert [r[5] for r in rows[6:9]] == ["あり", "あり", "なし"]


def test_coexistence_csv_problem_names_row_and_column(client_as: Callable[[str], Any]) -> None:
    bad = COEXISTENCE_CSV.replace("131.7652", "東経131度", 1)
    page = _post_coexistence(client_as("saiki"), bad, walk_m="400").content.decode()
    assert (
        "依頼.csv 2行目 出発地経度 列: 緯度・経度の数値ではありません（&quot;東経131度&quot;）。"
        in page
    )
    assert 'value="400"' in page


def test_coexistence_cannot_use_a_feed_of_another_municipality(
    client_as: Callable[[str], Any],
) -> None:
    page = _post_coexistence(client_as("kawara"), COEXISTENCE_CSV).content.decode()
    assert "件の依頼のうち" not in page
    assert "正しく選択してください" in page


def test_coexistence_export_without_a_check_redirects(client_as: Callable[[str], Any]) -> None:
    response = client_as("saiki").get(reverse("transit:coexistence_export"))
    assert response.status_code == 302


def test_sample_csv_is_accepted_by_the_check(client_as: Callable[[str], Any]) -> None:
    client = client_as("saiki")
    sample = client.get(reverse("transit:coexistence_sample")).content.decode("utf-8")
    page = _post_coexistence(client, sample).content.decode()
    assert "2 件の依頼のうち" in page


def test_area_check_lists_routes_in_a_planned_area(client_as: Callable[[str], Any]) -> None:
    # a circle around 直川支所前 (S14): the community bus and the demand bus both stop there
    params = {
        "feeds": _demo_feed().pk,
        "centre_lat": "32.8930",
        "centre_lon": "131.7935",
        "radius_m": "3000",
        "date": "2026-12-01",
    }
    page = client_as("saiki").get(reverse("transit:coexistence_area"), params).content.decode()
    assert "佐伯駅前〜弥生〜直川" in page and "直川地区デマンドバス" in page
    assert "直川支所前" in page


def test_area_check_needs_a_district_or_a_centre(client_as: Callable[[str], Any]) -> None:
    params = {"feeds": _demo_feed().pk, "radius_m": "1000", "date": "2026-12-01"}
    page = client_as("saiki").get(reverse("transit:coexistence_area"), params).content.decode()
    assert "地区を選ぶか、中心の緯度と経度の両方を入力してください。" in page


def test_coexistence_page_preselects_a_feed_and_ignores_a_bad_one(
    client_as: Callable[[str], Any],
) -> None:
    client = client_as("saiki")
    url = reverse("transit:coexistence")
    page = client.get(url, {"feed": _demo_feed().pk}).content.decode()
    assert "checked" in page
    assert client.get(url, {"feed": "abc"}).status_code == 200


def test_ids_too_long_to_store_are_a_form_error_not_a_crash(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    from tests.transit.gtfs_builders import BASE

    long_id = "停" * 100
    stops = BASE["stops.txt"] + f"{long_id}1,遠く1,33.1,131.1\n{long_id}2,遠く2,33.1,131.1\n"
    response = client_as("saiki").post(
        reverse("transit:feed_import"),
        {"file": _zip_upload(tmp_path, {"stops.txt": stops}),
         "municipality": municipality("佐伯市").pk, "name": "長いID"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "stops.txt の stop_id が長すぎて（100文字超）区別できません" in response.content.decode()
    assert not Feed.objects.filter(name="長いID").exists()
