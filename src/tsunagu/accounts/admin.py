from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.accounts.models import Membership, PersonalDataReadLog, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Tsunagu", {"fields": ("full_name", "language", "date_style")}),
    )
    list_display = ("username", "full_name", "is_active", "is_superuser", "last_login")
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = (
        "user",
        "role",
        "prefecture",
        "municipality",
        "can_view_personal_data",
        "starts_on",
        "ends_on",
    )
    list_filter = ("role", "prefecture")


@admin.register(PersonalDataReadLog)
class PersonalDataReadLogAdmin(admin.ModelAdmin):
    """Read-only: the log of reads of personal data is evidence, never edited."""

    list_display = ("read_at", "user", "model_label", "object_repr", "purpose", "path")
    list_filter = ("model_label",)
    search_fields = ("user__username", "object_repr", "purpose")
    date_hierarchy = "read_at"

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
