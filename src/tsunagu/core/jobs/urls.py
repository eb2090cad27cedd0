"""Job pages (mounted at /jobs/ by the core plugin)."""

from django.urls import path

from tsunagu.core.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/status/", views.job_status, name="status"),
    path("<int:pk>/retry/", views.job_retry, name="retry"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
