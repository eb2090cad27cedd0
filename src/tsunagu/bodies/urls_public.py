"""Public pages of the bodies app (no login): the list of certified resident-led bodies."""

from django.urls import path

from tsunagu.bodies import views

app_name = "bodies_public"

urlpatterns = [
    path("certified/", views.certified_public, name="certified"),
]
