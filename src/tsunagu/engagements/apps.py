from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "tsunagu.engagements"
    verbose_name = "伴走的支援"

    def ready(self) -> None:
        from tsunagu.engagements.panels import register

        register()
