"""Reads of regional issues, scoped to the user's municipalities."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from typing import Any

from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from tsunagu.accounts.permissions import can_view, scope_q
from tsunagu.core.errors import NotFound
from tsunagu.regional_issues.models import ExecutingActor, IssueStage, RegionalIssue, Theme


def issue_list_visible_to(*, user: Any) -> QuerySet[RegionalIssue]:
    return (
        RegionalIssue.objects.filter(scope_q(user))
        .select_related("municipality", "body", "raised_by_organisation")
        .prefetch_related("themes", "districts", "daily_life_areas")
    )


def issue_get_for_user(*, user: Any, pk: int, related: bool = True) -> RegionalIssue:
    """The issue, or NotFound; ``related=False`` skips the issue page's related lists (its
    forms need the issue and its municipality only)."""
    if not related:
        issue = RegionalIssue.objects.select_related("municipality").filter(pk=pk).first()
        if issue is None or not can_view(user, issue):
            raise NotFound()
        return issue
    issue = (
        RegionalIssue.objects.select_related(
            "municipality__prefecture",
            "body",
            "source_meeting",
            "raised_by_organisation",
            "raised_by_person",
        )
        .prefetch_related(
            "themes",
            "districts",
            "daily_life_areas",
            "resources",
            "organisations",
            "ideas",
            Prefetch(
                "executing_actors", queryset=ExecutingActor.objects.select_related("organisation")
            ),
            "stage_changes__changed_by",
            "comments__author",
        )
        .filter(pk=pk)
        .first()
    )
    if issue is None or not can_view(user, issue):
        raise NotFound()
    return issue


def issue_summary_visible_to(*, user: Any) -> QuerySet[RegionalIssue]:
    """The issues the user may see, without the lists' prefetches (for counts and titles)."""
    return RegionalIssue.objects.filter(scope_q(user)).select_related("municipality")


def latest_by_stage(
    issues: QuerySet[RegionalIssue], *, limit: int
) -> dict[str, list[RegionalIssue]]:
    """Per stage, its ``limit`` most recently updated issues: one query (a window), not one
    per stage."""
    ranked = (
        issues.annotate(
            stage_rank=Window(
                RowNumber(),
                partition_by=[F("stage")],
                order_by=[F("updated_at").desc(), F("pk").asc()],
            )
        )
        .filter(stage_rank__lte=limit)
        .order_by("stage", "-updated_at", "pk")
    )
    grouped: dict[str, list[RegionalIssue]] = defaultdict(list)
    for issue in ranked:
        grouped[issue.stage].append(issue)
    return grouped


def counts_by_stage(issues: QuerySet[RegionalIssue]) -> list[tuple[str, str, int]]:
    counts = Counter(issues.values_list("stage", flat=True))
    return [(value, label, counts.get(value, 0)) for value, label in IssueStage.choices]


def theme_by_area_table(issues: QuerySet[RegionalIssue]) -> dict[str, Any]:
    """A heat table: rows are themes, columns are areas (districts, else the municipality)."""
    cells: dict[tuple[int, str], int] = defaultdict(int)
    columns: dict[str, str] = {}
    for issue in issues.prefetch_related("themes", "districts", "daily_life_areas"):
        areas = [d.name for d in issue.districts.all()] or [
            a.name for a in issue.daily_life_areas.all()
        ]
        if not areas:
            areas = [f"{issue.municipality.name}（全域）"]
        for area in areas:
            columns[area] = area
            for theme in issue.themes.all() or []:
                cells[(theme.pk, area)] += 1
    themes = list(Theme.objects.all())
    rows = [
        {"theme": theme, "counts": [cells.get((theme.pk, column), 0) for column in columns]}
        for theme in themes
    ]
    maximum = max(cells.values(), default=0)
    return {"columns": list(columns), "rows": rows, "max": maximum}


def frequent_themes_of_body(
    body: Any, *, since: datetime.date | None = None, limit: int = 5
) -> list[tuple[Theme, int]]:
    """The themes most often raised at a body over a period."""
    since = since or (timezone.localdate() - datetime.timedelta(days=365))
    counts: Counter[int] = Counter(
        RegionalIssue.objects.filter(body=body, raised_on__gte=since).values_list(
            "themes", flat=True
        )
    )
    counts.pop(None, None)  # type: ignore[call-overload]
    themes = Theme.objects.in_bulk(list(counts))
    return [(themes[pk], n) for pk, n in counts.most_common(limit) if pk in themes]


# --- added for the web UI (list filters, dashboard, executing actors, ideas) -----------------


def issue_list_filtered(
    *,
    user: Any,
    municipality: Any = None,
    theme: Theme | None = None,
    area: Any = None,
    stage: str = "",
    body: Any = None,
    flag: str = "",
    q: str = "",
    now: datetime.datetime | None = None,
) -> QuerySet[RegionalIssue]:
    """The visible issues narrowed by the list filters.

    ``area`` is a DailyLifeArea (issues of the area or of its districts) or a District;
    ``flag`` is one of ``flags.FLAG_UNASSIGNED`` / ``flags.FLAG_STALE``.
    """
    from django.db.models import Q

    from tsunagu.areas.models import DailyLifeArea, District
    from tsunagu.regional_issues import flags

    issues = issue_list_visible_to(user=user)
    if municipality is not None:
        issues = issues.filter(municipality=municipality)
    if theme is not None:
        issues = issues.filter(themes=theme)
    if isinstance(area, District):
        issues = issues.filter(districts=area)
    elif isinstance(area, DailyLifeArea):
        issues = issues.filter(Q(daily_life_areas=area) | Q(districts__daily_life_area=area))
    if stage:
        issues = issues.filter(stage=stage)
    if body is not None:
        issues = issues.filter(body=body)
    if q.strip():
        issues = issues.filter(Q(title__icontains=q.strip()) | Q(description__icontains=q.strip()))
    # Filtering through many-to-many joins repeats rows: select the keys, then the issues once.
    issues = issue_list_visible_to(user=user).filter(pk__in=issues.values("pk"))
    if flag:
        issues = issues.filter(pk__in=flags.flagged_ids(issues, flag, now=now))
    return issues


def executing_actor_get_for_user(*, user: Any, pk: int) -> ExecutingActor:
    executing = (
        ExecutingActor.objects.select_related("issue__municipality", "organisation")
        .filter(pk=pk)
        .first()
    )
    if executing is None or not can_view(user, executing.issue):
        raise NotFound()
    return executing


def idea_get_for_user(*, user: Any, pk: int) -> Any:
    from tsunagu.regional_issues.models import Idea

    idea = Idea.objects.select_related("issue__municipality").filter(pk=pk).first()
    if idea is None or not can_view(user, idea.issue):
        raise NotFound()
    return idea


def theme_by_municipality_table(issues: QuerySet[RegionalIssue]) -> dict[str, Any]:
    """Like :func:`theme_by_area_table` with municipalities as columns (prefecture view)."""
    cells: dict[tuple[int, str], int] = defaultdict(int)
    columns: dict[str, str] = {}
    for issue in (
        issues.select_related("municipality")
        .prefetch_related("themes")
        .order_by("municipality__code", "pk")
    ):
        name = issue.municipality.name
        columns[name] = name
        for theme in issue.themes.all():
            cells[(theme.pk, name)] += 1
    rows = [
        {"theme": theme, "counts": [cells.get((theme.pk, column), 0) for column in columns]}
        for theme in Theme.objects.all()
    ]
    return {"columns": list(columns), "rows": rows, "max": max(cells.values(), default=0)}
