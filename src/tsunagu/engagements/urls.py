"""Pages of accompanying support (伴走的支援). Case sheets have their own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("tsunagu.engagements.urls_engagements")),  # namespace "engagements"
    path("case-sheets/", include("tsunagu.engagements.casesheets.urls")),  # "casesheets"
]
