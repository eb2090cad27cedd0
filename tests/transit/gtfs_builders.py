"""Small hand-made GTFS feeds for the transit tests (written to tmp_path, folder or zip)."""

from __future__ import annotations

import zipfile
from pathlib import Path

# Three stops on a line running north from (33.000, 131.000); 0.001° lat ≈ 111 m.
# A at 33.000, B at 33.010 (≈1.1 km), C at 33.020 (≈2.2 km), D far away (demand).
BASE: dict[str, str] = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
    "AG,テスト交通,https://example.invalid,Asia/Tokyo\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
    "A,駅前,33.000,131.000\n"
    "B,市役所,33.010,131.000\n"
    "C,病院,33.020,131.000\n"
    "D,山の上,33.100,131.100\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\n"
    "R1,AG,1,駅前線,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign\n"
    "R1,WD,T1,病院\n"
    "R1,WD,T2,病院\n"
    "R1,WD,T3,駅前\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
    "T1,08:00:00,08:00:00,A,1\n"
    "T1,08:10:00,08:10:00,B,2\n"
    "T1,08:20:00,08:20:00,C,3\n"
    "T2,12:00:00,12:00:00,A,1\n"
    "T2,12:10:00,12:10:00,B,2\n"
    "T2,12:20:00,12:20:00,C,3\n"
    "T3,17:00:00,17:00:00,C,1\n"
    "T3,17:20:00,17:20:00,A,2\n",
    # 2026-12-01 is a Tuesday.
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
    "start_date,end_date\n"
    "WD,1,1,1,1,1,0,0,20260401,20270331\n",
}


def write_feed(
    root: Path, overrides: dict[str, str | bytes | None] | None = None, *, name: str = "feed"
) -> Path:
    """A feed folder: BASE with files replaced (str/bytes) or removed (None)."""
    files: dict[str, str | bytes | None] = {**BASE, **(overrides or {})}
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for filename, content in files.items():
        if content is None:
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / filename).write_bytes(data)
    return folder


def zip_folder(folder: Path, target: Path, *, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            z.write(path, prefix + path.name)
    return target
