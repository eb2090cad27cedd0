from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "tsunagu.plans"
    verbose_name = "計画・目標とPDCA"

    def ready(self) -> None:
        from tsunagu.plans import plugin

        plugin.register()
