from django.apps import AppConfig

from tsunagu.core.forms import install_boundary_validation

# Before any app's ready() (the admin's autodiscovery imports forms): every form field built
# from here on gets the shared input checks.
install_boundary_validation()


class CoreConfig(AppConfig):
    name = "tsunagu.core"
    verbose_name = "共通"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.core import plugin

        plugin.register()
