"""The REST API under /api/v1/ (django-ninja; OpenAPI at /api/v1/docs)."""

from django.urls import path

from tsunagu.api import api

urlpatterns = [path("", api.urls)]
