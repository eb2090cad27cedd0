"""Public pages (no login): public resources only."""

from django.urls import path

from tsunagu.directory import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.public_search, name="search"),
    path("map/", views_public.public_map, name="map"),
    path("resources/<int:pk>/", views_public.public_resource, name="resource"),
    path("print/", views_public.public_print_choose, name="print_choose"),
    path("print/<int:district_pk>/", views_public.public_print, name="print"),
]
