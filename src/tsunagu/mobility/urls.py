"""Pages of mobility support (移動支援). Each part has its own URL module and namespace.

Transit's pages (/mobility/transit/, /mobility/gap/) are mounted by transit itself.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("tsunagu.mobility.rides.urls")),  # namespace "mobility"
    path("surveys/", include("tsunagu.mobility.surveys.urls")),  # "mobility_surveys"
    path("legal/", include("tsunagu.mobility.legal.urls")),  # "mobility_legal"
]
