"""URL module (namespace "transit"), mounted at /mobility/transit/."""

from django.urls import path

from tsunagu.transit import views
from tsunagu.transit.coexistence import views as coexistence_views

app_name = "transit"
urlpatterns = [
    path("", views.feed_list, name="feed_list"),
    path("import/", views.feed_import, name="feed_import"),
    path("<int:pk>/", views.feed_detail, name="feed_detail"),
    path("<int:pk>/delete/", views.feed_delete, name="feed_delete"),
    path("coexistence/", coexistence_views.coexistence, name="coexistence"),
    path("coexistence/area/", coexistence_views.coexistence_area, name="coexistence_area"),
    path(
        "coexistence/export.xlsx", coexistence_views.coexistence_export, name="coexistence_export"
    ),
    path("coexistence/sample.csv", coexistence_views.coexistence_sample, name="coexistence_sample"),
]
