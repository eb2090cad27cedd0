from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "tsunagu.directory"
    verbose_name = "地域資源ディレクトリ"

    def ready(self) -> None:
        from tsunagu.directory import panels

        panels.register()
