"""URL module (namespace "transit"), mounted at /mobility/transit/."""

from django.urls import path

from tsunagu.transit import views

app_name = "transit"
urlpatterns = [
    path("", views.feed_list, name="feed_list"),
    path("import/", views.feed_import, name="feed_import"),
    path("<int:pk>/", views.feed_detail, name="feed_detail"),
    path("<int:pk>/delete/", views.feed_delete, name="feed_delete"),
    path("coexistence/", views.coexistence, name="coexistence"),
    path("coexistence/area/", views.coexistence_area, name="coexistence_area"),
    path("coexistence/export.xlsx", views.coexistence_export, name="coexistence_export"),
    path("coexistence/sample.csv", views.coexistence_sample, name="coexistence_sample"),
]
