"""Admin for operators: read-mostly views of imported feeds (import through the page or CLI)."""

from django.contrib import admin

from tsunagu.transit.models import Feed, Route, Stop


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "municipality",
        "stop_count",
        "route_count",
        "trip_count",
        "imported_at",
    )
    list_filter = ("municipality", "is_synthetic")
    search_fields = ("name", "publisher")
    readonly_fields = (
        "imported_at", "imported_by", "stop_count", "route_count", "trip_count",
        "stop_time_count", "extra_files", "feed_info", "source_filename",
    )  # fmt: skip

    def has_add_permission(self, request: object) -> bool:
        return False  # a feed comes only from a GTFS import (tsunagu mobility import-gtfs)


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    list_display = ("route_id", "short_name", "long_name", "is_demand", "feed")
    list_filter = ("is_demand", "feed")
    search_fields = ("route_id", "short_name", "long_name")
    exclude = ("geometry",)

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Stop)
class StopAdmin(admin.ModelAdmin):
    list_display = ("stop_id", "name", "kind", "lat", "lon", "feed")
    list_filter = ("kind", "feed")
    search_fields = ("stop_id", "name", "reading")
    raw_id_fields = ("district",)

    def has_add_permission(self, request: object) -> bool:
        return False
