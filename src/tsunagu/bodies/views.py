"""Pages of consultative bodies, meetings, action items and certification (signed-in users).

Thin on purpose: parse the request, call a selector (NotFound → 404 for other
municipalities) or a service (PermissionDenied → 403; TsunaguError → a form error), render.
Files (minutes attachments, application documents) are served only through views that check
the user may see the meeting or application; MEDIA_ROOT is never exposed.
"""

from __future__ import annotations

import mimetypes
import os
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import can_edit, municipalities_editable_to, scope_for
from tsunagu.areas.models import Municipality
from tsunagu.bodies import extensions, selectors, services
from tsunagu.bodies.balance import composition_balance
from tsunagu.bodies.certification import evaluate_requirements
from tsunagu.bodies.forms import (
    ActionItemForm,
    ActionItemStatusForm,
    AttendanceForm,
    BodyFilterForm,
    BodyForm,
    CertificationApplyForm,
    CertificationDecisionForm,
    CertificationReviewForm,
    CertificationRulesForm,
    DecisionForm,
    FacilitatorForm,
    FileUploadForm,
    MeetingForm,
    MeetingSeriesForm,
    MemberEndForm,
    MemberForm,
    MinutesForm,
)
from tsunagu.bodies.ics import meetings_to_ics
from tsunagu.bodies.models import (
    ActionItemStatus,
    BodyKind,
    CertificationApplication,
    CertificationRules,
    CertificationStatus,
    ConsultativeBody,
    Meeting,
    MeetingStatus,
)
from tsunagu.bodies.rotation import suggest_facilitators
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.history import history_entries
from tsunagu.core.http import history_page, int_param, safe_next, show_on_form
from tsunagu.core.sorting import natural_order, natural_sorted, naturally_ordered
from tsunagu.directory import selectors as directory_selectors

PAST_MEETINGS_SHOWN = 12
UPCOMING_MEETINGS_SHOWN = 12
FEED_SALT = "tsunagu.bodies.meetings-feed"
# Served inline (shown in the browser); everything else is downloaded, so an uploaded
# HTML or SVG file can never run in the site's origin.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


# --- helpers ---------------------------------------------------------------------------


def _require_edit(user: Any, obj: Any) -> None:
    if not can_edit(user, obj):
        raise PermissionDenied()


def _organisations(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.organisation_list_visible_to(user=user).filter(
        municipality=municipality
    )


def _people(user: Any, municipality: Any) -> QuerySet[Any]:
    return directory_selectors.person_list_visible_to(user=user).filter(municipality=municipality)


def _issues(user: Any, municipality: Any) -> QuerySet[Any]:
    return extensions.action_item_issues(user=user, municipality=municipality)


def _editable_municipalities(user: Any) -> QuerySet[Municipality]:
    return municipalities_editable_to(user)


def _chosen_municipality(request: HttpRequest) -> Municipality | None:
    """The municipality a new record belongs to: ?municipality=, or the only editable one.

    ``None`` means the user must choose; PermissionDenied when the user edits none.
    """
    editable = _editable_municipalities(request.user)
    chosen = int_param(request.GET.get("municipality") or request.POST.get("municipality"))
    if chosen is not None:
        municipality = editable.filter(pk=chosen).first()
        if municipality is None:
            raise PermissionDenied()
        return municipality
    count = editable.count()
    if count == 0:
        raise PermissionDenied()
    if count == 1:
        return editable.get()
    return None


def _municipality_choice(request: HttpRequest, title: str) -> HttpResponse:
    return render(
        request,
        "bodies/municipality_choice.html",
        {
            "title": title,
            "municipalities": _editable_municipalities(request.user),
            "path": request.path,
        },
    )


def body_url(body: ConsultativeBody, anchor: str = "") -> str:
    url = reverse("bodies:detail", args=[body.pk])
    return f"{url}#{anchor}" if anchor else url


def meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("bodies:meeting_detail", args=[meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def application_url(application: CertificationApplication) -> str:
    return reverse("bodies:certification_detail", args=[application.pk])


def _descendant_ids(body: ConsultativeBody) -> set[int]:
    found: set[int] = set()
    frontier = {body.pk}
    while frontier:
        frontier = (
            set(
                ConsultativeBody.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            - found
        )
        found |= frontier
    return found


# --- bodies ----------------------------------------------------------------------------


def _area_choices(bodies: QuerySet[ConsultativeBody]) -> list[Any]:
    """Grouped <select> choices: per municipality the whole municipality, its areas, districts."""
    groups: list[Any] = []
    municipalities = Municipality.objects.filter(
        pk__in=bodies.order_by().values("municipality")
    ).prefetch_related("daily_life_areas", "districts")
    for municipality in municipalities:
        options = [(f"municipality:{municipality.pk}", _("%(name)s 全体") % {"name": municipality})]
        options += [
            (f"daily_life_area:{a.pk}", _("圏域: %(name)s") % {"name": a.name})
            for a in natural_sorted(municipality.daily_life_areas.all())
        ]
        options += [
            (f"district:{d.pk}", _("地区: %(name)s") % {"name": d.name})
            for d in natural_sorted(municipality.districts.all())
        ]
        groups.append((municipality.name, options))
    return groups


def _filter_by_area(bodies: QuerySet[ConsultativeBody], area: str) -> QuerySet[ConsultativeBody]:
    kind, _sep, raw = area.partition(":")
    pk = int_param(raw)
    if pk is None:
        return bodies
    if kind == "municipality":
        return bodies.filter(municipality_id=pk)
    if kind == "daily_life_area":
        return bodies.filter(Q(daily_life_area_id=pk) | Q(district__daily_life_area_id=pk))
    if kind == "district":
        return bodies.filter(Q(district_id=pk) | Q(daily_life_area__districts__id=pk)).distinct()
    return bodies


@login_required
def body_list(request: HttpRequest) -> HttpResponse:
    visible = selectors.body_list_visible_to(user=request.user)
    form = BodyFilterForm(request.GET or None, area_choices=_area_choices(visible))
    filters = form.valid_data()
    bodies = visible
    if filters["q"]:
        bodies = bodies.filter(name__icontains=filters["q"])
    if filters["kind"]:
        bodies = bodies.filter(kind=filters["kind"])
    if filters["status"]:
        bodies = bodies.filter(status=filters["status"])
    if filters["area"]:
        bodies = _filter_by_area(bodies, filters["area"])
    bodies = selectors.with_schedule_summary(bodies).order_by(
        "municipality__code", "kind", natural_order(bodies), "pk"
    )
    scope = scope_for(request.user)
    return render(
        request,
        "bodies/body_list.html",
        {
            "form": form,
            "bodies": bodies,
            "filtered": any(filters.values()),
            "can_create": scope.is_system_admin or bool(scope.editable_municipality_ids),
            "overdue_count": selectors.overdue_action_items(user=request.user).count(),
        },
    )


def _body_form(request: HttpRequest, municipality: Any, **kwargs: Any) -> BodyForm:
    user = request.user
    parents = selectors.body_list_visible_to(user=user).filter(municipality=municipality)
    instance = kwargs.get("instance")
    if instance is not None and instance.pk:
        parents = parents.exclude(pk__in={instance.pk, *_descendant_ids(instance)})
    return BodyForm(
        request.POST or None,
        municipality=municipality,
        organisations=_organisations(user, municipality),
        people=_people(user, municipality),
        parents=parents.order_by("kind", "name"),
        **kwargs,
    )


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    municipality = _chosen_municipality(request)
    if municipality is None:
        return _municipality_choice(request, _("会議体の登録"))
    initial: dict[str, Any] = {}
    parent = selectors.body_list_visible_to(user=request.user).filter(
        pk=int_param(request.GET.get("parent")), municipality=municipality
    )
    if parent.exists():
        initial = {"parent": parent.get().pk, "kind": BodyKind.CARE_SUBCOMMITTEE}
    form = _body_form(
        request,
        municipality,
        instance=ConsultativeBody(municipality=municipality),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            body = services.body_create(
                municipality=municipality, data=form.service_data(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("会議体を登録しました。続けて構成員を追加できます。"))
            return redirect(body_url(body))
    return render(
        request,
        "bodies/body_form.html",
        {
            "form": form,
            "title": _("会議体の登録"),
            "municipality": municipality,
            "cancel_url": reverse("bodies:list"),
        },
    )


@login_required
def body_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    body = selectors.body_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    now = timezone.now()
    members = list(selectors.members_of(body).order_by("ends_on", "role", "id"))
    current = [m for m in members if m.is_current]
    past = sorted(
        (m for m in members if m.ends_on is not None and m.ends_on < today),
        key=lambda m: m.ends_on,
        reverse=True,
    )
    future = [m for m in members if m.starts_on is not None and m.starts_on > today]
    meetings = body.meetings.select_related("facilitator")
    upcoming = list(
        meetings.filter(starts_at__gte=now).order_by("starts_at")[:UPCOMING_MEETINGS_SHOWN]
    )
    past_meetings = list(
        meetings.filter(starts_at__lt=now).order_by("-starts_at")[:PAST_MEETINGS_SHOWN]
    )
    open_items = (
        body.action_items.filter(status__in=selectors.OPEN_ACTION_STATUSES)
        .select_related("owner_person", "owner_organisation", "meeting", "regional_issue")
        .annotate(
            overdue=Case(
                When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue", "due_on", "id")
    )
    children = naturally_ordered(selectors.body_list_visible_to(user=user).filter(parent=body))
    certifications = body.certifications.select_related("rules").order_by("-created_at")
    editable = can_edit(user, body)
    return render(
        request,
        "bodies/body_detail.html",
        {
            "body": body,
            "current_members": current,
            "past_members": past,
            "future_members": future,
            "children": children,
            "upcoming_meetings": upcoming,
            "past_meetings": past_meetings,
            "meeting_count": meetings.count(),
            "open_items": open_items,
            "sections": extensions.sections(
                extensions.BODY_DETAIL_SECTIONS, user=user, body=body, can_edit=editable
            ),
            "balance": composition_balance(body),
            "certifications": certifications,
            "current_certificate": next(
                (c for c in certifications if c.status == CertificationStatus.CERTIFIED), None
            ),
            "can_edit": editable,
            "can_apply": editable and body.is_resident_led,
            "status_choices": ActionItemStatus.choices,
            "today": today,
        },
    )


@login_required
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, body)
    # Bind to a fresh copy: a failed save must not leak typed values into ``body``.
    fresh = ConsultativeBody.objects.get(pk=body.pk)
    form = _body_form(request, body.municipality, instance=fresh)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, data=form.service_data(), actor=request.user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(body_url(body))
    return render(
        request,
        "bodies/body_form.html",
        {
            "form": form,
            "title": _("会議体の編集"),
            "body": body,
            "municipality": body.municipality,
            "cancel_url": body_url(body),
            "history_url": reverse("bodies:history", args=[body.pk]),
        },
    )


@login_required
def body_history(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    return history_page(request, body, body_url(body))


@login_required
def body_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "bodies/body_meetings.html",
        {
            "body": body,
            "meetings": body.meetings.select_related("facilitator").order_by("-starts_at"),
            "can_edit": can_edit(request.user, body),
        },
    )


# --- members ---------------------------------------------------------------------------


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    body = selectors.body_get_for_user(user=user, pk=pk)
    _require_edit(user, body)
    form = MemberForm(
        request.POST or None,
        municipality=body.municipality,
        organisations=_organisations(user, body.municipality),
        people=_people(user, body.municipality),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(body=body, actor=user, **form.cleaned_data)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("構成員を追加しました。"))
            if request.POST.get("another"):
                return redirect(reverse("bodies:member_add", args=[body.pk]))
            return redirect(body_url(body, "members"))
    return render(
        request,
        "bodies/member_form.html",
        {"form": form, "body": body, "title": _("構成員の追加"), "adding": True},
    )


@login_required
def member_end(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    body = member.body
    _require_edit(request.user, body)
    form = MemberEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_end(
                member=member, ends_on=form.cleaned_data["ends_on"], actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("任期の終了を記録しました。"))
            return redirect(body_url(body, "members"))
    return render(
        request,
        "bodies/member_form.html",
        {"form": form, "body": body, "member": member, "title": _("任期の終了")},
    )


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.member_get_for_user(user=request.user, pk=pk)
    return history_page(request, member, body_url(member.body, "members"))


# --- meetings --------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, body)
    last = body.meetings.exclude(place="").order_by("-starts_at").first()
    form = MeetingForm(request.POST or None, initial={"place": last.place if last else ""})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_schedule(
                body=body, data=form.service_data(), actor=request.user
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
    _require_edit(request.user, body)
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
    _require_edit(request.user, meeting)
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(meeting))
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, data=form.service_data(), actor=request.user)
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
    _require_edit(request.user, meeting)
    form = FacilitatorForm(request.POST, people=_people(request.user, meeting.body.municipality))
    if not form.is_valid():
        messages.error(request, _("進行役に選べない人です。"))
        return redirect(meeting_url(meeting, "facilitator"))
    person = form.cleaned_data["person"]
    services.meeting_update(meeting=meeting, data={"facilitator": person}, actor=request.user)
    if person is None:
        messages.success(request, _("進行役の指定を外しました。"))
    else:
        messages.success(request, _("進行役を%(name)sさんにしました。") % {"name": person})
    return redirect(meeting_url(meeting, "facilitator"))


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
    _require_edit(request.user, meeting)
    rows, guests = _attendance_rows(meeting)
    form = AttendanceForm(
        request.POST or None,
        rows=rows,
        guests=guests,
        organisations=_organisations(request.user, meeting.body.municipality),
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
    _require_edit(request.user, meeting)
    form = MinutesForm(
        request.POST or None,
        initial={
            "minutes": meeting.minutes,
            "next_meeting_note": meeting.next_meeting_note,
            "mark_held": meeting.status == MeetingStatus.HELD,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = {
            "minutes": form.cleaned_data["minutes"],
            "next_meeting_note": form.cleaned_data["next_meeting_note"],
        }
        if form.cleaned_data["mark_held"]:
            data["status"] = MeetingStatus.HELD
        try:
            services.meeting_update(meeting=meeting, data=data, actor=request.user)
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


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, meeting)
    form = FileUploadForm(request.POST or None, request.FILES or None)
    back = safe_next(request, meeting_url(meeting, "attachments"))
    if request.method == "POST" and form.is_valid():
        try:
            attachment = services.meeting_attachment_add(
                meeting=meeting,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                actor=request.user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, _("「%(title)s」を添付しました。") % {"title": attachment.title}
            )
            return redirect(back)
    return render(
        request,
        "bodies/upload_form.html",
        {
            "form": form,
            "title": _("議事録へのファイルの添付"),
            "subject": meeting,
            "action": reverse("bodies:attachment_add", args=[meeting.pk]),
            "cancel_url": back,
        },
        status=400 if form.errors else 200,
    )


def _serve(file_field: Any, title: str) -> FileResponse:
    name = os.path.basename(file_field.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    extension = os.path.splitext(name)[1]
    download_name = title if title.lower().endswith(extension.lower()) else f"{title}{extension}"
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as missing:
        raise Http404(_("ファイルが見つかりません。")) from missing
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type not in INLINE_TYPES,
        filename=download_name,
    )
    response["Cache-Control"] = "private, max-age=0, no-store"
    if content_type != "application/pdf":
        # Browsers' PDF viewers do not run in a sandbox; everything else may.
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """An attachment of minutes: only for users who may see the meeting (else 404, also when
    signed out, so that the address of a file says nothing)."""
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    return _serve(attachment.file, attachment.title)


@login_required
@require_POST
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, meeting)
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


# --- action items ----------------------------------------------------------------------


def _action_form(request: HttpRequest, body: ConsultativeBody, **kwargs: Any) -> ActionItemForm:
    user = request.user
    return ActionItemForm(
        request.POST or None,
        organisations=_organisations(user, body.municipality),
        people=_people(user, body.municipality),
        issues=_issues(user, body.municipality),
        **kwargs,
    )


@login_required
def action_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, body)
    meeting = None
    meeting_pk = int_param(request.GET.get("meeting") or request.POST.get("meeting"))
    if meeting_pk is not None:
        meeting = body.meetings.filter(pk=meeting_pk).first()
        if meeting is None:
            raise NotFound()
    form = _action_form(request, body, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_create(
                body=body, data={**form.service_data(), "meeting": meeting}, actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("宿題を登録しました。"))
            if request.POST.get("another"):
                return redirect(request.get_full_path())
            return redirect(
                meeting_url(meeting, "actions") if meeting else body_url(body, "actions")
            )
    return render(
        request,
        "bodies/action_item_form.html",
        {
            "form": form,
            "body": body,
            "meeting": meeting,
            "title": _("宿題の登録"),
            "cancel_url": meeting_url(meeting) if meeting else body_url(body),
            "adding": True,
        },
    )


@login_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, item)
    form = _action_form(
        request,
        item.body,
        initial={
            "title": item.title,
            "owner_person": item.owner_person_id,
            "owner_organisation": item.owner_organisation_id,
            "due_on": item.due_on,
            "status": item.status,
            "regional_issue": item.regional_issue_id,
        },
    )
    back = meeting_url(item.meeting, "actions") if item.meeting else body_url(item.body, "actions")
    if request.method == "POST" and form.is_valid():
        try:
            services.action_item_update(item=item, data=form.service_data(), actor=request.user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("宿題を更新しました。"))
            return redirect(safe_next(request, back))
    return render(
        request,
        "bodies/action_item_form.html",
        {
            "form": form,
            "body": item.body,
            "meeting": item.meeting,
            "item": item,
            "title": _("宿題の編集"),
            "cancel_url": back,
            "history_url": reverse("bodies:action_item_history", args=[item.pk]),
        },
    )


@login_required
@require_POST
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, item)
    form = ActionItemStatusForm(request.POST)
    back = safe_next(request, reverse("bodies:action_items"))
    if not form.is_valid():
        messages.error(request, _("状態を選んでください。"))
        return redirect(back)
    try:
        services.action_item_update(
            item=item, data={"status": form.cleaned_data["status"]}, actor=request.user
        )
    except TsunaguError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("「%(title)s」を「%(status)s」にしました。")
            % {"title": item.title, "status": item.get_status_display()},
        )
    return redirect(back)


@login_required
def action_item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get_for_user(user=request.user, pk=pk)
    back = meeting_url(item.meeting, "actions") if item.meeting else body_url(item.body, "actions")
    return history_page(request, item, back)


@login_required
def action_item_list(request: HttpRequest) -> HttpResponse:
    """宿題 across the user's bodies, overdue first."""
    user = request.user
    today = timezone.localdate()
    items = selectors.action_item_list_visible_to(user=user)
    show = request.GET.get("show", "open")
    if show == "open":
        items = items.filter(status__in=selectors.OPEN_ACTION_STATUSES)
    elif show == "done":
        items = items.filter(status__in=(ActionItemStatus.DONE, ActionItemStatus.DROPPED))
    else:
        show = "all"
    body_pk = int_param(request.GET.get("body"))
    if body_pk is not None:
        items = items.filter(body_id=body_pk)
    mine = request.GET.get("mine") == "1" and selectors._has_person(user)
    if mine:
        items = items.filter(owner_person=user.person)
    items = items.annotate(
        overdue=Case(
            When(status__in=selectors.OPEN_ACTION_STATUSES, due_on__lt=today, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        undated=Case(
            When(due_on__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
    ).order_by("overdue", "undated", "due_on", "body__name", "id")
    return render(
        request,
        "bodies/action_item_list.html",
        {
            "items": items,
            "show": show,
            "mine": mine,
            "has_person": selectors._has_person(user),
            "body_filter": body_pk,
            "bodies": selectors.body_list_visible_to(user=user)
            .filter(action_items__isnull=False)
            .distinct()
            .order_by("name"),
            "overdue_count": selectors.overdue_action_items(user=user).count(),
            "status_choices": ActionItemStatus.choices,
            "editable_ids": set(_editable_municipalities(user).values_list("pk", flat=True)),
            "today": today,
        },
    )


# --- calendar feeds (.ics) -------------------------------------------------------------


def _ics_response(meetings: Any, name: str, filename: str) -> HttpResponse:
    from icalendar import Calendar

    localised = []
    for meeting in meetings:
        # Asia/Tokyo times (with a VTIMEZONE) rather than UTC, so calendars show 14:00 as typed.
        meeting.starts_at = timezone.localtime(meeting.starts_at)
        if meeting.ends_at:
            meeting.ends_at = timezone.localtime(meeting.ends_at)
        localised.append(meeting)
    calendar = Calendar.from_ical(meetings_to_ics(localised, name=name))
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=0"
    return response


@login_required
def body_ics(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    meetings = body.meetings.select_related("body").order_by("starts_at")
    return _ics_response(meetings, body.name, f"body-{body.pk}.ics")


def _my_meetings(user: Any) -> QuerySet[Meeting]:
    return selectors.meetings_of_user(user=user).select_related("body").order_by("starts_at")


@login_required
def my_ics(request: HttpRequest) -> HttpResponse:
    return _ics_response(_my_meetings(request.user), _("わたしの会議"), "my-meetings.ics")


def _feed_key(user: Any) -> str:
    # Changes with the password: changing it revokes every secret address handed out.
    return salted_hmac(FEED_SALT, f"{user.pk}:{user.password}").hexdigest()[:16]


def feed_token(user: Any) -> str:
    return signing.dumps([user.pk, _feed_key(user)], salt=FEED_SALT)


def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    """The personal feed for calendar apps that cannot sign in: a signed, secret address."""
    try:
        user_pk, key = signing.loads(token, salt=FEED_SALT)
    except (signing.BadSignature, ValueError, TypeError) as bad:
        raise Http404() from bad
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first()
    if user is None or not constant_time_compare(key, _feed_key(user)):
        raise Http404()
    return _ics_response(_my_meetings(user), _("わたしの会議"), "my-meetings.ics")


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "bodies/calendar.html",
        {
            "has_person": selectors._has_person(user),
            "my_url": request.build_absolute_uri(reverse("bodies:my_ics")),
            "secret_url": request.build_absolute_uri(
                reverse("bodies:feed_ics", args=[feed_token(user)])
            ),
            "meetings": _my_meetings(user).filter(starts_at__gte=timezone.now())[:10],
            "bodies": naturally_ordered(selectors.bodies_of_user(user=user)),
        },
    )


# --- certification ---------------------------------------------------------------------


@login_required
def certification_index(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = scope_for(user)
    applications = selectors.certification_list_visible_to(user=user).order_by(
        Case(
            When(status=CertificationStatus.SUBMITTED, then=Value(0)),
            When(status=CertificationStatus.RETURNED, then=Value(1)),
            When(status=CertificationStatus.CERTIFIED, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        "-submitted_on",
    )
    return render(
        request,
        "bodies/certification_index.html",
        {
            "rules": selectors.certification_rules_visible_to(user=user),
            "applications": applications,
            "can_create_rules": scope.is_system_admin or bool(scope.editable_municipality_ids),
            "resident_led": selectors.body_list_visible_to(user=user)
            .filter(is_resident_led=True)
            .order_by("municipality__code", "name"),
        },
    )


@login_required
def rules_create(request: HttpRequest) -> HttpResponse:
    municipality = _chosen_municipality(request)
    if municipality is None:
        return _municipality_choice(request, _("認定要領の登録"))
    form = CertificationRulesForm(
        request.POST or None, instance=CertificationRules(municipality=municipality)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_rules_save(
                municipality=municipality, data=form.service_data(), actor=request.user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("認定要領を登録しました。"))
            return redirect(reverse("bodies:certification_index"))
    return render(
        request,
        "bodies/rules_form.html",
        {"form": form, "title": _("認定要領の登録"), "municipality": municipality},
    )


@login_required
def rules_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rules = selectors.certification_rules_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, rules)
    fresh = CertificationRules.objects.get(pk=rules.pk)
    form = CertificationRulesForm(request.POST or None, instance=fresh)
    if request.method == "POST" and form.is_valid():
        try:
            services.certification_rules_save(
                municipality=rules.municipality,
                data=form.service_data(),
                actor=request.user,
                rules=rules,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("認定要領を保存しました。"))
            return redirect(reverse("bodies:certification_index"))
    return render(
        request,
        "bodies/rules_form.html",
        {
            "form": form,
            "title": _("認定要領の編集"),
            "municipality": rules.municipality,
            "rules": rules,
            "history_url": reverse("bodies:rules_history", args=[rules.pk]),
        },
    )


@login_required
def rules_history(request: HttpRequest, pk: int) -> HttpResponse:
    rules = selectors.certification_rules_get_for_user(user=request.user, pk=pk)
    return history_page(request, rules, reverse("bodies:certification_index"))


@login_required
def certification_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    body = selectors.body_get_for_user(user=user, pk=pk)
    _require_edit(user, body)
    renewal_of = None
    renewal_pk = int_param(request.GET.get("renewal_of") or request.POST.get("renewal_of"))
    if renewal_pk is not None:
        renewal_of = body.certifications.filter(
            pk=renewal_pk, status__in=(CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED)
        ).first()
        if renewal_of is None:
            raise NotFound()
    rules = selectors.certification_rules_visible_to(user=user).filter(
        municipality=body.municipality
    )
    form = CertificationApplyForm(
        request.POST or None,
        request.FILES or None,
        rules=rules,
        initial={"rules": rules.first().pk if rules.exists() else None},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                application = services.certification_apply(
                    body=body,
                    rules=data["rules"],
                    actor=user,
                    submitted_on=data["submitted_on"],
                    renewal_of=renewal_of,
                )
                if data.get("document_file"):
                    services.certification_document_add(
                        application=application,
                        title=data["document_title"],
                        file=data["document_file"],
                        actor=user,
                    )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(
                request,
                _("更新を申請しました。") if renewal_of else _("認定を申請しました。"),
            )
            return redirect(application_url(application))
    preview = evaluate_requirements(body, rules.first()) if rules.exists() else {}
    return render(
        request,
        "bodies/certification_apply.html",
        {
            "form": form,
            "body": body,
            "renewal_of": renewal_of,
            "has_rules": rules.exists(),
            "preview": preview,
        },
    )


def _manual_items(application: CertificationApplication) -> list[tuple[str, dict[str, Any]]]:
    """Requirements needing a reviewer's judgement, with what was recorded so far."""
    current = evaluate_requirements(application.body, application.rules)
    items = []
    for code, item in current.items():
        if item["result"] == "manual":
            stored = application.review.get(code, {})
            items.append(
                (code, {**item, **{k: stored[k] for k in ("result", "detail") if k in stored}})
            )
    return items


def _application_page(
    request: HttpRequest, application: CertificationApplication, **forms: Any
) -> HttpResponse:
    user = request.user
    editable = can_edit(user, application)
    submitted = application.status == CertificationStatus.SUBMITTED
    review_form = forms.get("review_form")
    if review_form is None and editable and submitted:
        review_form = CertificationReviewForm(manual=_manual_items(application))
    decision_form = forms.get("decision_form")
    if decision_form is None and editable and submitted:
        decision_form = CertificationDecisionForm()
    unmet = [item["label"] for item in application.review.values() if item.get("result") != "pass"]
    context = {
        "application": application,
        "body": application.body,
        "rules": application.rules,
        "review_items": list(application.review.items()),
        "unmet": unmet,
        "documents": application.documents.all(),
        "can_edit": editable,
        "review_form": review_form,
        "decision_form": decision_form,
        "upload_form": forms.get("upload_form") or FileUploadForm(),
        "entries": history_entries(application, user=request.user),
        "renewals": application.renewals.all(),
        "can_renew": editable
        and application.status in (CertificationStatus.CERTIFIED, CertificationStatus.EXPIRED),
    }
    status = 400 if any(f.errors for f in forms.values() if f is not None) else 200
    return render(request, "bodies/certification_detail.html", context, status=status)


@login_required
def certification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return _application_page(request, application)


@login_required
@require_POST
def certification_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, application)
    form = CertificationReviewForm(request.POST, manual=_manual_items(application))
    if form.is_valid():
        try:
            services.certification_review(
                application=application, actor=request.user, **form.service_kwargs()
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("審査結果を記録しました。"))
            return redirect(application_url(application))
    application.refresh_from_db()
    return _application_page(request, application, review_form=form)


@login_required
@require_POST
def certification_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, application)
    form = CertificationDecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        certify = data["decision"] == CertificationDecisionForm.CERTIFY
        try:
            services.certification_decide(
                application=application,
                certify=certify,
                actor=request.user,
                reason=data["reason"],
                decided_on=data["decided_on"],
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            if certify:
                messages.success(
                    request,
                    _("認定しました（認定番号 %(number)s）。")
                    % {"number": application.certificate_number},
                )
            else:
                messages.success(request, _("差し戻しました。理由は申請者に伝えてください。"))
            return redirect(application_url(application))
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return _application_page(request, application, decision_form=form)


@login_required
@require_POST
def certification_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, application)
    try:
        services.certification_resubmit(application=application, actor=request.user)
    except TsunaguError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("再申請しました。"))
    return redirect(application_url(application))


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    _require_edit(request.user, application)
    form = FileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.certification_document_add(
                application=application,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                actor=request.user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(
                request, _("「%(title)s」を追加しました。") % {"title": document.title}
            )
            return redirect(application_url(application))
    return render(
        request,
        "bodies/upload_form.html",
        {
            "form": form,
            "title": _("申請書類の追加"),
            "subject": application,
            "action": reverse("bodies:document_add", args=[application.pk]),
            "cancel_url": application_url(application),
        },
        status=400 if form.errors else 200,
    )


def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """An application document: only for users who may see the application (else 404)."""
    document = selectors.certification_document_get_for_user(user=request.user, pk=pk)
    return _serve(document.file, document.title)


@login_required
def certification_history(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.certification_get_for_user(user=request.user, pk=pk)
    return history_page(request, application, application_url(application))


# --- public ----------------------------------------------------------------------------


def certified_public(request: HttpRequest) -> HttpResponse:
    """The public list of certified resident-led bodies (no login)."""
    certified = list(selectors.certified_bodies_public())
    groups: dict[Any, list[CertificationApplication]] = {}
    for application in certified:
        groups.setdefault(application.body.municipality, []).append(application)
    return render(
        request,
        "bodies/certified_public.html",
        {"groups": list(groups.items()), "today": timezone.localdate()},
    )
