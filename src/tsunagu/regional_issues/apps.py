from django.apps import AppConfig


class RegionalIssuesConfig(AppConfig):
    name = "tsunagu.regional_issues"
    label = "regional_issues"
    verbose_name = "地域課題"

    def ready(self) -> None:
        from tsunagu.regional_issues.panels import register

        register()
