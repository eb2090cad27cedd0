"""How regional issues (地域課題) plug into the project: pages under /issues/, API, panels."""

from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app, register_hook
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
    _register_stewarded_kind()
    _register_care_shortage()


def _register_care_shortage() -> None:
    """Care's readiness page raises 「受皿が不足」 through this hook (care may not import us)."""
    from tsunagu.regional_issues.care_shortage import shortage_actions

    register_hook("care_receiver_shortage", "regional_issues", shortage_actions)


def _register_stewarded_kind() -> None:
    """Regional issues have stewards (continuity's ``stewarded_kinds``)."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    from tsunagu.continuity.registry import StewardedKind, register_kind
    from tsunagu.continuity.timeline.entries import register_timeline
    from tsunagu.regional_issues.timeline import issue_last_activity, issue_timeline

    register_kind(
        StewardedKind(
            model="regional_issues.RegionalIssue",
            label=_("地域課題"),
            url=lambda issue: reverse("regional_issues:detail", args=[issue.pk]),
            title=lambda issue: issue.title,
            areas=lambda issue: tuple(
                [a.name for a in issue.daily_life_areas.all()]
                + [d.name for d in issue.districts.all()]
            ),
            last_activity=issue_last_activity,
            is_open=lambda issue: issue.stage != "done",
            order=30,
        )
    )
    register_timeline("regional_issues", issue_timeline)
