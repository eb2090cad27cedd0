"""Gap analysis pages (交通空白の分析), namespace "transit_gap", mounted at /mobility/gap/."""

from django.urls import path

from tsunagu.transit import views_gap

app_name = "transit_gap"
urlpatterns = [
    path("", views_gap.analysis, name="analysis"),
    path("export.xlsx", views_gap.export, name="export"),
]
