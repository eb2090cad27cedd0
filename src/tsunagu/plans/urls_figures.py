"""Pages of indicators, money, councils forming and prefecture case sheets (under /plans/)."""

from django.urls import include, path

urlpatterns = [
    path("indicators/", include("tsunagu.plans.indicators.urls")),
    path("money/", include("tsunagu.plans.money.urls")),
    path("councils/", include("tsunagu.plans.councils.urls")),
    path("prefecture-case-sheets/", include("tsunagu.plans.casesheets.urls")),
]
