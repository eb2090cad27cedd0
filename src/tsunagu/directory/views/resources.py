"""Resource pages: detail, registration and editing (with the weekly slots and dated
sessions of its schedule) and the 「確認済み」 check; what every page shows of a
resource (:func:`resource_display`, also for the public and print pages).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.permissions import scope_for
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, safe_next, show_on_form
from tsunagu.directory import selectors, services
from tsunagu.directory.forms import (
    DatedSessionFormSet,
    ResourceForm,
    WeeklySlotFormSet,
    formset_rows,
    schedule_key,
)
from tsunagu.directory.models import Category, Location, Organisation, Resource
from tsunagu.directory.permissions import can_create_in, can_edit_record
from tsunagu.directory.services import LocationFields, ResourceFields
from tsunagu.directory.views.organisations import _organisation_breadcrumbs
from tsunagu.directory.views.shared import (
    _editable_organisations,
    _same_scope,
    organisation_url,
    resource_url,
)


def _category_path(category: Category) -> list[Category]:
    chain = [category]
    seen = {category.pk}
    while chain[0].parent_id and chain[0].parent_id not in seen:
        parent = Category.objects.get(pk=chain[0].parent_id)
        seen.add(parent.pk)
        chain.insert(0, parent)
    return chain


def _resource_breadcrumbs(resource: Resource, user: Any) -> list[tuple[str, str]]:
    crumbs = _organisation_breadcrumbs(resource.provider, user)
    crumbs.append((resource.provider.name, organisation_url(resource.provider)))
    return crumbs


def resource_display(resource: Resource) -> dict[str, Any]:
    """What the detail, public and print pages show about a resource's schedule and place."""
    today = timezone.localdate()
    sessions = list(resource.sessions.all())
    return {
        "weekly_slots": list(resource.weekly_slots.all()),
        "upcoming_sessions": [s for s in sessions if s.date >= today],
        "past_sessions": [s for s in sessions if s.date < today],
        "locations": list(resource.locations.all()),
        "eligibility": list(resource.eligibility.all()),
        "daily_life_areas": list(resource.daily_life_areas.all()),
        "districts": list(resource.districts.all()),
        "category_path": _category_path(resource.category),
        "phone": resource.contact_phone or resource.provider.phone,
    }


@login_required
def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "directory/resource_detail.html",
        {
            "resource": resource,
            "breadcrumbs": _resource_breadcrumbs(resource, request.user),
            "can_edit": can_edit_record(request.user, resource),
            **resource_display(resource),
        },
    )


def _providers_for(user: Any, municipality: Any, prefecture: Any) -> QuerySet[Organisation]:
    return _editable_organisations(user, municipality, prefecture).order_by("name_kana", "name")


def _locations_for(municipality: Any, prefecture: Any) -> QuerySet[Location]:
    return _same_scope(Location.objects.all(), municipality, prefecture).order_by("name")


def _schedule_formsets(request: HttpRequest, resource: Resource | None) -> tuple[Any, Any]:
    slots, sessions = _schedule_formsets_initial(resource) if resource is not None else ([], [])
    data = request.POST if request.method == "POST" else None
    return (
        WeeklySlotFormSet(data, initial=slots, prefix="slots"),
        DatedSessionFormSet(data, initial=sessions, prefix="sessions"),
    )


def _resource_form_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "directory/resource_form.html", context)


def _save_resource(
    *,
    form: ResourceForm,
    slot_formset: Any,
    session_formset: Any,
    actor: Any,
    resource: Resource | None,
) -> Resource:
    """Create or update in one transaction, with a new location if one was typed."""
    data = form.service_data()
    slots, sessions = formset_rows(slot_formset), formset_rows(session_formset)
    with transaction.atomic():
        new_location = form.new_location_data()
        if new_location is not None:
            location = services.location_create(
                fields=LocationFields(**{**new_location, "organisation": data["provider"]}),
                actor=actor,
            )
            data["locations"] = [*data.get("locations", []), location]
        if resource is None:
            if slots:
                data["weekly_slots"] = slots
            if sessions:
                data["sessions"] = sessions
            return services.resource_create(fields=ResourceFields(**data), actor=actor)
        old_slots, old_sessions = _schedule_formsets_initial(resource)
        if schedule_key(slots) != schedule_key(old_slots):
            data["weekly_slots"] = slots
        if schedule_key(sessions) != schedule_key(old_sessions):
            data["sessions"] = sessions
        return services.resource_update(
            resource=resource, fields=ResourceFields(**data), actor=actor
        )


def _schedule_formsets_initial(resource: Resource) -> tuple[list[dict], list[dict]]:
    return (
        [
            {
                "weekday": s.weekday,
                "week_of_month": s.week_of_month,
                "opens_at": s.opens_at,
                "closes_at": s.closes_at,
            }
            for s in resource.weekly_slots.all()
        ],
        [
            {"date": s.date, "opens_at": s.opens_at, "closes_at": s.closes_at, "note": s.note}
            for s in resource.sessions.all()
        ],
    )


def _handle_resource_form(
    request: HttpRequest,
    form: ResourceForm,
    slot_formset: Any,
    session_formset: Any,
    resource: Resource | None,
) -> Resource | None:
    if request.method != "POST":
        return None
    valid = form.is_valid()
    schedule_valid = slot_formset.is_valid() and session_formset.is_valid()
    if valid and not schedule_valid:
        form.add_error(
            None, _("日程の入力内容を確認してください（下の「日程」欄に表示しています）。")
        )
    if not (valid and schedule_valid):
        return None
    try:
        return _save_resource(
            form=form,
            slot_formset=slot_formset,
            session_formset=session_formset,
            actor=request.user,
            resource=resource,
        )
    except (ValidationError, TsunaguError) as error:
        show_on_form(form, error)
        return None


@login_required
def resource_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    provider_pk = int_param(request.GET.get("provider"))
    if provider_pk is None:
        return _provider_choice(request)
    provider = selectors.organisation_get_for_user(user=user, pk=provider_pk)
    municipality, prefecture = provider.municipality, provider.prefecture
    if not can_create_in(user, municipality=municipality, prefecture=prefecture, provider=provider):
        raise PermissionDenied()
    form = ResourceForm(
        request.POST or None,
        instance=Resource(provider=provider, municipality=municipality, prefecture=prefecture),
        providers=_providers_for(user, municipality, prefecture),
        municipalities=[municipality] if municipality else [],
        locations=_locations_for(municipality, prefecture),
        initial={"provider": provider},
    )
    slot_formset, session_formset = _schedule_formsets(request, None)
    resource = _handle_resource_form(request, form, slot_formset, session_formset, None)
    if resource is not None:
        messages.success(request, _("地域資源を登録しました。"))
        return redirect(resource_url(resource))
    return _resource_form_page(
        request,
        form=form,
        slot_formset=slot_formset,
        session_formset=session_formset,
        title=_("地域資源の登録"),
        cancel_url=organisation_url(provider),
        provider=provider,
    )


def _provider_choice(request: HttpRequest) -> HttpResponse:
    """Resources are added under a provider: pick one first (or come from its page)."""
    user = request.user
    scope = scope_for(user)
    providers = selectors.organisation_list_visible_to(user=user)
    if not scope.is_system_admin:
        from django.db.models import Q

        providers = providers.filter(
            Q(municipality__in=scope.editable_municipality_ids)
            | Q(municipality__isnull=True, prefecture__in=scope.editable_prefecture_ids)
            | Q(pk__in=scope.organisation_ids)
        )
    providers = providers.order_by("municipality", "name_kana", "name")
    if not providers.exists():
        raise PermissionDenied()
    return render(request, "directory/provider_choice.html", {"providers": providers})


@login_required
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    resource = selectors.resource_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, resource):
        raise PermissionDenied()
    municipality, prefecture = resource.municipality, resource.prefecture
    fresh = Resource.objects.get(pk=resource.pk)
    providers = _providers_for(user, municipality, prefecture) | Organisation.objects.filter(
        pk=resource.provider_id
    )
    form = ResourceForm(
        request.POST or None,
        instance=fresh,
        providers=providers.distinct(),
        municipalities=[municipality] if municipality else [],
        locations=_locations_for(municipality, prefecture),
    )
    slot_formset, session_formset = _schedule_formsets(request, resource)
    saved = _handle_resource_form(request, form, slot_formset, session_formset, resource)
    if saved is not None:
        messages.success(request, _("保存しました。"))
        return redirect(resource_url(resource))
    return _resource_form_page(
        request,
        form=form,
        slot_formset=slot_formset,
        session_formset=session_formset,
        title=_("地域資源の編集"),
        cancel_url=resource_url(resource),
        resource=resource,
        history_url=reverse("directory:resource_history", args=[resource.pk]),
    )


@login_required
@require_POST
def resource_verify(request: HttpRequest, pk: int) -> HttpResponse:
    resource = selectors.resource_get_for_user(user=request.user, pk=pk)
    services.resource_verify(resource=resource, actor=request.user)
    messages.success(request, _("「%(name)s」を確認済みにしました。") % {"name": resource.name})
    return redirect(safe_next(request, resource_url(resource)))
