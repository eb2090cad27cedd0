from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "tsunagu.areas"
    verbose_name = "区域と統計"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.areas import plugin

        plugin.register()
