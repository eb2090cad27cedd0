from django.contrib.auth import views as auth_views
from django.urls import path

from tsunagu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("settings/", views.preferences, name="preferences"),
    path("language/", views.language_switch, name="language"),
    path("security/", views.security, name="security"),
    path("security/sessions/<int:pk>/end/", views.session_end, name="session_end"),
    path("security/sessions/end-others/", views.sessions_end_others, name="sessions_end_others"),
    path("security/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("security/feeds/rotate/", views.calendar_feeds_rotate, name="feeds_rotate"),
]
