"""Case sheets (事例表), mounted at /engagements/case-sheets/ (namespace "casesheets").

``key`` is the municipality's 6-digit code (a unique name works too).
"""

from django.urls import path

from tsunagu.engagements.casesheets import views

app_name = "casesheets"
urlpatterns = [
    path("", views.case_sheet_list, name="list"),
    path("points-of-attention/", views.attention_table, name="attention"),
    path("points-of-attention.xlsx", views.attention_xlsx, name="attention_xlsx"),
    path("<str:key>/", views.case_sheet_detail, name="detail"),
    path("<str:key>/edit/", views.case_sheet_edit, name="edit"),
    path("<str:key>/pdf/", views.case_sheet_pdf, name="pdf"),
    path("<str:key>/xlsx/", views.case_sheet_xlsx, name="xlsx"),
    path("<str:key>/job/<str:fmt>/", views.case_sheet_job, name="job"),
]
