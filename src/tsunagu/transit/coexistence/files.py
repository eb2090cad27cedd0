"""Requests CSV in, coexistence list out (.xlsx) — for the 公共交通との共存 page.

CSV columns (header row required; English or Japanese names; extra columns ignored):

=============  ==========  =====================================================
column         Japanese    value
=============  ==========  =====================================================
id             番号         any text (optional; the row number otherwise)
origin_lat     出発地緯度    decimal degrees
origin_lon     出発地経度
dest_lat       目的地緯度
dest_lon       目的地経度
date           日付         2026-12-01, 2026/12/1, 令和8年12月1日 … (optional when
                           the page gives a date)
earliest       出発可能時刻   HH:MM — earliest time to leave the origin
latest         出発期限      HH:MM — latest time to leave the origin
arrive_by      到着期限      HH:MM (optional)
label          メモ         text (optional)
=============  ==========  =====================================================
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

from tsunagu.core import wareki
from tsunagu.core.encoding import decode_spreadsheet_text
from tsunagu.core.errors import TsunaguError
from tsunagu.transit.coexistence.check import CoexistenceReport, TravelRequest
from tsunagu.transit.gtfs.feed import format_time

MAX_ROWS = 5000
ALIASES = {
    "id": ("id", "番号", "no", "ID"),
    "origin_lat": ("origin_lat", "出発地緯度", "出発緯度"),
    "origin_lon": ("origin_lon", "出発地経度", "出発経度"),
    "dest_lat": ("dest_lat", "目的地緯度", "到着地緯度"),
    "dest_lon": ("dest_lon", "目的地経度", "到着地経度"),
    "date": ("date", "日付", "利用日"),
    "earliest": ("earliest", "出発可能時刻", "最早出発"),
    "latest": ("latest", "出発期限", "最遅出発"),
    "arrive_by": ("arrive_by", "到着期限"),
    "label": ("label", "メモ", "備考"),
}
REQUIRED = ("origin_lat", "origin_lon", "dest_lat", "dest_lon", "earliest", "latest")
_TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*$")


class RequestsCsvError(TsunaguError):
    """Every problem of the requests file, one line each (file, row, column)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("依頼の CSV に問題があります。 " + " / ".join(problems[:5]), code="csv")


def _parse_hhmm(value: str) -> int | None:
    m = _TIME.match(value)
    if m is None:
        return None
    hours, minutes = int(m.group(1)), int(m.group(2))
    if minutes > 59 or hours > 47:
        return None
    return hours * 3600 + minutes * 60 + int(m.group(3) or 0)


def parse_requests_csv(
    data: bytes, *, filename: str = "依頼.csv", default_date: dt.date | None = None
) -> list[TravelRequest]:
    """Parse the requests file (UTF-8, BOM and CRLF fine); RequestsCsvError lists all problems."""
    try:
        text = decode_spreadsheet_text(data)[0]
    except UnicodeDecodeError as exc:
        raise RequestsCsvError(
            [f"{filename}: 文字コードを読めません（UTF-8 で保存してください）。"]
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise RequestsCsvError([f"{filename}: 見出し行がありません。"])
    names = [h.strip().lstrip("\ufeff") for h in header]
    index: dict[str, int] = {}
    for key, aliases in ALIASES.items():
        for i, name in enumerate(names):
            if name in aliases or name.lower() in aliases:
                index[key] = i
                break
    missing = [k for k in REQUIRED if k not in index]
    if "date" not in index and default_date is None:
        missing.append("date")
    if missing:
        labels = "、".join(f"{k}（{ALIASES[k][1]}）" for k in missing)
        raise RequestsCsvError([f"{filename} 1行目: 必要な列がありません: {labels}"])
    problems: list[str] = []
    requests: list[TravelRequest] = []

    def cell(row: list[str], key: str) -> str:
        i = index.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(requests) >= MAX_ROWS:
            problems.append(f"{filename}: {MAX_ROWS} 件までにしてください。")
            break
        values: dict[str, Any] = {}
        for key, limit in (
            ("origin_lat", 90),
            ("origin_lon", 180),
            ("dest_lat", 90),
            ("dest_lon", 180),
        ):
            raw = cell(row, key)
            try:
                number = float(raw)
                if not -limit <= number <= limit:
                    raise ValueError
                values[key] = number
            except ValueError:
                problems.append(
                    f'{filename} {line}行目 {names[index[key]]} 列: 緯度・経度の数値ではありません（"{raw}"）。'
                )
        for key in ("earliest", "latest", "arrive_by"):
            raw = cell(row, key)
            if not raw and key == "arrive_by":
                values[key] = None
                continue
            parsed = _parse_hhmm(raw)
            if parsed is None:
                problems.append(
                    f'{filename} {line}行目 {names[index[key]]} 列: 時刻（例 9:30）ではありません（"{raw}"）。'
                )
            values[key] = parsed
        raw_date = cell(row, "date")
        if raw_date:
            try:
                values["date"] = wareki.parse_date(raw_date)
            except wareki.WarekiError:
                problems.append(
                    f'{filename} {line}行目 {names[index["date"]]} 列: 日付ではありません（"{raw_date}"）。'
                )
        else:
            values["date"] = default_date
            if default_date is None:
                problems.append(f"{filename} {line}行目: 日付が空です。")
        if (
            values.get("earliest") is not None
            and values.get("latest") is not None
            and values["earliest"] > values["latest"]
        ):
            problems.append(f"{filename} {line}行目: 出発可能時刻が出発期限より後になっています。")
        if len(problems) >= 100:
            break
        if problems:
            continue
        requests.append(
            TravelRequest(
                ref=cell(row, "id") or str(line - 1),
                origin_lat=values["origin_lat"],
                origin_lon=values["origin_lon"],
                dest_lat=values["dest_lat"],
                dest_lon=values["dest_lon"],
                date=values["date"],
                earliest=values["earliest"],
                latest=values["latest"],
                arrive_by=values["arrive_by"],
                label=cell(row, "label")[:200],
            )
        )
    if problems:
        raise RequestsCsvError(problems)
    if not requests:
        raise RequestsCsvError([f"{filename}: 依頼の行がありません。"])
    return requests


def request_to_dict(r: TravelRequest) -> dict[str, Any]:
    """JSON-safe form (kept in the session so the list can be exported without re-uploading)."""
    return {
        "ref": r.ref,
        "origin_lat": r.origin_lat,
        "origin_lon": r.origin_lon,
        "dest_lat": r.dest_lat,
        "dest_lon": r.dest_lon,
        "date": r.date.isoformat(),
        "earliest": r.earliest,
        "latest": r.latest,
        "arrive_by": r.arrive_by,
        "label": r.label,
    }


def request_from_dict(d: dict[str, Any]) -> TravelRequest:
    return TravelRequest(
        ref=str(d["ref"]),
        origin_lat=float(d["origin_lat"]),
        origin_lon=float(d["origin_lon"]),
        dest_lat=float(d["dest_lat"]),
        dest_lon=float(d["dest_lon"]),
        date=dt.date.fromisoformat(d["date"]),
        earliest=int(d["earliest"]),
        latest=int(d["latest"]),
        arrive_by=None if d.get("arrive_by") is None else int(d["arrive_by"]),
        label=str(d.get("label", "")),
    )


def report_xlsx(report: CoexistenceReport, *, feed_names: Iterable[str]) -> bytes:
    """Two sheets: per request (best option) and every option, plus a summary header."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from tsunagu.core.spreadsheet import append_row

    wb = Workbook()
    ws = wb.active
    ws.title = "依頼ごと"
    bold = Font(bold=True)
    append_row(ws, ["公共交通との共存（既存路線で移動できる依頼）"])
    ws["A1"].font = Font(bold=True, size=14)
    append_row(ws, ["対象の公共交通データ", "、".join(feed_names)])
    append_row(
        ws,
        [
            "徒歩圏（直線距離）",
            f"{report.walk_m:.0f} m",
            "歩く速さ",
            f"{report.walk_m_per_min:.0f} m/分",
        ],
    )
    append_row(
        ws,
        [
            "公共交通で移動できる依頼",
            f"{report.with_alternative} / {report.total} 件",
            "割合",
            f"{report.share * 100:.1f}%",
        ],
    )
    append_row(ws, [])
    header = [
        "番号", "メモ", "日付", "出発可能", "出発期限", "公共交通", "路線", "行先", "予約が必要",
        "乗る停留所", "乗車時刻", "乗る停留所まで(m)", "降りる停留所", "降車時刻",
        "降りる停留所から(m)", "ほかの便の数",
    ]  # fmt: skip
    append_row(ws, header)
    for cell in ws[ws.max_row]:
        cell.font = bold
    for r in report.results:
        q = r.request
        base = [q.ref, q.label, q.date.isoformat(), format_time(q.earliest), format_time(q.latest)]
        best = r.best
        if best is None:
            append_row(ws, [*base, "なし"])
            continue
        append_row(
            ws,
            [
                *base,
                "あり",
                best.route_name,
                best.headsign,
                "はい" if best.is_demand else "",
                best.board_stop_name,
                best.board_time_text,
                round(best.walk_to_board_m),
                best.alight_stop_name,
                best.alight_time_text,
                round(best.walk_from_alight_m),
                len(r.options) - 1,
            ],
        )
    detail = wb.create_sheet("便の一覧")
    append_row(detail,
        ["番号", "日付", "路線", "行先", "予約が必要", "便ID", "乗る停留所", "乗車時刻",
         "乗る停留所まで(m)", "降りる停留所", "降車時刻", "降りる停留所から(m)", "データ"]
    )  # fmt: skip
    for cell in detail[1]:
        cell.font = bold
    for r in report.results:
        for o in r.options:
            append_row(
                detail,
                [
                    r.request.ref,
                    r.request.date.isoformat(),
                    o.route_name,
                    o.headsign,
                    "はい" if o.is_demand else "",
                    o.trip_id,
                    o.board_stop_name,
                    o.board_time_text,
                    round(o.walk_to_board_m),
                    o.alight_stop_name,
                    o.alight_time_text,
                    round(o.walk_from_alight_m),
                    o.feed_name,
                ],
            )
    for sheet in (ws, detail):
        for column in sheet.columns:
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = 16
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
