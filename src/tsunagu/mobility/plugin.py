"""How mobility support (移動支援) plugs into the project: pages (rides, surveys, the
legal check), API, the ``tsunagu mobility`` commands, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app
from tsunagu.mobility import panels
from tsunagu.mobility.rides import gap_riders, jobs

PLUGIN = AppPlugin(
    label="mobility",
    urls=(UrlMount("mobility/", "tsunagu.mobility.urls"),),
    api=(
        ApiMount("/mobility/legal-check", "tsunagu.mobility.legal.api:router"),
        ApiMount("/mobility", "tsunagu.mobility.rides.api:router"),
    ),
    cli="tsunagu.mobility.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    panels.register()
    gap_riders.register()  # riders' homes as points of transit's gap analysis
    jobs.register()  # day plans run by the worker
    _register_stewarded_kind()


def _register_stewarded_kind() -> None:
    """Mobility schemes have stewards (continuity's ``stewarded_kinds``)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.mobility.permissions import can_edit_service, can_view_service

    register_kind(
        StewardedKind(
            model="mobility.MobilityService",
            label=_("移動支援の取組"),
            url=lambda service: reverse("mobility:service_detail", args=[service.pk]),
            title=lambda service: service.name,
            can_view=can_view_service,
            can_edit=can_edit_service,
            areas=lambda service: tuple(d.name for d in service.districts.all()),
            order=45,
        )
    )
