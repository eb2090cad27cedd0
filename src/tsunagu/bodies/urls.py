"""Pages of consultative bodies, meetings, action items and certification (signed in)."""

from django.urls import path

from tsunagu.bodies import views

app_name = "bodies"

urlpatterns = [
    path("", views.body_list, name="list"),
    path("new/", views.body_create, name="create"),
    path("<int:pk>/", views.body_detail, name="detail"),
    path("<int:pk>/edit/", views.body_edit, name="edit"),
    path("<int:pk>/history/", views.body_history, name="history"),
    path("<int:pk>/members/new/", views.member_add, name="member_add"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("members/<int:pk>/history/", views.member_history, name="member_history"),
    # meetings
    path("<int:pk>/meetings/", views.body_meetings, name="meetings"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/meetings/series/", views.meeting_series, name="meeting_series"),
    path("<int:pk>/meetings.ics", views.body_ics, name="body_ics"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/facilitator/", views.meeting_facilitator, name="meeting_facilitator"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attachments/new/", views.attachment_add, name="attachment_add"),
    path("meetings/<int:pk>/decisions/new/", views.decision_add, name="decision_add"),
    path("meetings/<int:pk>/print/", views.meeting_print, name="meeting_print"),
    path("meetings/<int:pk>/history/", views.meeting_history, name="meeting_history"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    # action items (宿題)
    path("action-items/", views.action_item_list, name="action_items"),
    path("<int:pk>/action-items/new/", views.action_item_create, name="action_item_create"),
    path("action-items/<int:pk>/edit/", views.action_item_edit, name="action_item_edit"),
    path("action-items/<int:pk>/status/", views.action_item_status, name="action_item_status"),
    path("action-items/<int:pk>/history/", views.action_item_history, name="action_item_history"),
    # calendar feeds
    path("calendar/", views.calendar_page, name="calendar"),
    path("my-meetings.ics", views.my_ics, name="my_ics"),
    path("feed/<str:token>.ics", views.feed_ics, name="feed_ics"),
    # certification (認定)
    path("certification/", views.certification_index, name="certification_index"),
    path("certification/rules/new/", views.rules_create, name="rules_create"),
    path("certification/rules/<int:pk>/edit/", views.rules_edit, name="rules_edit"),
    path("certification/rules/<int:pk>/history/", views.rules_history, name="rules_history"),
    path("<int:pk>/certification/apply/", views.certification_apply, name="certification_apply"),
    path("certification/<int:pk>/", views.certification_detail, name="certification_detail"),
    path("certification/<int:pk>/review/", views.certification_review, name="certification_review"),
    path("certification/<int:pk>/decide/", views.certification_decide, name="certification_decide"),
    path(
        "certification/<int:pk>/resubmit/",
        views.certification_resubmit,
        name="certification_resubmit",
    ),
    path("certification/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path(
        "certification/<int:pk>/history/",
        views.certification_history,
        name="certification_history",
    ),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
