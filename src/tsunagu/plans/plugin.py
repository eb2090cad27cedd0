"""How plans, shared goals, indicators and PDCA plug into the project."""

from tsunagu.core.plugins import AppPlugin, UrlMount, register_app
from tsunagu.plans import figures

PLUGIN = AppPlugin(
    label="plans",
    urls=(UrlMount("plans/", "tsunagu.plans.urls_figures"),),
)


def register() -> None:
    register_app(PLUGIN)
    figures.register()  # 指標・財政 menu entry, `tsunagu case-sheet --prefecture`
