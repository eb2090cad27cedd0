"""Meetings: schedule (one or a series), page, edit, facilitator, attachments, decisions,
print and history."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import can_edit
from tsunagu.bodies import extensions, selectors, services
from tsunagu.bodies.forms import (
    DecisionForm,
    FacilitatorForm,
    FileUploadForm,
    MeetingForm,
    MeetingSeriesForm,
)
from tsunagu.bodies.models import ActionItemStatus, Meeting
from tsunagu.bodies.rotation import suggest_facilitators
from tsunagu.bodies.services import MeetingFields
from tsunagu.bodies.views.common import (
    body_url,
    file_upload_page,
    meeting_url,
    people_choices,
    require_edit,
    serve_file,
)
from tsunagu.core.errors import TsunaguError
from tsunagu.core.http import history_page, safe_next, show_on_form

# --- meetings --------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, body)
    last = body.meetings.exclude(place="").order_by("-starts_at").first()
    form = MeetingForm(request.POST or None, initial={"place": last.place if last else ""})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                body=body, fields=form.service_fields(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("会議を登録しました。"))
            return redirect(meeting_url(meeting))
    return render(
        request,
        "bodies/meeting_form.html",
        {"form": form, "body": body, "title": _("会議の登録"), "cancel_url": body_url(body)},
    )


@login_required
def meeting_series(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, body)
    form = MeetingSeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings = services.meeting_schedule_series(
                body=body, actor=request.user, **form.service_kwargs()
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, _("定例の会議を%(n)d回分登録しました。") % {"n": len(meetings)}
            )
            return redirect(body_url(body, "meetings"))
    return render(
        request,
        "bodies/meeting_form.html",
        {
            "form": form,
            "body": body,
            "title": _("定例の会議をまとめて登録"),
            "cancel_url": body_url(body),
            "series": True,
        },
    )


def _attendance_lists(meeting: Meeting) -> dict[str, list[Any]]:
    rows = list(meeting.attendance.all())
    return {
        "present": [a for a in rows if a.present and not a.guest_name],
        "absent": [a for a in rows if not a.present],
        "guests": [a for a in rows if a.present and a.guest_name],
    }


def _meeting_page(request: HttpRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    user = request.user
    body = meeting.body
    editable = can_edit(user, meeting)
    suggestions = suggest_facilitators(body) if editable else []
    context = {
        "meeting": meeting,
        "body": body,
        "can_edit": editable,
        "attendance": _attendance_lists(meeting),
        "has_attendance": bool(meeting.attendance.all()),
        "decisions": meeting.decisions.all(),
        "action_items": meeting.action_items.all(),
        "attachments": meeting.attachments.all(),
        "suggestions": suggestions,
        "sections": extensions.sections(
            extensions.MEETING_DETAIL_SECTIONS, user=user, meeting=meeting, can_edit=editable
        ),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "upload_form": forms.get("upload_form") or FileUploadForm(),
        "status_choices": ActionItemStatus.choices,
        "today": timezone.localdate(),
    }
    status = 400 if any(f.errors for f in forms.values() if f is not None) else 200
    return render(request, "bodies/meeting_detail.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return _meeting_page(request, meeting)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting, fields=form.service_fields(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(meeting_url(meeting))
    return render(
        request,
        "bodies/meeting_form.html",
        {
            "form": form,
            "body": meeting.body,
            "meeting": meeting,
            "title": _("会議の編集"),
            "cancel_url": meeting_url(meeting),
            "history_url": reverse("bodies:meeting_history", args=[meeting.pk]),
        },
    )


@login_required
@require_POST
def meeting_facilitator(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    form = FacilitatorForm(
        request.POST, people=people_choices(request.user, meeting.body.municipality)
    )
    if not form.is_valid():
        messages.error(request, _("進行役に選べない人です。"))
        return redirect(meeting_url(meeting, "facilitator"))
    person = form.cleaned_data["person"]
    services.meeting_update(
        meeting=meeting, fields=MeetingFields(facilitator=person), actor=request.user
    )
    if person is None:
        messages.success(request, _("進行役の指定を外しました。"))
    else:
        messages.success(request, _("進行役を%(name)sさんにしました。") % {"name": person})
    return redirect(meeting_url(meeting, "facilitator"))


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    return file_upload_page(
        request,
        subject=meeting,
        add=lambda title, file: services.meeting_attachment_add(
            meeting=meeting, title=title, file=file, actor=request.user
        ),
        title=_("議事録へのファイルの添付"),
        action=reverse("bodies:attachment_add", args=[meeting.pk]),
        back=safe_next(request, meeting_url(meeting, "attachments")),
        added_message=_("「%(title)s」を添付しました。"),
    )


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of minutes: only for users who may see the meeting (else 404, also when
    signed out, so that the address of a file says nothing)."""
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    return serve_file(attachment.file, attachment.title)


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, meeting)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(
                meeting=meeting, text=form.cleaned_data["text"], actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("決定事項を追加しました。"))
            return redirect(meeting_url(meeting, "decisions"))
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return _meeting_page(request, meeting, decision_form=form)


@login_required
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "bodies/meeting_print.html",
        {
            "meeting": meeting,
            "body": meeting.body,
            "attendance": _attendance_lists(meeting),
            "decisions": meeting.decisions.all(),
            "action_items": meeting.action_items.all(),
        },
    )


@login_required
def meeting_history(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    return history_page(request, meeting, meeting_url(meeting))
