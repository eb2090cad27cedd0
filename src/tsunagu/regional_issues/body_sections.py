"""What the regional-issues app adds to the body and meeting pages (bodies.extensions)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tsunagu.bodies.extensions import (
    ACTION_ITEM_ISSUES,
    BODY_DETAIL_SECTIONS,
    MEETING_DETAIL_SECTIONS,
    Section,
)
from tsunagu.core.plugins import register_hook
from tsunagu.regional_issues.selectors import frequent_themes_of_body, issue_list_visible_to


def action_item_issues(*, user: Any, municipality: Any) -> QuerySet[Any]:
    return issue_list_visible_to(user=user).filter(municipality=municipality)


def body_issues_section(*, user: Any, body: Any, can_edit: bool) -> Section:
    issues = action_item_issues(user=user, municipality=body.municipality)
    return Section(
        template="regional_issues/_body_issues.html",
        anchor="issues",
        label=_("地域課題"),
        context={
            "issues": issues.filter(body=body).order_by("-raised_on"),
            "themes": frequent_themes_of_body(body),
        },
    )


def meeting_issues_section(*, user: Any, meeting: Any, can_edit: bool) -> Section:
    issues = action_item_issues(user=user, municipality=meeting.body.municipality)
    return Section(
        template="regional_issues/_meeting_issues.html",
        anchor="issues",
        label=_("地域課題"),
        context={"issues": issues.filter(source_meeting=meeting)},
    )


def register() -> None:
    register_hook(BODY_DETAIL_SECTIONS, "regional_issues", body_issues_section)
    register_hook(MEETING_DETAIL_SECTIONS, "regional_issues", meeting_issues_section)
    register_hook(ACTION_ITEM_ISSUES, "regional_issues", action_item_issues)
