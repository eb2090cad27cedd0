"""Admin for operators: read-mostly. Everyday changes go through the pages and services, so the
status transitions and history cannot be bypassed; status changes and reminders are read-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.engagements.models import (
    CaseSheetSettings,
    Engagement,
    EngagementStatusChange,
    FollowUpReminder,
    FollowUpSettings,
    Insight,
    InsightTag,
    Milestone,
    ProgramSelection,
    Roadmap,
    SupportProgram,
    Visit,
)


@admin.register(SupportProgram)
class SupportProgramAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "owner_kind",
        "owner_prefecture",
        "first_fiscal_year",
        "last_fiscal_year",
    )
    list_filter = ("owner_kind", "owner_prefecture")
    search_fields = ("name", "short_name")


@admin.register(ProgramSelection)
class ProgramSelectionAdmin(SimpleHistoryAdmin):
    list_display = ("program", "municipality", "fiscal_year", "status")
    list_filter = ("status", "fiscal_year")


@admin.register(FollowUpSettings)
class FollowUpSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("prefecture", "first_reminder_days", "repeat_reminder_days", "send_email")


@admin.register(Engagement)
class EngagementAdmin(SimpleHistoryAdmin):
    list_display = ("municipality", "fiscal_year", "theme", "program", "status")
    list_filter = ("status", "fiscal_year", "program")
    search_fields = ("theme", "municipality__name")
    readonly_fields = ("status", "status_reason", "status_changed_at")


@admin.register(EngagementStatusChange)
class EngagementStatusChangeAdmin(admin.ModelAdmin):
    list_display = ("engagement", "from_status", "to_status", "changed_at", "changed_by")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Visit)
class VisitAdmin(SimpleHistoryAdmin):
    list_display = ("engagement", "number", "visited_on", "focus")


@admin.register(Insight)
class InsightAdmin(SimpleHistoryAdmin):
    list_display = ("engagement", "realised_by", "created_at")
    search_fields = ("text",)
    readonly_fields = ("search_text",)


admin.site.register(InsightTag)


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ("title", "municipality", "first_fiscal_year", "last_fiscal_year")


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ("title", "roadmap", "fiscal_year", "status", "due_on")
    list_filter = ("status",)


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(admin.ModelAdmin):
    list_display = ("engagement", "due_on", "sent_at")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(CaseSheetSettings)
class CaseSheetSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("municipality", "sheet_number")
