"""Pages of rides (namespace "mobility", mounted at /mobility/)."""

from django.urls import path

from tsunagu.mobility import views_rides as views

app_name = "mobility"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:service_id>/", views.service_detail, name="service_detail"),
    path("services/<int:service_id>/edit/", views.service_edit, name="service_edit"),
    path("services/<int:service_id>/history/", views.service_history, name="service_history"),
    path("services/<int:service_id>/events/new/", views.pilot_add, name="pilot_add"),
    path("services/<int:service_id>/drivers/", views.driver_list, name="driver_list"),
    path("services/<int:service_id>/drivers/new/", views.driver_create, name="driver_create"),
    path("drivers/<int:driver_id>/", views.driver_detail, name="driver_detail"),
    path("drivers/<int:driver_id>/edit/", views.driver_edit, name="driver_edit"),
    path(
        "drivers/<int:driver_id>/exceptions/new/",
        views.driver_exception_add,
        name="driver_exception_add",
    ),
    path(
        "driver-exceptions/<int:pk>/delete/",
        views.driver_exception_delete,
        name="driver_exception_delete",
    ),
    path("services/<int:service_id>/vehicles/", views.vehicle_list, name="vehicle_list"),
    path("services/<int:service_id>/vehicles/new/", views.vehicle_create, name="vehicle_create"),
    path("vehicles/<int:vehicle_id>/edit/", views.vehicle_edit, name="vehicle_edit"),
    path("services/<int:service_id>/riders/", views.rider_list, name="rider_list"),
    path("services/<int:service_id>/riders/new/", views.rider_create, name="rider_create"),
    path("riders/<int:rider_id>/", views.rider_detail, name="rider_detail"),
    path("riders/<int:rider_id>/edit/", views.rider_edit, name="rider_edit"),
    path("services/<int:service_id>/book/", views.book, name="book"),
    path(
        "requests/<int:request_id>/confirmation/",
        views.request_confirmation,
        name="request_confirmation",
    ),
    path("requests/<int:request_id>/status/", views.request_status, name="request_status"),
    path("requests/<int:request_id>/history/", views.request_history, name="request_history"),
    path("services/<int:service_id>/requests/", views.request_list, name="request_list"),
    path("services/<int:service_id>/plans/", views.day_plan_pick, name="day_plan_pick"),
    path("services/<int:service_id>/plans/<str:date>/", views.day_plan, name="day_plan"),
    path(
        "services/<int:service_id>/plans/<str:date>/run/", views.day_plan_run, name="day_plan_run"
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/transit/",
        views.day_plan_transit,
        name="day_plan_transit",
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/move/",
        views.day_plan_move,
        name="day_plan_move",
    ),
    path(
        "services/<int:service_id>/plans/<str:date>/confirm/",
        views.day_plan_confirm,
        name="day_plan_confirm",
    ),
    path("routes/<int:route_id>/sheet/", views.driver_sheet, name="driver_sheet"),
]
