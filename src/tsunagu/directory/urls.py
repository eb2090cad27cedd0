"""Directory pages for signed-in users (views in views/, import/export in imports/views.py)."""

from django.urls import path

from tsunagu.directory.views import (
    areas,
    history,
    maps,
    organisations,
    people,
    resources,
    search,
    stale,
)

app_name = "directory"

urlpatterns = [
    path("", search.search_page, name="search"),
    path("map/", maps.map_page, name="map"),
    path("stale/", stale.stale_list, name="stale"),
    path("area/<str:kind>/<int:pk>/", areas.area_view, name="area"),
    path("organisations/new/", organisations.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/verify/",
        organisations.organisation_verify,
        name="organisation_verify",
    ),
    path(
        "organisations/<int:pk>/history/",
        history.organisation_history,
        name="organisation_history",
    ),
    path("organisations/<int:pk>/people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/history/", history.person_history, name="person_history"),
    path("people/<int:pk>/roles/new/", people.role_add, name="role_add"),
    path("roles/<int:pk>/end/", people.role_end, name="role_end"),
    path("resources/new/", resources.resource_create, name="resource_create"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"),
    path("resources/<int:pk>/verify/", resources.resource_verify, name="resource_verify"),
    path("resources/<int:pk>/history/", history.resource_history, name="resource_history"),
]
