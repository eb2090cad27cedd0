from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from tsunagu.core.plugins import hooks

# Extension point: apps add main-menu entries that depend on the user (care's 住民, shown only
# to holders of the care right). Each function takes the request and returns a list of
# ``{"label": str, "url": str, "active": bool}``.
MAIN_NAV_HOOK = "main_nav_items"

MOBILITY_NAMESPACES = ("mobility", "mobility_surveys", "mobility_legal", "transit", "transit_gap")


def site(request: HttpRequest) -> dict[str, object]:
    """Values every page template needs (site name, environment, date style)."""
    user = getattr(request, "user", None)
    date_style = (
        getattr(user, "date_style", "wareki") if user and user.is_authenticated else "wareki"
    )
    return {
        "site_name": "つなぐ Tsunagu",
        "tsunagu_env": settings.ENV,
        "date_style": date_style,
        # URL namespaces under 移動支援 in the main menu.
        "mobility_namespaces": MOBILITY_NAMESPACES,
        "extra_nav_items": _extra_nav(request),
    }


def _extra_nav(request: HttpRequest) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if not (user and user.is_authenticated):
        return []
    return [item for provide in hooks(MAIN_NAV_HOOK) for item in provide(request)]
