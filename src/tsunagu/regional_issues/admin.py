"""Admin for operators: read-mostly lists of regional issues, themes and thresholds.

Everyday changes go through the pages (and services, with history and stage gates); stage
changes and comments are read-only here so that the gates cannot be bypassed by accident.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.regional_issues.models import (
    Comment,
    ExecutingActor,
    Idea,
    IssueSettings,
    RegionalIssue,
    StageChange,
    Theme,
)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "name_en", "sort_order")
    list_editable = ("sort_order",)
    search_fields = ("name", "code", "name_en")


@admin.register(IssueSettings)
class IssueSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("municipality", "unassigned_flag_days", "stale_days")
    raw_id_fields = ("municipality",)


class ExecutingActorInline(admin.TabularInline):
    model = ExecutingActor
    extra = 0
    raw_id_fields = ("organisation",)


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    can_delete = False
    readonly_fields = ("from_stage", "to_stage", "changed_at", "changed_by", "reason")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(RegionalIssue)
class RegionalIssueAdmin(SimpleHistoryAdmin):
    list_display = ("title", "municipality", "stage", "body", "raised_on", "stage_entered_at")
    list_filter = ("stage", "municipality", "themes")
    search_fields = ("title", "description")
    date_hierarchy = "raised_on"
    readonly_fields = ("stage", "stage_entered_at", "held_from_stage", "created_at", "updated_at")
    raw_id_fields = (
        "body",
        "source_meeting",
        "raised_by_organisation",
        "raised_by_person",
        "resources",
        "organisations",
    )
    filter_horizontal = ("themes", "daily_life_areas", "districts")
    inlines = [ExecutingActorInline, StageChangeInline]


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "issue", "proposer_person", "proposer_organisation", "adopted_at")
    raw_id_fields = ("issue", "proposer_person", "proposer_organisation", "meeting")
    search_fields = ("text",)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("__str__", "issue", "author", "created_at")
    readonly_fields = ("issue", "author", "text", "created_at")
    search_fields = ("text",)
