from django.apps import AppConfig


class BodiesConfig(AppConfig):
    name = "tsunagu.bodies"
    verbose_name = "協議体・会議"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.bodies import plugin

        plugin.register()
