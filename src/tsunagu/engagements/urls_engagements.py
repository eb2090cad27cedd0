"""Pages of accompanying support (namespace "engagements", mounted at /engagements/)."""

from django.urls import path

from tsunagu.engagements import views

app_name = "engagements"

urlpatterns = [
    path("", views.engagement_list, name="list"),
    path("new/", views.engagement_create, name="create"),
    path("overview/", views.overview, name="overview"),
    path("insights/", views.insight_search, name="insights"),
    path("programs/", views.program_list, name="programs"),
    path("programs/new/", views.program_form, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program"),
    path("programs/<int:pk>/edit/", views.program_form, name="program_edit"),
    path("programs/<int:pk>/selections/new/", views.selection_create, name="selection_create"),
    path("follow-up-settings/<int:pk>/", views.follow_up_settings, name="follow_up_settings"),
    path("roadmaps/", views.roadmap_list, name="roadmaps"),
    path("roadmaps/new/", views.roadmap_create, name="roadmap_create"),
    path("roadmaps/<int:pk>/", views.roadmap_detail, name="roadmap"),
    path("roadmaps/<int:pk>/edit/", views.roadmap_edit, name="roadmap_edit"),
    path("roadmaps/<int:pk>/milestones/new/", views.milestone_create, name="milestone_create"),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("<int:pk>/", views.engagement_detail, name="detail"),
    path("<int:pk>/edit/", views.engagement_edit, name="edit"),
    path("<int:pk>/status/", views.engagement_status, name="status"),
    path("<int:pk>/history/", views.engagement_history, name="history"),
    path("<int:pk>/breadth/", views.breadth, name="breadth"),
    path("<int:pk>/advisors/new/", views.advisor_add, name="advisor_add"),
    path("advisors/<int:pk>/remove/", views.advisor_remove, name="advisor_remove"),
    path("<int:pk>/visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("<int:pk>/insights/new/", views.insight_create, name="insight_create"),
    path("<int:pk>/contacts/new/", views.contact_create, name="contact_create"),
    path("<int:pk>/follow-ups/new/", views.follow_up_create, name="follow_up_create"),
]
