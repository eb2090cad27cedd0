from django.apps import AppConfig


class ContinuityConfig(AppConfig):
    name = "tsunagu.continuity"
    verbose_name = "引継ぎと継続性"

    def ready(self) -> None:
        from tsunagu.continuity import plugin

        plugin.register()
