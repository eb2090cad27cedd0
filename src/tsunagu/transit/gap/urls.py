"""Gap analysis pages (交通空白の分析), namespace "transit_gap", mounted at /mobility/gap/."""

from django.urls import path

from tsunagu.transit.gap import views

app_name = "transit_gap"
urlpatterns = [
    path("", views.analysis, name="analysis"),
    path("export.xlsx", views.export, name="export"),
    path("export-job/", views.export_job, name="export_job"),
    path("job/", views.analysis_job, name="analysis_job"),
    path("job/<int:pk>/", views.job_result, name="job_result"),
    path("job/<int:pk>/xlsx/", views.job_result_xlsx, name="job_result_xlsx"),
]
