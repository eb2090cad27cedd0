from django.urls import path

from tsunagu.plans.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.hub, name="hub"),
    path("new/", views.enter, name="enter"),
    path("import/", views.import_file, name="import"),
    path("<str:key>/", views.trends, name="trends"),
]
