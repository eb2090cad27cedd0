"""Pages of consultative bodies, meetings, action items and certification (signed in)."""

from django.urls import path

from tsunagu.bodies.views import (
    action_items,
    attendance,
    bodies,
    certification,
    feeds,
    meetings,
    members,
)

app_name = "bodies"

urlpatterns = [
    path("", bodies.body_list, name="list"),
    path("new/", bodies.body_create, name="create"),
    path("<int:pk>/", bodies.body_detail, name="detail"),
    path("<int:pk>/edit/", bodies.body_edit, name="edit"),
    path("<int:pk>/history/", bodies.body_history, name="history"),
    path("<int:pk>/members/new/", members.member_add, name="member_add"),
    path("members/<int:pk>/end/", members.member_end, name="member_end"),
    path("members/<int:pk>/history/", members.member_history, name="member_history"),
    # meetings
    path("<int:pk>/meetings/", bodies.body_meetings, name="meetings"),
    path("<int:pk>/meetings/new/", meetings.meeting_create, name="meeting_create"),
    path("<int:pk>/meetings/series/", meetings.meeting_series, name="meeting_series"),
    path("<int:pk>/meetings.ics", feeds.body_ics, name="body_ics"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path(
        "meetings/<int:pk>/facilitator/", meetings.meeting_facilitator, name="meeting_facilitator"
    ),
    path("meetings/<int:pk>/attendance/", attendance.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", attendance.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attachments/new/", meetings.attachment_add, name="attachment_add"),
    path("meetings/<int:pk>/decisions/new/", meetings.decision_add, name="decision_add"),
    path("meetings/<int:pk>/print/", meetings.meeting_print, name="meeting_print"),
    path("meetings/<int:pk>/history/", meetings.meeting_history, name="meeting_history"),
    path("attachments/<int:pk>/", meetings.attachment_download, name="attachment"),
    # action items (宿題)
    path("action-items/", action_items.action_item_list, name="action_items"),
    path("<int:pk>/action-items/new/", action_items.action_item_create, name="action_item_create"),
    path("action-items/<int:pk>/edit/", action_items.action_item_edit, name="action_item_edit"),
    path(
        "action-items/<int:pk>/status/", action_items.action_item_status, name="action_item_status"
    ),
    path(
        "action-items/<int:pk>/history/",
        action_items.action_item_history,
        name="action_item_history",
    ),
    # calendar feeds
    path("calendar/", feeds.calendar_page, name="calendar"),
    path("my-meetings.ics", feeds.my_ics, name="my_ics"),
    path("feed/<str:token>.ics", feeds.feed_ics, name="feed_ics"),
    # certification (認定)
    path("certification/", certification.certification_index, name="certification_index"),
    path("certification/rules/new/", certification.rules_create, name="rules_create"),
    path("certification/rules/<int:pk>/edit/", certification.rules_edit, name="rules_edit"),
    path(
        "certification/rules/<int:pk>/history/", certification.rules_history, name="rules_history"
    ),
    path(
        "<int:pk>/certification/apply/",
        certification.certification_apply,
        name="certification_apply",
    ),
    path(
        "certification/<int:pk>/", certification.certification_detail, name="certification_detail"
    ),
    path(
        "certification/<int:pk>/review/",
        certification.certification_review,
        name="certification_review",
    ),
    path(
        "certification/<int:pk>/decide/",
        certification.certification_decide,
        name="certification_decide",
    ),
    path(
        "certification/<int:pk>/resubmit/",
        certification.certification_resubmit,
        name="certification_resubmit",
    ),
    path("certification/<int:pk>/documents/new/", certification.document_add, name="document_add"),
    path(
        "certification/<int:pk>/history/",
        certification.certification_history,
        name="certification_history",
    ),
    path("documents/<int:pk>/", certification.document_download, name="document"),
]
