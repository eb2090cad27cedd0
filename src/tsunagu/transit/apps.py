from django.apps import AppConfig


class TransitConfig(AppConfig):
    name = "tsunagu.transit"
    verbose_name = "公共交通データ（GTFS）"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.transit import plugin

        plugin.register()
