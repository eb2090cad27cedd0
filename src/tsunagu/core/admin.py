"""Operators' view of background jobs (read-only: jobs change through their pages)."""

from django.contrib import admin

from tsunagu.core.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("pk", "title", "kind", "status", "owner", "municipality", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "kind", "error")
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
