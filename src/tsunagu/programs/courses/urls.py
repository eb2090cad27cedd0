"""Service C pages, mounted under ``care/courses/`` by the care plugin (``care_courses``)."""

from django.urls import path

from tsunagu.programs.courses import views

app_name = "care_courses"

urlpatterns = [
    path("", views.course_list, name="list"),
    path("new/", views.course_create, name="create"),
    path("settings/", views.settings_edit, name="settings"),
    path("follow-ups/", views.follow_ups, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", views.follow_up_record, name="follow_up"),
    path("outcomes/", views.outcome_report, name="report"),
    path("outcomes/export/", views.outcome_export, name="report_export"),
    path("readiness/", views.readiness, name="readiness"),
    path("readiness/issue/", views.readiness_issue, name="readiness_issue"),
    path("<int:course_id>/", views.course_detail, name="detail"),
    path("<int:course_id>/sessions/new/", views.session_add, name="session_add"),
    path("<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("participants/<int:participant_id>/", views.participant_detail, name="participant"),
    path("participants/<int:participant_id>/goals/new/", views.goal_add, name="goal_add"),
    path("goals/<int:goal_id>/achieved/", views.goal_achieved, name="goal_achieved"),
    path("participants/<int:participant_id>/assessment/", views.assessment, name="assessment"),
    path(
        "participants/<int:participant_id>/candidates/new/",
        views.candidate_add,
        name="candidate_add",
    ),
    path("participants/<int:participant_id>/graduate/", views.graduate, name="graduate"),
]
