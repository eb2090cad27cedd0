"""Pages of rides (namespace "mobility", mounted at /mobility/)."""

from django.urls import path

from tsunagu.mobility.rides.views import drivers, plans, requests, riders, service_pages

app_name = "mobility"

urlpatterns = [
    path("", service_pages.home, name="home"),
    path("services/new/", service_pages.service_create, name="service_create"),
    path("services/<int:service_id>/", service_pages.service_detail, name="service_detail"),
    path("services/<int:service_id>/edit/", service_pages.service_edit, name="service_edit"),
    path(
        "services/<int:service_id>/history/", service_pages.service_history, name="service_history"
    ),
    path("services/<int:service_id>/events/new/", service_pages.pilot_add, name="pilot_add"),
    path("services/<int:service_id>/drivers/", drivers.driver_list, name="driver_list"),
    path("services/<int:service_id>/drivers/new/", drivers.driver_create, name="driver_create"),
    path("drivers/<int:driver_id>/", drivers.driver_detail, name="driver_detail"),
    path("drivers/<int:driver_id>/edit/", drivers.driver_edit, name="driver_edit"),
    path(
        "drivers/<int:driver_id>/exceptions/new/",
        drivers.driver_exception_add,
        name="driver_exception_add",
    ),
    path(
        "driver-exceptions/<int:pk>/delete/",
        drivers.driver_exception_delete,
        name="driver_exception_delete",
    ),
    path("services/<int:service_id>/vehicles/", drivers.vehicle_list, name="vehicle_list"),
    path("services/<int:service_id>/vehicles/new/", drivers.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:vehicle_id>/edit/", drivers.vehicle_edit, name="vehicle_edit"),
    path("services/<int:service_id>/riders/", riders.rider_list, name="rider_list"),
    path("services/<int:service_id>/riders/new/", riders.rider_create, name="rider_create"),
    path("riders/<int:rider_id>/", riders.rider_detail, name="rider_detail"),
    path("riders/<int:rider_id>/edit/", riders.rider_edit, name="rider_edit"),
    path("riders/<int:rider_id>/resident/", riders.rider_resident_link, name="rider_resident_link"),
    path(
        "riders/<int:rider_id>/resident/unlink/",
        riders.rider_resident_unlink,
        name="rider_resident_unlink",
    ),
    path("services/<int:service_id>/book/", requests.book, name="book"),
    path(
        "requests/<int:request_id>/confirmation/",
        requests.request_confirmation,
        name="request_confirmation",
    ),
    path("requests/<int:request_id>/status/", requests.request_status, name="request_status"),
    path("requests/<int:request_id>/history/", requests.request_history, name="request_history"),
    path("services/<int:service_id>/requests/", requests.request_list, name="request_list"),
    path("services/<int:service_id>/plans/", plans.day_plan_pick, name="day_plan_pick"),
    path("services/<int:service_id>/plans/<str:date>/", plans.day_plan, name="day_plan"),
    path(
        "services/<int:service_id>/plans/<str:date>/run/", plans.day_plan_run, name="day_plan_run"
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/transit/",
        plans.day_plan_transit,
        name="day_plan_transit",
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/move/",
        plans.day_plan_move,
        name="day_plan_move",
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/confirm/",
        plans.day_plan_confirm,
        name="day_plan_confirm",
    ),
    path("routes/<int:route_id>/sheet/", plans.driver_sheet, name="driver_sheet"),
]
