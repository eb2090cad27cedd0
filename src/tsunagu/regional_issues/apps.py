from django.apps import AppConfig


class RegionalIssuesConfig(AppConfig):
    name = "tsunagu.regional_issues"
    label = "regional_issues"
    verbose_name = "地域課題"

    def ready(self) -> None:
        # Imported only now: the plugin's modules use models, loaded after apps.py.
        from tsunagu.regional_issues import plugin

        plugin.register()
