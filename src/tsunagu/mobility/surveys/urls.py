"""Needs surveys (ニーズ調査): namespace "mobility_surveys", mounted at /mobility/surveys/."""

from django.urls import path

from tsunagu.mobility.surveys import views

app_name = "mobility_surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_create, name="create"),
    path("template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("questionnaire/", views.questionnaire, name="questionnaire"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/edit/", views.survey_edit, name="edit"),
    path("<int:survey_id>/delete/", views.survey_delete, name="delete"),
    path("<int:survey_id>/summary.xlsx", views.summary_xlsx, name="summary_xlsx"),
    path("<int:survey_id>/responses/", views.response_list, name="responses"),
    path("<int:survey_id>/responses.xlsx", views.responses_xlsx, name="responses_xlsx"),
    path("<int:survey_id>/responses/new/", views.response_add, name="response_add"),
    path(
        "<int:survey_id>/responses/<int:response_id>/edit/",
        views.response_edit,
        name="response_edit",
    ),
    path(
        "<int:survey_id>/responses/<int:response_id>/delete/",
        views.response_delete,
        name="response_delete",
    ),
    path("<int:survey_id>/import/", views.response_import, name="import"),
]
