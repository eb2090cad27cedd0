from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "tsunagu.bodies"
    verbose_name = "協議体・会議"

    def ready(self) -> None:
        from tsunagu.bodies.panels import register

        register()
