from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.accounts.models import Membership, User


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
    list_display = ("user", "role", "prefecture", "municipality", "starts_on", "ends_on")
    list_filter = ("role", "prefecture")
