from django.urls import path, re_path

from tsunagu.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.area_list, name="list"),
    path("statistics/<int:pk>/edit/", views.snapshot_edit, name="snapshot_edit"),
    path("statistics/<int:pk>/history/", views.snapshot_history, name="snapshot_history"),
    path(
        "prefecture/<int:pk>/municipalities/new/",
        views.municipality_create,
        name="municipality_create",
    ),
    re_path(
        r"^municipality/(?P<pk>[0-9]+)/(?P<sub>daily_life_area|district)/new/$",
        views.sub_area_create,
        name="sub_area_create",
    ),
    path("<str:kind>/<int:pk>/", views.area_detail, name="detail"),
    path("<str:kind>/<int:pk>/history/", views.area_history, name="history"),
    path("<str:kind>/<int:pk>/edit/", views.area_edit, name="edit"),
    path("<str:kind>/<int:pk>/statistics/new/", views.snapshot_create, name="snapshot_create"),
]
