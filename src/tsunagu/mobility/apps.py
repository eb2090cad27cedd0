from django.apps import AppConfig


class MobilityConfig(AppConfig):
    name = "tsunagu.mobility"
    verbose_name = "移動支援"

    def ready(self) -> None:
        from tsunagu.mobility.panels import register

        register()
