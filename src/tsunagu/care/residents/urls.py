"""Resident pages, mounted under ``care/`` by the care plugin (namespace ``care``)."""

from django.urls import path

from tsunagu.care.residents import views

app_name = "care"

urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/export/", views.resident_export, name="resident_export"),
    path("residents/new/", views.resident_create, name="resident_create"),
    path("residents/<int:resident_id>/", views.resident_detail, name="resident_detail"),
    path("residents/<int:resident_id>/edit/", views.resident_edit, name="resident_edit"),
    path("residents/<int:resident_id>/history/", views.resident_history, name="resident_history"),
    path(
        "residents/<int:resident_id>/care-levels/new/",
        views.care_level_add,
        name="care_level_add",
    ),
    path("residents/<int:resident_id>/consents/new/", views.consent_add, name="consent_add"),
    path("residents/<int:resident_id>/close/", views.resident_close, name="resident_close"),
    path("consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
]
