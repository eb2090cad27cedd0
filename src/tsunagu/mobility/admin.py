"""Admin for operators: read-mostly lists of mobility services, drivers, vehicles and plans.

Riders and ride requests are deliberately not here: they are personal data (要配慮個人情報)
whose every read must be logged, which the pages do and the admin would not.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.mobility.models import (
    DayPlan,
    Driver,
    DriverAvailability,
    MobilityService,
    Pilot,
    PlannedRoute,
    Vehicle,
    VehicleIdleWindow,
)


class PilotInline(admin.TabularInline):
    model = Pilot
    extra = 0


@admin.register(MobilityService)
class MobilityServiceAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality", "operator", "service_kind", "status")
    list_filter = ("status", "service_kind", "municipality")
    search_fields = ("name",)
    raw_id_fields = ("municipality", "operator")
    filter_horizontal = ("districts",)
    inlines = [PilotInline]


class AvailabilityInline(admin.TabularInline):
    model = DriverAvailability
    extra = 0


@admin.register(Driver)
class DriverAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "service",
        "licence_class",
        "licence_expires_on",
        "insurance_expires_on",
        "active",
    )
    list_filter = ("active", "licence_class")
    search_fields = ("name", "name_kana")
    raw_id_fields = ("service", "person")
    inlines = [AvailabilityInline]


class IdleWindowInline(admin.TabularInline):
    model = VehicleIdleWindow
    extra = 0


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin):
    list_display = ("name", "service", "owner_kind", "seats", "wheelchair_spaces", "active")
    list_filter = ("owner_kind", "plate", "active")
    search_fields = ("name",)
    raw_id_fields = ("service", "owner_driver", "owner_organisation")
    inlines = [IdleWindowInline]


class RouteInline(admin.TabularInline):
    model = PlannedRoute
    extra = 0
    fields = ("driver", "vehicle", "starts_at", "ends_at", "km")
    readonly_fields = fields
    can_delete = False


@admin.register(DayPlan)
class DayPlanAdmin(SimpleHistoryAdmin):
    list_display = ("service", "date", "status", "total_km", "solver_seconds")
    list_filter = ("status",)
    readonly_fields = ("service", "date", "status", "total_km", "solver_seconds", "created_by")
    inlines = [RouteInline]

    def has_add_permission(self, request: object) -> bool:
        return False
