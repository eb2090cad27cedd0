"""Consultative bodies (協議体): list, create, detail, edit, history and their meetings."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import can_edit, scope_for
from tsunagu.areas.models import Municipality
from tsunagu.bodies import extensions, selectors, services
from tsunagu.bodies.balance import composition_balance
from tsunagu.bodies.forms import BodyFilterForm, BodyForm
from tsunagu.bodies.models import ActionItemStatus, BodyKind, CertificationStatus, ConsultativeBody
from tsunagu.bodies.views.common import (
    PAST_MEETINGS_SHOWN,
    UPCOMING_MEETINGS_SHOWN,
    body_url,
    chosen_municipality,
    municipality_choice_page,
    organisation_choices,
    people_choices,
    require_edit,
)
from tsunagu.core.errors import TsunaguError
from tsunagu.core.http import history_page, int_param, show_on_form
from tsunagu.core.sorting import natural_order, natural_sorted, naturally_ordered

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
    instance = kwargs.get("instance")
    parents = selectors.parent_choices(
        user=user,
        municipality=municipality,
        body=instance if instance is not None and instance.pk else None,
    )
    return BodyForm(
        request.POST or None,
        municipality=municipality,
        organisations=organisation_choices(user, municipality),
        people=people_choices(user, municipality),
        parents=parents.order_by("kind", "name"),
        **kwargs,
    )


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    municipality = chosen_municipality(request)
    if municipality is None:
        return municipality_choice_page(request, _("会議体の登録"))
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
                municipality=municipality, fields=form.service_fields(), actor=request.user
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
    require_edit(request.user, body)
    # Bind to a fresh copy: a failed save must not leak typed values into ``body``.
    fresh = ConsultativeBody.objects.get(pk=body.pk)
    form = _body_form(request, body.municipality, instance=fresh)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(body=body, fields=form.service_fields(), actor=request.user)
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
