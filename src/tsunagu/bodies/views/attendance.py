"""A meeting's attendance and minutes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.bodies import selectors, services
from tsunagu.bodies.forms import AttendanceForm, FileUploadForm, MinutesForm
from tsunagu.bodies.models import Meeting, MeetingStatus
from tsunagu.bodies.services import MeetingFields
from tsunagu.bodies.views.common import meeting_url, organisation_choices, require_edit
from tsunagu.core.errors import TsunaguError
from tsunagu.core.fields import UNSET
from tsunagu.core.http import show_on_form


def _attendance_rows(meeting: Meeting) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Members seated on the meeting day (with what was recorded), then other recorded people;
    and the recorded guests."""
    day = timezone.localtime(meeting.starts_at).date()
    recorded = list(meeting.attendance.all())
    used: set[int] = set()

    def take(person_id: int | None, organisation_id: int | None) -> Any:
        for row in recorded:
            if row.pk in used or row.guest_name:
                continue
            if person_id is not None and row.person_id == person_id:
                used.add(row.pk)
                return row
            if (
                person_id is None
                and row.person_id is None
                and row.organisation_id == organisation_id
            ):
                used.add(row.pk)
                return row
        return None

    rows: list[dict[str, Any]] = []
    seen_people: set[int] = set()
    members = selectors.members_of(meeting.body).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=day),
        Q(ends_on__isnull=True) | Q(ends_on__gte=day),
    )
    for member in members.order_by("role", "id"):
        if member.person_id and member.person_id in seen_people:
            continue
        if member.person_id:
            seen_people.add(member.person_id)
        row = take(member.person_id, member.organisation_id)
        rows.append(
            {
                "key": f"m{member.pk}",
                "label": str(member.person or member.organisation),
                "member": member,
                "person": member.person,
                "organisation": (row.organisation if row else None) or member.organisation,
                "present": row.present if row else False,
            }
        )
    for row in recorded:
        if row.pk in used or row.guest_name:
            continue
        used.add(row.pk)
        rows.append(
            {
                "key": f"a{row.pk}",
                "label": str(row.person or row.organisation),
                "member": None,
                "person": row.person,
                "organisation": row.organisation,
                "present": row.present,
            }
        )
    guests = [
        {"guest_name": r.guest_name, "organisation": r.organisation_id, "note": r.note}
        for r in recorded
        if r.guest_name
    ]
    return rows, guests


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    rows, guests = _attendance_rows(meeting)
    form = AttendanceForm(
        request.POST or None,
        rows=rows,
        guests=guests,
        organisations=organisation_choices(request.user, meeting.body.municipality),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.meeting_record_attendance(
                meeting=meeting, entries=form.entries(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            present = sum(1 for row in saved if row.present)
            messages.success(request, _("出席を記録しました（出席 %(n)d）。") % {"n": present})
            return redirect(meeting_url(meeting, "attendance"))
    return render(
        request,
        "bodies/attendance_form.html",
        {"form": form, "meeting": meeting, "body": meeting.body},
    )


@login_required
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "minutes": meeting.minutes,
            "next_meeting_note": meeting.next_meeting_note,
            "mark_held": meeting.status == MeetingStatus.HELD,
        },
    )
    if request.method == "POST" and form.is_valid():
        fields = MeetingFields(
            minutes=form.cleaned_data["minutes"],
            next_meeting_note=form.cleaned_data["next_meeting_note"],
            status=MeetingStatus.HELD if form.cleaned_data["mark_held"] else UNSET,
        )
        try:
            services.meeting_update(meeting=meeting, fields=fields, actor=request.user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("議事録を保存しました。"))
            return redirect(meeting_url(meeting, "minutes"))
    return render(
        request,
        "bodies/minutes_form.html",
        {
            "form": form,
            "meeting": meeting,
            "body": meeting.body,
            "attachments": meeting.attachments.all(),
            "upload_form": FileUploadForm(),
        },
    )
