"""Import and export of the directory (included at /directory/io/)."""

from django.urls import path

from tsunagu.directory import views_import

app_name = "directory_io"

urlpatterns = [
    path("import/", views_import.import_start, name="import"),
    path("import/<str:token>/mapping/", views_import.import_mapping, name="import_mapping"),
    path("import/<str:token>/preview/", views_import.import_preview, name="import_preview"),
    path("import/<str:token>/errors.csv", views_import.import_errors, name="import_errors"),
    path("import/<str:token>/commit/", views_import.import_commit, name="import_commit"),
    path("import/<str:token>/report/", views_import.import_report, name="import_report"),
    path(
        "import/<str:token>/<str:step>/progress/",
        views_import.import_progress,
        name="import_progress",
    ),
    path("import/<str:token>/<str:step>/status/", views_import.import_status, name="import_status"),
    path("export/", views_import.export_page, name="export"),
]
