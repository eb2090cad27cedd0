"""Admin for operators: read-mostly lists of bodies, meetings, action items and certification.

Everyday changes go through the pages (and services, with history); the admin is for looking
things up and for repairs.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tsunagu.bodies.models import (
    ActionItem,
    Attendance,
    BodyMember,
    CertificationApplication,
    CertificationDocument,
    CertificationRules,
    ConsultativeBody,
    Decision,
    Meeting,
    MeetingAttachment,
)


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    raw_id_fields = ("organisation", "person", "district")


@admin.register(ConsultativeBody)
class ConsultativeBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "layer", "municipality", "status", "is_resident_led")
    list_filter = ("municipality", "kind", "status", "is_resident_led")
    search_fields = ("name", "purpose")
    raw_id_fields = ("parent", "host_organisation", "secretariat", "coordinator")
    inlines = [BodyMemberInline]


@admin.register(BodyMember)
class BodyMemberAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "body", "role", "starts_on", "ends_on")
    list_filter = ("role", "body__municipality")
    search_fields = ("body__name", "organisation__name", "person__name")
    raw_id_fields = ("body", "organisation", "person", "district")


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ("person", "organisation")


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "body", "starts_at", "status", "facilitator")
    list_filter = ("status", "body__municipality")
    search_fields = ("title", "body__name", "agenda")
    date_hierarchy = "starts_at"
    raw_id_fields = ("body", "facilitator")
    inlines = [AttendanceInline, DecisionInline, MeetingAttachmentInline]


@admin.register(ActionItem)
class ActionItemAdmin(SimpleHistoryAdmin):
    list_display = ("title", "body", "owner_person", "owner_organisation", "due_on", "status")
    list_filter = ("status", "body__municipality")
    search_fields = ("title", "body__name")
    raw_id_fields = (
        "body",
        "meeting",
        "owner_person",
        "owner_organisation",
        "regional_issue",
    )


@admin.register(CertificationRules)
class CertificationRulesAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality", "effective_from", "min_member_organisations")
    list_filter = ("municipality",)


class CertificationDocumentInline(admin.TabularInline):
    model = CertificationDocument
    extra = 0
    readonly_fields = ("uploaded_at", "uploaded_by")


@admin.register(CertificationApplication)
class CertificationApplicationAdmin(SimpleHistoryAdmin):
    list_display = (
        "body",
        "status",
        "submitted_on",
        "certificate_number",
        "certified_on",
        "valid_until",
    )
    list_filter = ("status", "rules__municipality")
    search_fields = ("body__name", "certificate_number")
    raw_id_fields = ("body", "rules", "renewal_of")
    readonly_fields = ("review",)
    inlines = [CertificationDocumentInline]
