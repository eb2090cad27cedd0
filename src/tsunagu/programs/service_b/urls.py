"""Service B groups and their subsidy (namespace "service_b", /programs/service-b/)."""

from django.urls import path

from tsunagu.programs.service_b import views

app_name = "service_b"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="group_create"),
    path("report/", views.report, name="report"),
    path("report.xlsx", views.report_download, name="report_xlsx"),
    path("groups/<int:pk>/", views.group_detail, name="group"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/history/", views.group_history, name="group_history"),
    path("groups/<int:pk>/activities/", views.activity_add, name="activity_add"),
    path(
        "groups/<int:pk>/activities/<int:activity_id>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("groups/<int:pk>/periods/new/", views.period_create, name="period_create"),
    path("policy/<int:municipality_id>/", views.policy, name="policy"),
    path("policy/<int:municipality_id>/history/", views.policy_history, name="policy_history"),
    path(
        "policy/<int:municipality_id>/requirements/",
        views.requirement_add,
        name="requirement_add",
    ),
    path(
        "policy/<int:municipality_id>/requirements/<int:pk>/toggle/",
        views.requirement_toggle,
        name="requirement_toggle",
    ),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/residents/", views.period_residents, name="period_residents"),
    path("periods/<int:pk>/history/", views.period_history, name="period_history"),
    path("periods/<int:pk>/applications/", views.application_create, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path(
        "applications/<int:pk>/download.xlsx", views.application_download, name="application_xlsx"
    ),
    path("applications/<int:pk>/history/", views.application_history, name="application_history"),
    path(
        "applications/<int:pk>/<slug:action>/",
        views.application_action,
        name="application_action",
    ),
]
