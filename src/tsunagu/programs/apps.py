from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "tsunagu.programs"
    verbose_name = "総合事業のサービス・活動"

    def ready(self) -> None:
        from tsunagu.programs import plugin

        plugin.register()
