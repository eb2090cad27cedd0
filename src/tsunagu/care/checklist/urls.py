from django.urls import path

from tsunagu.care.checklist import views

app_name = "care_checklist"

urlpatterns = [
    path("", views.home, name="home"),
    path("residents/<int:resident_id>/", views.resident_checklists, name="resident"),
    path("residents/<int:resident_id>/new/", views.checklist_new, name="new"),
    path("<int:pk>/", views.checklist_detail, name="detail"),
    path("<int:pk>/edit/", views.checklist_edit, name="edit"),
    path("<int:pk>/history/", views.checklist_history, name="history"),
    path("import/", views.checklist_import, name="import"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey"),
    path("surveys/<int:pk>/export.xlsx", views.survey_export, name="survey_export"),
    path("surveys/<int:pk>/delete/", views.survey_delete, name="survey_delete"),
    path("report/", views.report, name="report"),
    path("report/export.xlsx", views.report_export, name="report_export"),
]
