from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "tsunagu.accounts"
    verbose_name = "アカウント"
