"""Gap analysis page (交通空白の分析): distance from people to the nearest stop of an imported
feed, that stop's departures on a day, shares beyond distance thresholds, per district, on a
map and as .xlsx.

Points come from an uploaded CSV (``id,lat,lon[,weight][,district]`` or
``mesh_code,population``) or from the registered riders (利用会員) of a mobility service.
The riders come from the mobility app, which sits above transit: it registers a
:class:`RiderSource` under :data:`RIDER_SOURCE_HOOK` (``tsunagu.mobility.rides.gap_riders``), and
without one the page offers files only. Riders' homes are personal data: only users who may
see the riders get individual points (the read is logged); everyone else gets counts per
district and per 500 m mesh, with cells of fewer than :data:`MIN_CELL_COUNT` riders hidden.

Nothing is written to the database: an analysis is a computation over the stored feed. The
uploaded file is kept in the session so the same analysis can be exported without choosing
the file again.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import numpy as np
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tsunagu.core.errors import TsunaguError
from tsunagu.core.forms import WarekiDateField
from tsunagu.core.jobs.files import INPUT_FILE, job_input_file_save
from tsunagu.core.jobs.models import Job
from tsunagu.core.jobs.services import job_enqueue
from tsunagu.core.plugins import hooks
from tsunagu.transit.gap import compute
from tsunagu.transit.mesh import mesh_codes_at, parse_mesh_code
from tsunagu.transit.selectors import feed_get_for_user, feed_list_visible_to, gtfs_for_feed
from tsunagu.transit.walking import walk_m_per_min

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_THRESHOLDS = 6
# Individual points drawn on the map; above this the map shows 500 m mesh cells instead.
MAP_POINT_LIMIT = 3000
# Rows of the map's text alternative and of the on-page point table.
TABLE_ROW_LIMIT = 500
# Aggregated riders: cells with fewer riders are not shown (a cell of 1–2 homes is almost an
# address).
MIN_CELL_COUNT = 3
AGGREGATE_MESH_LEVEL = 4  # 2分の1地域メッシュ (~500 m)
SESSION_UPLOAD_KEY = "transit_gap_upload"
# Okabe–Ito colours (distinguishable with colour-vision deficiencies), nearest band first.
BAND_COLOURS = ("#0072B2", "#56B4E9", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#000000")

SOURCE_UPLOAD = "upload"
SOURCE_RIDERS = "riders"
# Which stops count: by default only those with a departure on the date (a stop served on
# other days only is no help that day); every stop is an explicit, labelled choice.
STOPS_SERVED = "served"
STOPS_ALL = "all"
STOPS_LABELS = {
    STOPS_SERVED: gettext_lazy("この日に便のある停留所だけ（おすすめ）"),
    STOPS_ALL: gettext_lazy("すべての停留所（この日に便のない停留所も含む）"),
}


# ---- form --------------------------------------------------------------------------------


class GapForm(forms.Form):
    feed = forms.ModelChoiceField(
        label=gettext_lazy("時刻表データ（GTFS）"),
        queryset=None,
        empty_label=gettext_lazy("選んでください"),
    )
    source = forms.ChoiceField(
        label=gettext_lazy("分析する人・地点"),
        choices=[
            (SOURCE_UPLOAD, gettext_lazy("ファイル（地点の CSV またはメッシュ人口の CSV）")),
            (SOURCE_RIDERS, gettext_lazy("移動支援の利用会員の自宅")),
        ],
        initial=SOURCE_UPLOAD,
        widget=forms.RadioSelect,
    )
    points_file = forms.FileField(
        label=gettext_lazy("CSV ファイル"),
        required=False,
        help_text=gettext_lazy(
            "1行目は見出しです。地点なら id,lat,lon（緯度・経度、任意で weight＝人数、district＝地区）、"
            "メッシュ人口なら mesh_code,population（地域メッシュコードと人口）。UTF-8 の CSV。"
        ),
    )
    service = forms.ModelChoiceField(
        label=gettext_lazy("移動支援の取組（利用会員）"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("選んでください"),
    )
    date = WarekiDateField(
        label=gettext_lazy("便数を数える日"),
        help_text=gettext_lazy(
            "この日に出る便を数えます（曜日で便数が変わります）。例: 令和8年12月1日"
        ),
    )
    stops = forms.ChoiceField(
        label=gettext_lazy("数える停留所"),
        choices=list(STOPS_LABELS.items()),
        initial=STOPS_SERVED,
        required=False,  # not sent (an old bookmark, the API): the default
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "便のない停留所を数えると、その日は乗れないのに「近い」と数えてしまいます。"
        ),
    )
    thresholds = forms.CharField(
        label=gettext_lazy("距離のしきい値（m）"),
        initial="300,500,1000",
        max_length=100,
        help_text=gettext_lazy("カンマで区切って入力します。例: 300,500,1000"),
    )
    min_departures = forms.IntegerField(
        label=gettext_lazy("少ないとみなす便数"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=gettext_lazy(
            "最寄りの停留所の1日の便数がこれ未満の人を数えます（空欄なら数えません）。"
        ),
    )
    detour_factor = forms.DecimalField(
        label=gettext_lazy("道のりの係数"),
        initial="1.3",
        min_value=1,
        max_value=3,
        decimal_places=2,
        help_text=gettext_lazy("歩く道のり＝直線距離×この係数（目安）。"),
    )

    def __init__(self, *args: Any, user: Any, saved_name: str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.saved_name = saved_name
        self.fields["feed"].queryset = feed_list_visible_to(user=user)
        services = _services_for(user)
        self.fields["service"].queryset = services
        if saved_name:
            self.fields["use_saved_file"] = forms.BooleanField(
                label=_("前回選んだファイルをもう一度使う"),
                required=False,
                help_text=_("前回のファイル: %(name)s") % {"name": saved_name},
            )
            order = list(self.fields)
            order.remove("use_saved_file")
            order.insert(order.index("points_file") + 1, "use_saved_file")
            self.order_fields(order)
        if services is None or not services.exists():
            # No service visible: offer files only.
            del self.fields["service"]
            self.fields["source"].choices = self.fields["source"].choices[:1]
        self.fields["date"].initial = timezone.localdate()
        self.fields["detour_factor"].help_text = _(
            "歩く道のり＝直線距離×この係数（目安）。歩く時間は徒歩 分速%(speed)sm で計算します。"
        ) % {"speed": _speed_text()}
        feeds = self.fields["feed"].queryset
        if not self.is_bound and "feed" not in self.initial and len(feeds[:2]) == 1:
            self.initial["feed"] = feeds[0]  # the only feed: nothing to choose
        for name in ("thresholds", "detour_factor"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"

    def clean_points_file(self) -> Any:
        upload = self.cleaned_data.get("points_file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("ファイルが大きすぎます（%(size)s MB まで）。")
                % {"size": MAX_UPLOAD_BYTES // 2**20}
            )
        return upload

    def clean_stops(self) -> str:
        return self.cleaned_data.get("stops") or STOPS_SERVED

    def clean_thresholds(self) -> tuple[float, ...]:
        try:
            values = compute.parse_thresholds(self.cleaned_data["thresholds"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        if len(values) > MAX_THRESHOLDS:
            raise forms.ValidationError(
                _("しきい値は %(n)s 個までにしてください。") % {"n": MAX_THRESHOLDS}
            )
        return values

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("source") == SOURCE_RIDERS:
            if not data.get("service"):
                self.add_error("service", _("利用会員を分析する取組を選んでください。"))
        elif not data.get("points_file") and not data.get("use_saved_file"):
            if self.data.get("use_saved_file") and not self.saved_name:
                # The session expired (or another browser): the saved file is gone.
                self.add_error(
                    "points_file",
                    _("前回のファイルが見つかりません。もう一度ファイルを選んでください。"),
                )
            else:
                self.add_error("points_file", _("CSV ファイルを選んでください。"))
        return data


def _speed_text() -> str:
    """The configured walking speed without a trailing ".0" (80, 67.5)."""
    return f"{walk_m_per_min():g}"


class RiderSource(Protocol):
    """What an app holding riders (利用会員) gives the gap analysis."""

    def services_visible_to(self, user: Any) -> Any:
        """The services whose riders the user may analyse (a QuerySet for the form)."""

    def service_get_for_user(self, user: Any, pk: int) -> Any:
        """One of them, or NotFound (also when out of the user's scope)."""

    def points(self, request: HttpRequest, service: Any) -> PointSource:
        """The riders' homes, individual only for users who may see the riders."""


# A function returning the RiderSource; registered by the mobility app.
RIDER_SOURCE_HOOK = "transit_gap_rider_source"


def _rider_source() -> RiderSource | None:
    found = hooks(RIDER_SOURCE_HOOK)
    return found[0]() if found else None


def _services_for(user: Any) -> Any:
    source = _rider_source()
    return source.services_visible_to(user) if source is not None else None


# ---- points from the chosen source ---------------------------------------------------------


@dataclass
class PointSource:
    """The points of one analysis and how much of them this user may see."""

    points: compute.Points
    kind: str  # "points" | "mesh" | "riders"
    name: str  # file name or service name
    individual: bool  # False: show aggregates only (riders for users outside the operator)


def _upload_points(request: HttpRequest, form: GapForm) -> PointSource:
    upload = form.cleaned_data.get("points_file")
    if upload is not None:
        data = upload.read()
        name = upload.name
    else:
        saved = request.session.get(SESSION_UPLOAD_KEY) or {}
        if not saved:
            raise TsunaguError(
                _("前回のファイルが見つかりません。もう一度ファイルを選んでください。"),
                field="points_file",
            )
        data = base64.b64decode(saved["data"])
        name = saved["name"]
    points, kind = compute.read_points_csv(data, name)
    if upload is not None:
        request.session[SESSION_UPLOAD_KEY] = {
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
        }
        request._gap_saved = True  # type: ignore[attr-defined]
    return PointSource(points=points, kind=kind, name=name, individual=True)


# ---- presentation helpers --------------------------------------------------------------


def _bands(thresholds: tuple[float, ...]) -> list[dict[str, str]]:
    labels = compute.band_labels(thresholds)
    texts = [_("%(m)s m 以内") % {"m": compute.format_count(t)} for t in thresholds]
    texts.append(_("%(m)s m より遠い") % {"m": compute.format_count(thresholds[-1])})
    return [
        {"label": label, "text": text, "colour": BAND_COLOURS[k % len(BAND_COLOURS)]}
        for k, (label, text) in enumerate(zip(labels, texts, strict=True))
    ]


def _group_row(group: compute.GroupSummary) -> dict[str, Any]:
    return {
        "name": group.name,
        "points": group.points,
        "weight": compute.format_count(group.weight),
        "bands": [
            {
                "within": compute.format_count(b.within),
                "within_pct": f"{b.within_share * 100:.1f}",
                "beyond": compute.format_count(b.beyond),
                "beyond_pct": f"{b.beyond_share * 100:.1f}",
            }
            for b in group.bands
        ],
        "few": compute.format_count(group.few_departures)
        if group.few_departures is not None
        else None,
        "few_pct": f"{(group.few_departures_share or 0) * 100:.1f}"
        if group.few_departures is not None
        else None,
        "median_m": round(group.median_distance_m) if group.median_distance_m is not None else None,
    }


def _cells(source: PointSource, result: compute.GapResult) -> list[dict[str, Any]]:
    """Points aggregated to 500 m mesh cells: count, median distance, band of the median."""
    points = source.points
    codes = mesh_codes_at(points.lat, points.lon, AGGREGATE_MESH_LEVEL)
    unique, inverse = np.unique(codes, return_inverse=True)
    thresholds = np.asarray(result.thresholds_m)
    cells = []
    for k, code in enumerate(unique.tolist()):
        mask = inverse == k
        weight = float(points.weight[mask].sum())
        distances = result.distance_m[mask]
        median = float(np.median(distances))
        mesh = parse_mesh_code(str(code))
        hidden = not source.individual and weight < MIN_CELL_COUNT
        cells.append(
            {
                "code": str(code),
                "bounds": mesh.bounds,
                "weight": compute.format_count(weight),
                "weight_value": weight,
                "hidden": hidden,
                "median_m": None if hidden else round(median),
                "band": None if hidden else int(np.searchsorted(thresholds, median, side="left")),
            }
        )
    return cells


def _map_data(
    source: PointSource,
    result: compute.GapResult,
    stops: compute.Stops,
    bands: list[dict[str, str]],
) -> dict[str, Any]:
    points = source.points
    data: dict[str, Any] = {
        "bands": bands,
        "stops": [
            [round(float(a), 6), round(float(b), 6), str(n), int(d)]
            for a, b, n, d in zip(stops.lat, stops.lon, stops.names, stops.departures, strict=True)
        ],
        "points": [],
        "cells": [],
        "mode": "points",
    }
    if source.kind == "mesh":
        data["mode"] = "mesh"
        for k, label in enumerate(points.labels if points.labels is not None else []):
            mesh = parse_mesh_code(str(label))
            data["cells"].append(
                {
                    "bounds": mesh.bounds,
                    "band": int(result.band[k]),
                    "label": str(label),
                    "weight": compute.format_count(float(points.weight[k])),
                    "distance": round(float(result.distance_m[k])),
                }
            )
    elif source.individual and len(points) <= MAP_POINT_LIMIT:
        data["points"] = [
            [round(float(a), 6), round(float(b), 6), int(band), round(float(d))]
            for a, b, band, d in zip(
                points.lat, points.lon, result.band, result.distance_m, strict=True
            )
        ]
    else:
        data["mode"] = "cells"
        for cell in _cells(source, result):
            if cell["hidden"]:
                continue
            data["cells"].append(
                {
                    "bounds": cell["bounds"],
                    "band": cell["band"],
                    "label": cell["code"],
                    "weight": cell["weight"],
                    "distance": cell["median_m"],
                }
            )
    return data


def _point_rows(
    source: PointSource, result: compute.GapResult, limit: int | None
) -> list[list[Any]]:
    """Per-point rows (label, district, stop, distance, walking, departures, band)."""
    points = source.points
    labels = compute.band_labels(result.thresholds_m)
    n = len(points) if limit is None else min(limit, len(points))
    rows = []
    for k in range(n):
        rows.append(
            [
                str(points.labels[k]) if points.labels is not None else str(k + 1),
                str(points.district[k]) if points.district is not None else "",
                compute.format_count(float(points.weight[k])),
                str(result.stop_name[k]),
                round(float(result.distance_m[k])),
                round(float(result.walk_m[k])),
                round(float(result.walk_min[k]), 1),
                int(result.departures[k]),
                labels[int(result.band[k])],
            ]
        )
    return rows


# ---- the computation for a valid form ---------------------------------------------------------


@dataclass
class Analysis:
    feed: Any
    date: dt.date
    source: PointSource
    stops: compute.Stops
    result: compute.GapResult
    served_only: bool


def _analyse(request: HttpRequest, form: GapForm) -> Analysis:
    data = form.cleaned_data
    # Re-check through the selector: the form's queryset is scoped, this keeps it explicit.
    feed = feed_get_for_user(user=request.user, pk=data["feed"].pk)
    riders = _rider_source()
    if data["source"] == SOURCE_RIDERS and riders is not None:
        service = riders.service_get_for_user(request.user, data["service"].pk)
        source = riders.points(request, service)
    else:
        source = _upload_points(request, form)
    return analyse_source(
        feed=feed,
        source=source,
        date=data["date"],
        served_only=data["stops"] != STOPS_ALL,
        thresholds=data["thresholds"],
        min_departures=data.get("min_departures"),
        detour_factor=float(data["detour_factor"]),
    )


def analyse_source(
    *,
    feed: Any,
    source: PointSource,
    date: dt.date,
    served_only: bool,
    thresholds: tuple[float, ...],
    min_departures: int | None,
    detour_factor: float,
) -> Analysis:
    """The analysis of points already read (the page, and the background job of
    :mod:`.jobs`); the caller checked that the user may see ``feed`` and ``source``."""
    stops = compute.stops_from_feed(gtfs_for_feed(feed), date, served_only=served_only)
    if len(stops) == 0:
        message = (
            _(
                "この日に便のある停留所がありません。日付を変えるか、数える停留所に"
                "「すべての停留所」を選んでください。"
            )
            if served_only
            else _("この時刻表データには位置のわかる停留所がありません。")
        )
        raise TsunaguError(message, field="date" if served_only else "feed")
    result = compute.analyse_gap(
        source.points,
        stops,
        thresholds_m=thresholds,
        min_departures=min_departures,
        detour_factor=detour_factor,
    )
    return Analysis(
        feed=feed,
        date=date,
        source=source,
        stops=stops,
        result=result,
        served_only=served_only,
    )


def _saved_name(request: HttpRequest) -> str | None:
    saved = request.session.get(SESSION_UPLOAD_KEY)
    return saved.get("name") if saved else None


# ---- views ---------------------------------------------------------------------------------


def _check_scope(request: HttpRequest) -> None:
    """A feed or service id that exists but is out of the user's scope answers 404, not a
    form error (the form's choices are scoped too)."""
    feed_pk = request.POST.get("feed", "")
    if feed_pk.isdigit():
        feed_get_for_user(user=request.user, pk=int(feed_pk))
    service_pk = request.POST.get("service", "")
    riders = _rider_source()
    if service_pk.isdigit() and request.POST.get("source") == SOURCE_RIDERS and riders:
        riders.service_get_for_user(request.user, int(service_pk))


def _offer_saved_file(request: HttpRequest, form: GapForm, *, just_saved: bool) -> None:
    """After an upload was read, the page offers it again (a file input cannot be refilled)."""
    name = _saved_name(request)
    if not name:
        return
    if "use_saved_file" not in form.fields:
        form.fields["use_saved_file"] = forms.BooleanField(
            label=_("前回選んだファイルをもう一度使う"), required=False
        )
        order = list(form.fields)
        order.remove("use_saved_file")
        order.insert(order.index("points_file") + 1, "use_saved_file")
        form.order_fields(order)
    form.fields["use_saved_file"].help_text = _("前回のファイル: %(name)s") % {"name": name}
    if just_saved and form.is_bound:
        form.data = form.data.copy()
        form.data["use_saved_file"] = "on"


def _base_context() -> dict[str, Any]:
    return {
        "tile_attribution": getattr(settings, "TILE_ATTRIBUTION", ""),
        "map_config": {
            "tileUrl": settings.TILE_URL,
            "attribution": getattr(settings, "TILE_ATTRIBUTION", ""),
            "meshLabel": _("メッシュ"),
            "countLabel": _("人数・件数"),
            "distanceLabel": _("最寄りの停留所まで"),
            "departuresLabel": _("この日の便数"),
        },
        "map_point_limit": MAP_POINT_LIMIT,
        "min_cell_count": MIN_CELL_COUNT,
    }


def _export_fields(request: HttpRequest, analysis: Analysis) -> list[tuple[str, str]]:
    """The submitted values again, for the export button (the file comes from the session)."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "use_saved_file")
        for value in values
    ]
    if analysis.source.kind in ("points", "mesh"):
        fields.append(("use_saved_file", "on"))
    return fields


def _run(request: HttpRequest, form: GapForm) -> Analysis | None:
    """The analysis, or None with the problem put on the form."""
    if not form.is_valid():
        return None
    try:
        return _analyse(request, form)
    except TsunaguError as error:
        if error.code in ("not_found", "permission_denied"):
            raise
        field = "points_file" if error.field == "points" else error.field
        form.add_error(field if field in form.fields else None, error.message)
        return None


@login_required
def analysis(request: HttpRequest) -> HttpResponse:
    """The form; on POST the analysis (tables, map) with the form kept filled in."""
    context = _base_context()
    if request.method == "POST":
        _check_scope(request)
        form = GapForm(
            request.POST, request.FILES, user=request.user, saved_name=_saved_name(request)
        )
        result = _run(request, form)
        if result is not None:
            context["analysis"] = _result_context(request, result)
            context["export_fields"] = _export_fields(request, result)
        _offer_saved_file(request, form, just_saved=getattr(request, "_gap_saved", False))
    else:
        initial: dict[str, Any] = {}
        feed_pk = request.GET.get("feed", "")
        if feed_pk.isdigit():
            initial["feed"] = feed_get_for_user(user=request.user, pk=int(feed_pk))
        form = GapForm(initial=initial, user=request.user, saved_name=_saved_name(request))
    context["form"] = form
    context["has_feeds"] = form.fields["feed"].queryset.exists()
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "transit/gap.html", context, status=status)


def _result_context(request: HttpRequest, analysis: Analysis) -> dict[str, Any]:
    result, source = analysis.result, analysis.source
    bands = _bands(result.thresholds_m)
    total = _group_row(result.total)
    beyond_last = total["bands"][-1]
    context = {
        "feed": analysis.feed,
        "date": analysis.date,
        "source": source,
        "bands": bands,
        "thresholds": [compute.format_count(t) for t in result.thresholds_m],
        "threshold_rows": list(zip(bands, total["bands"], strict=False)),
        "beyond_last": beyond_last,
        "total": total,
        "districts": [_group_row(d) for d in result.districts],
        "min_departures": result.min_departures,
        "detour_factor": result.detour_factor,
        "stop_count": len(analysis.stops),
        "served_only": analysis.served_only,
        "stops_text": STOPS_LABELS[STOPS_SERVED if analysis.served_only else STOPS_ALL],
        "walk_speed": f"{result.walk_m_per_min:g}",
        # Weighted points count people (人数); unweighted ones are just places (件).
        "unit": _("人")
        if source.kind in ("mesh", "riders") or bool((source.points.weight != 1).any())
        else _("件"),
        "map_data": _map_data(source, result, analysis.stops, bands),
        "validity": analysis.feed.valid_from and analysis.feed.valid_to,
        "out_of_validity": bool(
            (analysis.feed.valid_from and analysis.date < analysis.feed.valid_from)
            or (analysis.feed.valid_to and analysis.date > analysis.feed.valid_to)
        ),
    }
    if source.individual and source.kind != "mesh":
        context["point_rows"] = _point_rows(source, result, TABLE_ROW_LIMIT)
        context["point_rows_truncated"] = len(source.points) > TABLE_ROW_LIMIT
    cells = _cells(source, result) if context["map_data"]["mode"] == "cells" else []
    context["cell_rows"] = cells[:TABLE_ROW_LIMIT]
    context["cell_rows_truncated"] = len(cells) > TABLE_ROW_LIMIT
    context["hidden_cells"] = sum(1 for c in cells if c["hidden"])
    if source.kind == "mesh":
        context["mesh_rows"] = context["map_data"]["cells"][:TABLE_ROW_LIMIT]
        context["mesh_rows_truncated"] = len(context["map_data"]["cells"]) > TABLE_ROW_LIMIT
    return context


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    """The same analysis as .xlsx (summary, districts, and points or mesh cells)."""
    _check_scope(request)
    form = GapForm(request.POST, request.FILES, user=request.user, saved_name=_saved_name(request))
    result = _run(request, form)
    if result is None:
        _offer_saved_file(request, form, just_saved=getattr(request, "_gap_saved", False))
        return render(request, "transit/gap.html", {**_base_context(), "form": form}, status=400)
    buffer = io.BytesIO()
    write_xlsx(buffer, result)
    stamp = result.date.strftime("%Y%m%d")
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    filename = f"交通空白分析_{stamp}.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"gap_{stamp}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


@login_required
@require_POST
def export_job(request: HttpRequest) -> HttpResponse:
    """The same .xlsx computed by a background job: the job page offers the file when done."""
    return _start_job(request, GAP_EXPORT_JOB)


def _start_job(request: HttpRequest, kind: str) -> HttpResponse:
    """Enqueue a job of ``kind`` for the posted form. The form is checked here (a bad choice
    stays on this page); the file's content and the analysis are checked by the job, whose
    page shows what went wrong."""
    _check_scope(request)
    form = GapForm(request.POST, request.FILES, user=request.user, saved_name=_saved_name(request))
    if form.is_valid():
        try:
            job = gap_export_job_start(request=request, form=form, kind=kind)
        except TsunaguError as error:
            if error.code in ("not_found", "permission_denied"):
                raise
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            return redirect("jobs:detail", pk=job.pk)
    _offer_saved_file(request, form, just_saved=False)
    return render(request, "transit/gap.html", {**_base_context(), "form": form}, status=400)


GAP_EXPORT_JOB = "transit.gap_export"  # handled by :mod:`.jobs`
GAP_PAGE_JOB = "transit.gap_page"


@login_required
@require_POST
def analysis_job(request: HttpRequest) -> HttpResponse:
    """The analysis computed by a background job (a file of tens of thousands of points):
    the job page shows its progress and then opens :func:`job_result`."""
    return _start_job(request, GAP_PAGE_JOB)


def _page_job(request: HttpRequest, pk: int) -> tuple[Job, dict[str, Any]]:
    """A finished analysis job of this user with its kept page, else 404. An analysis of
    riders shown one by one is shown again only while the user may still see the riders, and
    showing it is logged as a read, like the analysis itself."""
    from django.http import Http404

    from tsunagu.core.jobs.files import job_result_file
    from tsunagu.core.jobs.selectors import job_get_for_user

    try:
        job = job_get_for_user(user=request.user, job_id=pk)
    except TsunaguError:
        raise Http404() from None
    result_file = job_result_file(job)
    if job.kind != GAP_PAGE_JOB or job.owner_id != request.user.pk or result_file is None:
        raise Http404()
    if job.input.get("source") == SOURCE_RIDERS:
        riders = _rider_source()
        if riders is None:
            raise Http404()
        service = riders.service_get_for_user(request.user, job.input["service_id"])
        if result_file.get("individual") and not riders.points(request, service).individual:
            raise Http404()  # the right to see the riders ended since the analysis
    return job, result_file


@login_required
def job_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The page a :data:`GAP_PAGE_JOB` kept: tables and map as the analysis page shows them."""
    from django.core.files.storage import default_storage
    from django.http import Http404
    from django.utils.safestring import mark_safe

    from tsunagu.core.jobs.files import RESULT_FILE

    job, result_file = _page_job(request, pk)
    name = result_file[RESULT_FILE]
    if not default_storage.exists(name):
        raise Http404(_("結果のファイルは保存期間を過ぎたため削除しました。"))
    with default_storage.open(name, "rb") as stored:
        # rendered by this app's template when the job ran (tsunagu/transit/_gap_result.html)
        html = mark_safe(stored.read().decode("utf-8"))
    return render(
        request, "transit/gap_job_result.html", {**_base_context(), "job": job, "result_html": html}
    )


@login_required
@require_POST
def job_result_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The same analysis as .xlsx: a new job with the kept job's input."""
    job, _result_file = _page_job(request, pk)
    new = job_enqueue(
        kind=GAP_EXPORT_JOB,
        title=job.title,
        input=dict(job.input),
        actor=request.user,
        municipality=job.municipality,
    )
    return redirect("jobs:detail", pk=new.pk)


def gap_export_job_start(*, request: HttpRequest, form: GapForm, kind: str = GAP_EXPORT_JOB) -> Job:
    """Enqueue the .xlsx (or, with ``kind`` :data:`GAP_PAGE_JOB`, the page) of a valid form
    (scope checked by the view): its input is the form's choices and, for a file of points,
    the file kept in the job storage."""
    data = form.cleaned_data
    feed = data["feed"]
    job_input: dict[str, Any] = {
        "user_id": request.user.pk,
        "feed_id": feed.pk,
        "date": data["date"].isoformat(),
        "source": data["source"],
        "stops": data["stops"],
        "thresholds": list(data["thresholds"]),
        "min_departures": data.get("min_departures"),
        "detour_factor": str(data["detour_factor"]),
    }
    if data["source"] == SOURCE_RIDERS and data.get("service"):
        job_input["service_id"] = data["service"].pk
        label = data["service"].name
    else:
        upload = data.get("points_file")
        if upload is not None:
            content, name = upload.read(), upload.name
            request.session[SESSION_UPLOAD_KEY] = {
                "name": name,
                "data": base64.b64encode(content).decode("ascii"),
            }
        else:
            saved = request.session.get(SESSION_UPLOAD_KEY) or {}
            if not saved:
                raise TsunaguError(
                    _("前回のファイルが見つかりません。もう一度ファイルを選んでください。"),
                    field="points_file",
                )
            content, name = base64.b64decode(saved["data"]), saved["name"]
        job_input[INPUT_FILE] = job_input_file_save(data=content, name=name)
        job_input["file_name"] = name
        label = name
    return job_enqueue(
        kind=kind,
        title=f"交通空白の分析 {label}（{data['date'].isoformat()}）",
        input=job_input,
        actor=request.user,
        municipality=feed.municipality,
    )


# ---- .xlsx ---------------------------------------------------------------------------------


def write_xlsx(stream: Any, analysis: Analysis) -> None:
    """Sheets: 概要 (conditions and totals), 地区別, and 地点別 / メッシュ別 (aggregates only for
    users who may not see individual riders)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from tsunagu.core.spreadsheet import append_row

    result, source = analysis.result, analysis.source
    bands = _bands(result.thresholds_m)
    book = Workbook()
    bold = Font(bold=True)

    summary = book.active
    summary.title = _("概要")
    source_text = {
        "points": _("地点の CSV"),
        "mesh": _("メッシュ人口の CSV"),
        "riders": _("利用会員の自宅"),
    }[source.kind]
    rows: list[list[Any]] = [
        [_("交通空白の分析")],
        [_("時刻表データ"), str(analysis.feed)],
        [_("便数を数えた日"), analysis.date],
        [_("分析した人・地点"), f"{source_text}（{source.name}）"],
        [_("停留所の数"), len(analysis.stops)],
        [
            _("数えた停留所"),
            str(STOPS_LABELS[STOPS_SERVED if analysis.served_only else STOPS_ALL]),
        ],
        [_("道のりの係数"), result.detour_factor],
        [_("歩く速さ"), _("徒歩 分速%(speed)sm") % {"speed": f"{result.walk_m_per_min:g}"}],
        [
            _("注意"),
            _("距離は直線距離です。歩く道のりと時間は直線距離×係数、分速%(speed)smでの目安です。")
            % {"speed": f"{result.walk_m_per_min:g}"},
        ],
        [],
        [_("区分"), _("人数・件数"), _("割合（%）")],
        [_("合計"), result.total.weight, 100.0],
    ]
    for band, b in zip(bands, result.total.bands, strict=False):
        rows.append([band["text"], b.within, round(b.within_share * 100, 1)])
    last = result.total.bands[-1]
    rows.append([bands[-1]["text"], last.beyond, round(last.beyond_share * 100, 1)])
    if result.min_departures is not None:
        rows.append(
            [
                _("最寄りの停留所の便数が %(n)s 便未満") % {"n": result.min_departures},
                result.total.few_departures,
                round((result.total.few_departures_share or 0) * 100, 1),
            ]
        )
    for row in rows:
        append_row(summary, row)
    summary["A1"].font = bold
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 40
    summary["B3"].number_format = "yyyy/mm/dd"

    districts = book.create_sheet(_("地区別"))
    header = [_("地区"), _("件数"), _("人数・重み")]
    for band in bands[:-1]:
        header += [band["text"], f"{band['text']}（%）"]
    header += [bands[-1]["text"], f"{bands[-1]['text']}（%）"]
    if result.min_departures is not None:
        header += [_("便数が少ない"), _("便数が少ない（%）")]
    header.append(_("距離の中央値（m）"))
    append_row(districts, header)
    for group in [*result.districts, result.total]:
        line: list[Any] = [group.name, group.points, group.weight]
        for b in group.bands:
            line += [b.within, round(b.within_share * 100, 1)]
        line += [group.bands[-1].beyond, round(group.bands[-1].beyond_share * 100, 1)]
        if result.min_departures is not None:
            line += [group.few_departures, round((group.few_departures_share or 0) * 100, 1)]
        line.append(round(group.median_distance_m) if group.median_distance_m is not None else None)
        append_row(districts, line)
    for cell in districts[1]:
        cell.font = bold

    if source.kind == "mesh":
        sheet = book.create_sheet(_("メッシュ別"))
        append_row(
            sheet,
            [
                _("メッシュコード"),
                _("人口"),
                _("最寄りの停留所"),
                _("直線距離（m）"),
                _("歩く道のり（目安 m）"),
                _("歩く時間（目安 分）"),
                _("便数"),
                _("距離帯"),
            ],
        )
        for row in _point_rows(source, result, None):
            append_row(sheet, [row[0], *row[2:]])
    elif source.individual:
        sheet = book.create_sheet(_("地点別"))
        append_row(
            sheet,
            [
                _("ID") if source.kind == "points" else _("会員番号"),
                _("地区"),
                _("人数・重み"),
                _("最寄りの停留所"),
                _("直線距離（m）"),
                _("歩く道のり（目安 m）"),
                _("歩く時間（目安 分）"),
                _("便数"),
                _("距離帯"),
            ],
        )
        for row in _point_rows(source, result, None):
            append_row(sheet, row)
    else:
        sheet = book.create_sheet(_("メッシュ別（集計）"))
        append_row(
            sheet,
            [
                _("メッシュコード（約500m）"),
                _("人数"),
                _("距離の中央値（m）"),
                _("距離帯"),
            ],
        )
        labels = compute.band_labels(result.thresholds_m)
        for cell in _cells(source, result):
            if cell["hidden"]:
                append_row(
                    sheet, [cell["code"], _("%(n)s人未満") % {"n": MIN_CELL_COUNT}, None, None]
                )
            else:
                append_row(
                    sheet,
                    [cell["code"], cell["weight_value"], cell["median_m"], labels[cell["band"]]],
                )
    for cell in sheet[1]:
        cell.font = bold
    book.save(stream)
