"""The regional-issue dashboard panel: counts by stage, flagged issues and overdue action items.

Registered in ``RegionalIssuesConfig.ready()`` so the main dashboard shows it without importing
this app.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from tsunagu.core.panels import Panel, register_panel

PANEL_LIST_LIMIT = 5
STAGE_LIST_LIMIT = 3  # issues named per stage on the dashboard


def _context(request: HttpRequest) -> dict[str, Any] | None:
    from tsunagu.accounts.permissions import scope_for
    from tsunagu.bodies.selectors import overdue_action_items
    from tsunagu.regional_issues import flags, selectors

    user = request.user
    if scope_for(user).is_empty:
        return None
    try:  # the pages this panel links to must be installed (urls.py)
        reverse("regional_issues:list")
    except NoReverseMatch:
        return None
    # Counts and titles only: no themes or areas prefetched (the lists' selector does).
    issues = selectors.issue_summary_visible_to(user=user)
    unassigned = flags.unassigned_issues(issues)
    stale = flags.stale_issues(issues)
    stage_counts = selectors.counts_by_stage(issues)
    # A bare 「準備 1」 tells staff nothing: name the issues of each stage (a few, then
    # 「ほか N件」 linking to the stage's list).
    latest = selectors.latest_by_stage(issues, limit=STAGE_LIST_LIMIT)
    stages = []
    for value, label, n in stage_counts:
        if not n:
            continue
        named = latest.get(value, [])
        stages.append(
            {"value": value, "label": label, "count": n, "issues": named, "more": n - len(named)}
        )
    return {
        "stage_counts": stage_counts,
        "stages": stages,
        "total": sum(n for _value, _label, n in stage_counts),
        "unassigned": unassigned[:PANEL_LIST_LIMIT],
        "unassigned_count": len(unassigned),
        "stale": stale[:PANEL_LIST_LIMIT],
        "stale_count": len(stale),
        "overdue_count": overdue_action_items(user=user).count(),
    }


def register() -> None:
    register_panel(
        Panel(
            key="regional_issues.summary",
            title=_("地域課題"),
            template="regional_issues/panel_summary.html",
            context=_context,
            order=40,
        )
    )
