from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "tsunagu.demo"
    verbose_name = "デモデータ"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.demo import plugin

        plugin.register()
