"""Pages of accompanying support (namespace "engagements", mounted at /engagements/)."""

from django.urls import path

from tsunagu.engagements.views import engagements, overview, programs, roadmaps, visits

app_name = "engagements"

urlpatterns = [
    path("", engagements.engagement_list, name="list"),
    path("new/", engagements.engagement_create, name="create"),
    path("overview/", overview.overview, name="overview"),
    path("insights/", visits.insight_search, name="insights"),
    path("programs/", programs.program_list, name="programs"),
    path("programs/new/", programs.program_form, name="program_create"),
    path("programs/<int:pk>/", programs.program_detail, name="program"),
    path("programs/<int:pk>/edit/", programs.program_form, name="program_edit"),
    path("programs/<int:pk>/selections/new/", programs.selection_create, name="selection_create"),
    path("follow-up-settings/<int:pk>/", overview.follow_up_settings, name="follow_up_settings"),
    path("roadmaps/", roadmaps.roadmap_list, name="roadmaps"),
    path("roadmaps/new/", roadmaps.roadmap_create, name="roadmap_create"),
    path("roadmaps/<int:pk>/", roadmaps.roadmap_detail, name="roadmap"),
    path("roadmaps/<int:pk>/edit/", roadmaps.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:pk>/milestones/new/", roadmaps.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", roadmaps.milestone_edit, name="milestone_edit"),
    path("<int:pk>/", engagements.engagement_detail, name="detail"),
    path("<int:pk>/edit/", engagements.engagement_edit, name="edit"),
    path("<int:pk>/status/", engagements.engagement_status, name="status"),
    path("<int:pk>/history/", engagements.engagement_history, name="history"),
    path("<int:pk>/breadth/", visits.breadth, name="breadth"),
    path("<int:pk>/advisors/new/", engagements.advisor_add, name="advisor_add"),
    path("advisors/<int:pk>/remove/", engagements.advisor_remove, name="advisor_remove"),
    path("<int:pk>/visits/new/", visits.visit_create, name="visit_create"),
    path("visits/<int:pk>/edit/", visits.visit_edit, name="visit_edit"),
    path("<int:pk>/insights/new/", visits.insight_create, name="insight_create"),
    path("<int:pk>/contacts/new/", visits.contact_create, name="contact_create"),
    path("<int:pk>/follow-ups/new/", visits.follow_up_create, name="follow_up_create"),
]
