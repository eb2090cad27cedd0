"""Directory pages for signed-in users (views in views.py, import/export in imports/views.py)."""

from django.urls import path

from tsunagu.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search_page, name="search"),
    path("map/", views.map_page, name="map"),
    path("stale/", views.stale_list, name="stale"),
    path("area/<str:kind>/<int:pk>/", views.area_view, name="area"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/verify/", views.organisation_verify, name="organisation_verify"),
    path(
        "organisations/<int:pk>/history/",
        views.organisation_history,
        name="organisation_history",
    ),
    path("organisations/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("people/<int:pk>/roles/new/", views.role_add, name="role_add"),
    path("roles/<int:pk>/end/", views.role_end, name="role_end"),
    path("resources/new/", views.resource_create, name="resource_create"),
    path("resources/<int:pk>/", views.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", views.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/verify/", views.resource_verify, name="resource_verify"),
    path("resources/<int:pk>/history/", views.resource_history, name="resource_history"),
]
