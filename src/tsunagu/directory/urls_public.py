"""Public pages (no login): public resources only."""

from django.urls import path

from tsunagu.directory.views import public

app_name = "public"

urlpatterns = [
    path("", public.public_search, name="search"),
    path("map/", public.public_map, name="map"),
    path("resources/<int:pk>/", public.public_resource, name="resource"),
    path("print/", public.public_print_choose, name="print_choose"),
    path("print/<int:district_pk>/", public.public_print, name="print"),
]
