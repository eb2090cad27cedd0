from django.urls import path

from tsunagu.plans.money import views

app_name = "money"
urlpatterns = [
    path("<int:pk>/", views.money_page, name="page"),
    path("<int:pk>/cost/", views.money_record, {"what": "cost"}, name="cost"),
    path("<int:pk>/cap/", views.money_record, {"what": "cap"}, name="cap"),
    path("<int:pk>/grant/", views.money_record, {"what": "grant"}, name="grant"),
]
