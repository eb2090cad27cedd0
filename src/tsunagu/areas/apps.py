from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "tsunagu.areas"
    verbose_name = "区域と統計"

    def ready(self) -> None:
        from tsunagu.areas.panels import register

        register()
