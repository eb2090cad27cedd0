"""Public transport timetables (GTFS / GTFS-JP) imported for a municipality.

A :class:`Feed` is one import; everything else belongs to it and is replaced with it
(re-importing the same name in the same municipality swaps the whole feed atomically).
Only the feed row keeps change history: timetable rows are a copy of the file, which is the
record, and tens of thousands of history rows per import would help nobody.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class StopKind(models.TextChoices):
    BUS_STOP = "bus_stop", _("バス停")  # served by at least one fixed-schedule trip
    DEMAND_STOP = "demand_stop", _("デマンド停留所")  # served only by demand (予約制) trips
    RAIL_STOP = "rail_stop", _("駅のりば（鉄道・船など）")
    STATION = "station", _("駅・ターミナル")  # location_type 1
    ENTRANCE = "entrance", _("出入口")  # location_type 2
    GENERIC_NODE = "generic_node", _("構内の地点")  # location_type 3
    BOARDING_AREA = "boarding_area", _("乗車位置")  # location_type 4


class Feed(models.Model):
    """GTFSデータ: one imported timetable of a municipality (or, without one, shared by all)."""

    municipality = models.ForeignKey(
        "areas.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transit_feeds",
        verbose_name=_("市町村"),
        help_text=_("空欄のときは全国共通（ログインした全員が見られます）"),
    )
    name = models.CharField(_("データ名"), max_length=200)
    publisher = models.CharField(_("提供者"), max_length=200, blank=True)
    publisher_url = models.CharField(_("提供者の URL"), max_length=500, blank=True)
    version = models.CharField(_("版"), max_length=100, blank=True)
    valid_from = models.DateField(_("有効期間（開始）"), null=True, blank=True)
    valid_to = models.DateField(_("有効期間（終了）"), null=True, blank=True)
    imported_at = models.DateTimeField(_("取込日時"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("取り込んだ人"),
    )
    source_filename = models.CharField(_("元のファイル名"), max_length=255, blank=True)
    is_synthetic = models.BooleanField(
        _("合成データ"), default=False, help_text=_("デモ用に作った架空のデータ")
    )
    note = models.TextField(_("メモ"), blank=True)
    extra_files = models.JSONField(_("その他のファイル"), default=list, blank=True)
    feed_info = models.JSONField(_("feed_info.txt の内容"), default=dict, blank=True)
    stop_count = models.PositiveIntegerField(_("停留所数"), default=0)
    route_count = models.PositiveIntegerField(_("路線数"), default=0)
    trip_count = models.PositiveIntegerField(_("便数（ダイヤ）"), default=0)
    stop_time_count = models.PositiveIntegerField(_("時刻の行数"), default=0)
    # What the reader ignored, repaired or defaulted (GtfsProblem.as_dict, first lines only).
    import_warnings = models.JSONField(_("取り込み時の注意"), default=list, blank=True)
    warning_count = models.PositiveIntegerField(_("注意の件数"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公共交通データ（GTFS）")
        verbose_name_plural = _("公共交通データ（GTFS）")
        ordering = ["municipality__code", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefecture_id(self) -> int | None:
        return self.municipality.prefecture_id if self.municipality_id else None

    @property
    def scope_municipality_id(self) -> int | None:
        return self.municipality_id


class FeedChild(models.Model):
    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, verbose_name=_("GTFSデータ"))

    class Meta:
        abstract = True


class Agency(FeedChild):
    """事業者 (agency.txt)."""

    agency_id = models.CharField(_("事業者ID"), max_length=100, blank=True)
    name = models.CharField(_("事業者名"), max_length=200)
    url = models.CharField(_("URL"), max_length=500, blank=True)
    timezone = models.CharField(_("タイムゾーン"), max_length=64, blank=True)
    phone = models.CharField(_("電話番号"), max_length=64, blank=True)
    lang = models.CharField(_("言語"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("事業者")
        verbose_name_plural = _("事業者")

    def __str__(self) -> str:
        return self.name


class Route(FeedChild):
    """路線 (routes.txt); ``geometry`` holds the lines to draw (shapes.txt or stop order)."""

    route_id = models.CharField(_("路線ID"), max_length=100)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("事業者")
    )
    short_name = models.CharField(_("路線略称"), max_length=200, blank=True)
    long_name = models.CharField(_("路線名"), max_length=300, blank=True)
    desc = models.TextField(_("説明"), blank=True)
    route_type = models.IntegerField(_("種別（route_type）"), default=3)
    color = models.CharField(_("色"), max_length=8, blank=True)
    text_color = models.CharField(_("文字色"), max_length=8, blank=True)
    is_demand = models.BooleanField(_("デマンド（予約制）"), default=False)
    geometry = models.JSONField(_("線形"), default=list, blank=True)

    class Meta:
        verbose_name = _("路線")
        verbose_name_plural = _("路線")
        ordering = ["feed", "route_id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "route_id"], name="transit_route_unique_id")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.long_name or self.short_name or self.route_id


class Stop(FeedChild):
    """停留所 (stops.txt)."""

    stop_id = models.CharField(_("停留所ID"), max_length=100)
    name = models.CharField(_("停留所名"), max_length=200, blank=True)
    reading = models.CharField(_("よみがな"), max_length=200, blank=True)
    code = models.CharField(_("停留所番号"), max_length=100, blank=True)
    lat = models.FloatField(_("緯度"), null=True, blank=True)
    lon = models.FloatField(_("経度"), null=True, blank=True)
    location_type = models.PositiveSmallIntegerField(_("種別（location_type）"), default=0)
    parent_station = models.CharField(_("親の駅ID"), max_length=100, blank=True)
    kind = models.CharField(
        _("種類"), max_length=20, choices=StopKind.choices, default=StopKind.BUS_STOP
    )
    platform_code = models.CharField(_("のりば"), max_length=50, blank=True)
    district = models.ForeignKey(
        "areas.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transit_stops",
        verbose_name=_("地区"),
    )

    class Meta:
        verbose_name = _("停留所")
        verbose_name_plural = _("停留所")
        ordering = ["feed", "stop_id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "stop_id"], name="transit_stop_unique_id")
        ]

    def __str__(self) -> str:
        return self.name or self.stop_id


class Trip(FeedChild):
    """便 (trips.txt)."""

    trip_id = models.CharField(_("便ID"), max_length=100)
    route = models.ForeignKey(Route, on_delete=models.CASCADE, verbose_name=_("路線"))
    service_id = models.CharField(_("運行日ID"), max_length=100)
    headsign = models.CharField(_("行先"), max_length=200, blank=True)
    direction_id = models.PositiveSmallIntegerField(_("方向"), null=True, blank=True)
    shape_id = models.CharField(_("形状ID"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("便")
        verbose_name_plural = _("便")
        ordering = ["feed", "trip_id"]
        constraints = [
            models.UniqueConstraint(fields=["feed", "trip_id"], name="transit_trip_unique_id")
        ]

    def __str__(self) -> str:
        return self.trip_id


class StopTime(FeedChild):
    """時刻 (stop_times.txt): seconds since midnight of the service day (may exceed 86400)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, verbose_name=_("便"))
    stop = models.ForeignKey(Stop, on_delete=models.CASCADE, verbose_name=_("停留所"))
    stop_sequence = models.PositiveIntegerField(_("順番"))
    arrival = models.PositiveIntegerField(_("到着（秒）"))
    departure = models.PositiveIntegerField(_("出発（秒）"))
    pickup_type = models.PositiveSmallIntegerField(_("乗車"), default=0)
    drop_off_type = models.PositiveSmallIntegerField(_("降車"), default=0)

    class Meta:
        verbose_name = _("時刻")
        verbose_name_plural = _("時刻")
        ordering = ["trip", "stop_sequence"]

    def __str__(self) -> str:
        return f"{self.trip_id}#{self.stop_sequence}"


class Calendar(FeedChild):
    """運行日（曜日） (calendar.txt)."""

    service_id = models.CharField(_("運行日ID"), max_length=100)
    monday = models.BooleanField(_("月"), default=False)
    tuesday = models.BooleanField(_("火"), default=False)
    wednesday = models.BooleanField(_("水"), default=False)
    thursday = models.BooleanField(_("木"), default=False)
    friday = models.BooleanField(_("金"), default=False)
    saturday = models.BooleanField(_("土"), default=False)
    sunday = models.BooleanField(_("日"), default=False)
    start_date = models.DateField(_("開始日"))
    end_date = models.DateField(_("終了日"))

    class Meta:
        verbose_name = _("運行日（曜日）")
        verbose_name_plural = _("運行日（曜日）")

    def __str__(self) -> str:
        return self.service_id


class CalendarDate(FeedChild):
    """運行日の例外 (calendar_dates.txt): 1 = runs that day, 2 = does not."""

    service_id = models.CharField(_("運行日ID"), max_length=100)
    date = models.DateField(_("日付"))
    exception_type = models.PositiveSmallIntegerField(
        _("種別"), choices=[(1, _("運行する")), (2, _("運休する"))]
    )

    class Meta:
        verbose_name = _("運行日の例外")
        verbose_name_plural = _("運行日の例外")

    def __str__(self) -> str:
        return f"{self.service_id} {self.date}"


class Frequency(FeedChild):
    """等間隔運行 (frequencies.txt)."""

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, verbose_name=_("便"))
    start_time = models.PositiveIntegerField(_("開始（秒）"))
    end_time = models.PositiveIntegerField(_("終了（秒）"))
    headway_secs = models.PositiveIntegerField(_("間隔（秒）"))
    exact_times = models.PositiveSmallIntegerField(_("時刻固定"), default=0)

    class Meta:
        verbose_name = _("等間隔運行")
        verbose_name_plural = _("等間隔運行")

    def __str__(self) -> str:
        return f"{self.trip_id} / {self.headway_secs}s"
