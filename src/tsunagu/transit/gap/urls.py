"""Gap analysis pages (交通空白の分析), namespace "transit_gap", mounted at /mobility/gap/."""

from django.urls import path

from tsunagu.transit.gap import views

app_name = "transit_gap"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("export.xlsx", views.export, name="export"),
    path("export-job/", views.export_job, name="export_job"),
]
