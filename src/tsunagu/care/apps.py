from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "tsunagu.care"
    verbose_name = "介護予防"

    def ready(self) -> None:
        from tsunagu.care import plugin

        plugin.register()
