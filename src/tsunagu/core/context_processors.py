from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

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
    }
