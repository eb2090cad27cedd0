"""How regional issues (地域課題) plug into the project: pages under /issues/, API, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.regional_issues import body_sections, panels

PLUGIN = AppPlugin(
    label="regional_issues",
    urls=(UrlMount("issues/", "tsunagu.regional_issues.urls"),),
    api=(ApiMount("/issues", "tsunagu.regional_issues.api:router"),),
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
    body_sections.register()  # the issues on body and meeting pages
