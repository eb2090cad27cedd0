"""Action items (宿題): create, edit, status, history and the list across bodies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.bodies import selectors, services
from tsunagu.bodies.forms import ActionItemForm, ActionItemStatusForm
from tsunagu.bodies.models import ActionItemStatus, ConsultativeBody
from tsunagu.bodies.services import ActionItemFields
from tsunagu.bodies.views.common import (
    body_url,
    editable_municipalities,
    issue_choices,
    meeting_url,
    organisation_choices,
    people_choices,
    require_edit,
)
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import history_page, int_param, safe_next, show_on_form

# --- action items ----------------------------------------------------------------------


def _action_form(request: HttpRequest, body: ConsultativeBody, **kwargs: Any) -> ActionItemForm:
    user = request.user
    return ActionItemForm(
        request.POST or None,
        organisations=organisation_choices(user, body.municipality),
        people=people_choices(user, body.municipality),
        issues=issue_choices(user, body.municipality),
        **kwargs,
    )


@login_required
def action_item_create(request: HttpRequest, pk: int) -> HttpResponse:
    body = selectors.body_get_for_user(user=request.user, pk=pk)
    require_edit(request.user, body)
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
                body=body, fields=form.service_fields(meeting=meeting), actor=request.user
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
    require_edit(request.user, item)
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
            services.action_item_update(item=item, fields=form.service_fields(), actor=request.user)
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
    require_edit(request.user, item)
    form = ActionItemStatusForm(request.POST)
    back = safe_next(request, reverse("bodies:action_items"))
    if not form.is_valid():
        messages.error(request, _("状態を選んでください。"))
        return redirect(back)
    try:
        services.action_item_update(
            item=item,
            fields=ActionItemFields(status=form.cleaned_data["status"]),
            actor=request.user,
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
            "editable_ids": set(editable_municipalities(user).values_list("pk", flat=True)),
            "today": today,
        },
    )
