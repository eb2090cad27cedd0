from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "tsunagu.engagements"
    verbose_name = "伴走的支援"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.engagements import plugin

        plugin.register()
