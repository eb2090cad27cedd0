from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tsunagu.dashboard"
    verbose_name = "ダッシュボード"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.dashboard import plugin

        plugin.register()
