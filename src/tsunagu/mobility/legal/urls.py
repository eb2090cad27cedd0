"""道路運送法の確認 and the cost-sharing calculator (namespace "mobility_legal", /mobility/legal/)."""

from django.urls import path

from tsunagu.mobility.legal import views as views_legal

app_name = "mobility_legal"
urlpatterns = [
    path("", views_legal.check, name="check"),
    path("save/", views_legal.save, name="save"),
    path("service/<int:service_id>/", views_legal.service_result, name="service"),
    path("calculator/", views_legal.calculator, name="calculator"),
]
