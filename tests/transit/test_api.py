"""Transit API: feeds, stops/routes on a day, import (good, broken, forbidden), coexistence."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.transit.gtfs_builders import write_feed, zip_folder
from tsunagu.demo.transit_loader import DEMO_FEED_NAME
from tsunagu.transit.models import Feed

pytestmark = pytest.mark.django_db
API = "/api/v1/transit"


def _demo_feed() -> Feed:
    return Feed.objects.get(name=DEMO_FEED_NAME)


def test_feed_list_is_scoped(client_as: Callable[[str], Any]) -> None:
    names = [f["name"] for f in client_as("saiki").get(f"{API}/feeds").json()]
    assert DEMO_FEED_NAME in names
    assert DEMO_FEED_NAME not in [f["name"] for f in client_as("kawara").get(f"{API}/feeds").json()]


def test_feed_of_another_municipality_is_404(client_as: Callable[[str], Any]) -> None:
    pk = _demo_feed().pk
    assert client_as("kawara").get(f"{API}/feeds/{pk}").status_code == 404
    assert client_as("kawara").get(f"{API}/feeds/{pk}/stops").status_code == 404


def test_stops_carry_departures_for_the_date(client_as: Callable[[str], Any]) -> None:
    pk = _demo_feed().pk
    stops = client_as("saiki").get(f"{API}/feeds/{pk}/stops", {"date": "2026-12-01"}).json()
    by_id = {s["stop_id"]: s for s in stops}
    # 佐伯駅前: 5 weekday departures of the community bus + 7 runs of the hourly town loop
    assert by_id["S01"]["departures"] == 12
    assert by_id["D01"]["kind"] == "demand_stop"
    routes = client_as("saiki").get(f"{API}/feeds/{pk}/routes", {"date": "2026-12-05"}).json()
    assert {r["route_id"]: r["trips"] for r in routes} == {"R1": 4, "R2": 0, "R3": 0}


def test_import_via_api_and_broken_feed_422(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    client = client_as("saiki")
    saiki = municipality("佐伯市")
    good = zip_folder(write_feed(tmp_path, name="good"), tmp_path / "good.zip")
    response = client.post(
        f"{API}/feeds",
        {
            "file": SimpleUploadedFile("good.zip", good.read_bytes()),
            "municipality_id": saiki.pk,
            "name": "API路線",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["stop_count"] == 4
    # The test feed has no feed_info.txt: imported, with one warning saying so.
    assert response.json()["warning_count"] == 1
    assert response.json()["warnings"] == [
        {
            "file": "feed_info.txt",
            "line": None,
            "column": None,
            "message": "feed_info.txt がありません（GTFS-JP では必須です）。"
            "提供者・版・有効期間なしで取り込みました。",
        }
    ]
    feed_id = response.json()["id"]
    assert client.get(f"{API}/feeds/{feed_id}").json()["warning_count"] == 1
    broken = zip_folder(
        write_feed(
            tmp_path,
            {"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
             "T1,08:00:00,08:00:00,Q,1\n"},
            name="broken",
        ),
        tmp_path / "broken.zip",
    )  # fmt: skip
    response = client.post(
        f"{API}/feeds",
        {
            "file": SimpleUploadedFile("broken.zip", broken.read_bytes()),
            "municipality_id": saiki.pk,
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors[0]["label"] == "stop_times.txt 2行目 stop_id"
    assert errors[0]["message"] == 'stop_times.txt 2行目: stop_id "Q" が stops.txt にありません。'


def test_import_for_another_municipality_is_403_and_writes_nothing(
    client_as: Callable[[str], Any], tmp_path: Path, municipality: Callable[[str], Any]
) -> None:
    before = Feed.objects.count()
    good = zip_folder(write_feed(tmp_path), tmp_path / "good.zip")
    response = client_as("kawara").post(
        f"{API}/feeds",
        {
            "file": SimpleUploadedFile("good.zip", good.read_bytes()),
            "municipality_id": municipality("佐伯市").pk,
        },
    )
    assert response.status_code == 403
    assert Feed.objects.count() == before


def test_coexistence_endpoint(client_as: Callable[[str], Any]) -> None:
    payload = {
        "feed_ids": [_demo_feed().pk],
        "walk_m": 500,
        "requests": [
            {
                "ref": "a",
                "origin_lat": 32.9597,
                "origin_lon": 131.9010,
                "dest_lat": 32.8910,
                "dest_lon": 131.7905,
                "date": "2026-12-01",
                "earliest": "08:30",
                "latest": "12:00",
            },
            {
                "ref": "b",
                "origin_lat": 33.05,
                "origin_lon": 131.6,
                "dest_lat": 32.9597,
                "dest_lon": 131.9003,
                "date": "2026-12-01",
                "earliest": "08:00",
                "latest": "12:00",
            },
        ],
    }
    response = client_as("saiki").post(
        f"{API}/coexistence", payload, content_type="application/json"
    )
    body = response.json()
    assert response.status_code == 200, body
    assert (body["total"], body["with_alternative"], body["share"]) == (2, 1, 0.5)
    first = body["results"][0]["options"][0]
    assert (first["board_stop_name"], first["board_time"]) == ("佐伯駅前", "09:10")
    # a feed the user cannot see answers 404
    other = client_as("kawara").post(f"{API}/coexistence", payload, content_type="application/json")
    assert other.status_code == 404


def test_coexistence_bad_time_is_422(client_as: Callable[[str], Any]) -> None:
    payload = {
        "feed_ids": [_demo_feed().pk],
        "requests": [
            {
                "origin_lat": 32.9,
                "origin_lon": 131.9,
                "dest_lat": 32.9,
                "dest_lon": 131.8,
                "date": "2026-12-01",
                "earliest": "朝",
                "latest": "12:00",
            }
        ],
    }
    response = client_as("saiki").post(
        f"{API}/coexistence", payload, content_type="application/json"
    )
    assert response.status_code == 422
