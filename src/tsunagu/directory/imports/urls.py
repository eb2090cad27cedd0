"""Import and export of the directory (included at /directory/io/)."""

from django.urls import path

from tsunagu.directory.imports import views

app_name = "directory_io"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<str:token>/mapping/", views.import_mapping, name="import_mapping"),
    path("import/<str:token>/preview/", views.import_preview, name="import_preview"),
    path("import/<str:token>/errors.csv", views.import_errors, name="import_errors"),
    path("import/<str:token>/commit/", views.import_commit, name="import_commit"),
    path("import/<str:token>/report/", views.import_report, name="import_report"),
    path(
        "import/<str:token>/<str:step>/progress/",
        views.import_progress,
        name="import_progress",
    ),
    path("import/<str:token>/<str:step>/status/", views.import_status, name="import_status"),
    path("export/", views.export_page, name="export"),
    path("reindex/", views.reindex, name="reindex"),
]
