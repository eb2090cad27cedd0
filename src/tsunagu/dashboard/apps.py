from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tsunagu.dashboard"
    verbose_name = "ダッシュボード"
