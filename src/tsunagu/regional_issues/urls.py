"""Pages of regional issues (地域課題); the project includes these at /issues/."""

from django.urls import path

from tsunagu.regional_issues import views

app_name = "regional_issues"

urlpatterns = [
    path("", views.issue_list, name="list"),
    path("export.xlsx", views.issue_export, name="export"),
    path("new/", views.issue_create, name="create"),
    path("pick/<int:municipality_pk>/<str:field>/", views.issue_pick, name="pick"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/heat.xlsx", views.heat_export, name="heat_export"),
    path("<int:pk>/", views.issue_detail, name="detail"),
    path("<int:pk>/edit/", views.issue_edit, name="edit"),
    path("<int:pk>/stage/", views.issue_stage, name="stage"),
    path("<int:pk>/history/", views.issue_history, name="history"),
    path("<int:pk>/actors/new/", views.actor_add, name="actor_add"),
    path("actors/<int:pk>/end/", views.actor_end, name="actor_end"),
    path("<int:pk>/ideas/new/", views.idea_add, name="idea_add"),
    path("ideas/<int:pk>/adopt/", views.idea_adopt, name="idea_adopt"),
    path("<int:pk>/comments/new/", views.comment_add, name="comment_add"),
]
