from django.apps import AppConfig


class RegionalIssuesConfig(AppConfig):
    name = "tsunagu.regional_issues"
    label = "regional_issues"
    verbose_name = "地域課題"
