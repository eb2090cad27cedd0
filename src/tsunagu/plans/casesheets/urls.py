from django.urls import path

from tsunagu.plans.casesheets import views

app_name = "prefecture_casesheets"
urlpatterns = [
    path("", views.sheet_list, name="list"),
    path("<str:key>/", views.sheet_detail, name="detail"),
    path("<str:key>/pdf/", views.sheet_pdf, name="pdf"),
    path("<str:key>/xlsx/", views.sheet_xlsx, name="xlsx"),
    path("<str:key>/job/<str:fmt>/", views.sheet_job, name="job"),
]
