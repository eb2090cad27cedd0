from django.apps import AppConfig


class TransitConfig(AppConfig):
    name = "tsunagu.transit"
    verbose_name = "公共交通データ（GTFS）"
