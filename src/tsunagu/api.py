"""The NinjaAPI instance; each app adds its router here."""

from ninja import NinjaAPI

from tsunagu import __version__

api = NinjaAPI(title="つなぐ Tsunagu API", version=__version__, urls_namespace="api")


def _register_routers() -> None:
    from tsunagu.directory.api import router as directory_router

    api.add_router("/directory/", directory_router)


_register_routers()
