"""Public pages of the bodies app (no login): the list of certified resident-led bodies."""

from django.urls import path

from tsunagu.bodies.views import public

app_name = "bodies_public"

urlpatterns = [
    path("certified/", public.certified_public, name="certified"),
]
