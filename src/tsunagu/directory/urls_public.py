"""Public pages (no login): public resources only."""

from django.urls import path

from tsunagu.directory import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.public_search, name="search"),
]
