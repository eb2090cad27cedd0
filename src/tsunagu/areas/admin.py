from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.areas.models import (
    DailyLifeArea,
    District,
    Municipality,
    Prefecture,
    StatisticsSnapshot,
)


@admin.register(Prefecture)
class PrefectureAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "prefecture")
    list_filter = ("prefecture",)
    search_fields = ("name", "code")


@admin.register(DailyLifeArea)
class DailyLifeAreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality")
    list_filter = ("municipality",)


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district_kind", "municipality")
    list_filter = ("municipality", "district_kind")


@admin.register(StatisticsSnapshot)
class StatisticsSnapshotAdmin(SimpleHistoryAdmin):
    list_display = (
        "__str__",
        "total_population",
        "population_65_plus",
        "reported_aging_rate",
        "source",
    )
    list_filter = ("prefecture", "municipality")
