"""Flags on issues: 担い手未定 (no executing actor for too long) and stale issues."""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from tsunagu.regional_issues.models import (
    DEFAULT_STALE_DAYS,
    DEFAULT_UNASSIGNED_FLAG_DAYS,
    ExecutingActor,
    IssueSettings,
    IssueStage,
    RegionalIssue,
)

UNASSIGNED_STAGES = (IssueStage.DISCUSSING, IssueStage.PLANNING)
OPEN_STAGES = (
    IssueStage.IDENTIFIED,
    IssueStage.DISCUSSING,
    IssueStage.PLANNING,
    IssueStage.PREPARING,
    IssueStage.RUNNING,
    IssueStage.REVIEWING,
)


def _thresholds(municipality_ids: set[int]) -> dict[int, IssueSettings]:
    return {
        s.municipality_id: s
        for s in IssueSettings.objects.filter(municipality_id__in=municipality_ids)
    }


def unassigned_issues(
    issues: QuerySet[RegionalIssue], *, now: datetime.datetime | None = None
) -> list[RegionalIssue]:
    """担い手未定: in 検討 or 企画 without an executing actor for longer than the threshold."""
    now = now or timezone.now()
    active_actor = ExecutingActor.objects.filter(issue=OuterRef("pk"), ended_on__isnull=True)
    candidates = list(
        issues.filter(stage__in=UNASSIGNED_STAGES)
        .prefetch_related("stage_changes")
        .filter(~Exists(active_actor))
        .select_related("municipality")
    )
    settings = _thresholds({i.municipality_id for i in candidates})
    flagged = []
    for issue in candidates:
        days = (
            settings[issue.municipality_id].unassigned_flag_days
            if issue.municipality_id in settings
            else DEFAULT_UNASSIGNED_FLAG_DAYS
        )
        if now - _unassigned_since(issue) > datetime.timedelta(days=days):
            flagged.append(issue)
    return flagged


def _unassigned_since(issue: RegionalIssue) -> datetime.datetime:
    """Start of the current unbroken run of 検討/企画 (moving 検討 → 企画 does not reset it)."""
    since = issue.stage_entered_at
    changes = sorted(issue.stage_changes.all(), key=lambda c: (c.changed_at, c.pk), reverse=True)
    for change in changes:
        if change.to_stage not in UNASSIGNED_STAGES:
            break
        since = min(since, change.changed_at)
    return since


def is_unassigned(issue: RegionalIssue, *, now: datetime.datetime | None = None) -> bool:
    return bool(unassigned_issues(RegionalIssue.objects.filter(pk=issue.pk), now=now))


def stale_issues(
    issues: QuerySet[RegionalIssue], *, now: datetime.datetime | None = None
) -> list[RegionalIssue]:
    """Open issues with no update for longer than the municipality's stale threshold."""
    now = now or timezone.now()
    candidates = list(issues.filter(stage__in=OPEN_STAGES).select_related("municipality"))
    settings = _thresholds({i.municipality_id for i in candidates})
    result = []
    for issue in candidates:
        days = (
            settings[issue.municipality_id].stale_days
            if issue.municipality_id in settings
            else DEFAULT_STALE_DAYS
        )
        if now - max(issue.updated_at, issue.stage_entered_at) > datetime.timedelta(days=days):
            result.append(issue)
    return result


def flag_labels(issue: RegionalIssue, *, now: datetime.datetime | None = None) -> list[str]:
    labels = []
    if is_unassigned(issue, now=now):
        labels.append("担い手未定")
    if stale_issues(RegionalIssue.objects.filter(pk=issue.pk), now=now):
        labels.append("停滞")
    return labels


# --- added for the web UI (list, dashboard, exports) ---------------------------------------

FLAG_UNASSIGNED = "unassigned"
FLAG_STALE = "stale"
FLAG_LABELS = {FLAG_UNASSIGNED: "担い手未定", FLAG_STALE: "停滞"}


def flag_map(
    issues: QuerySet[RegionalIssue], *, now: datetime.datetime | None = None
) -> dict[int, list[str]]:
    """Flag labels of many issues at once (two queries, not two per issue): pk → labels."""
    now = now or timezone.now()
    unassigned = {issue.pk for issue in unassigned_issues(issues, now=now)}
    stale = {issue.pk for issue in stale_issues(issues, now=now)}
    result: dict[int, list[str]] = {}
    for pk in unassigned | stale:
        labels = []
        if pk in unassigned:
            labels.append(FLAG_LABELS[FLAG_UNASSIGNED])
        if pk in stale:
            labels.append(FLAG_LABELS[FLAG_STALE])
        result[pk] = labels
    return result


def flagged_ids(
    issues: QuerySet[RegionalIssue], flag: str, *, now: datetime.datetime | None = None
) -> set[int]:
    """Primary keys of the issues carrying ``flag`` (FLAG_UNASSIGNED or FLAG_STALE)."""
    if flag == FLAG_UNASSIGNED:
        return {issue.pk for issue in unassigned_issues(issues, now=now)}
    if flag == FLAG_STALE:
        return {issue.pk for issue in stale_issues(issues, now=now)}
    return set()
