"""Directory pages for signed-in users (views in views.py, import/export in views_import.py)."""

from django.urls import path

from tsunagu.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search_page, name="search"),
]
