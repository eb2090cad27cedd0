from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "tsunagu.mobility"
    verbose_name = "移動支援"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.mobility import plugin

        plugin.register()
