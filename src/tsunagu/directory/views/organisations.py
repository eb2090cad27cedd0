"""Organisation pages: detail, registration, editing and the 「確認済み」 check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.permissions import can_view
from tsunagu.areas import selectors as area_selectors
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, safe_next, show_on_form
from tsunagu.core.sections import sections
from tsunagu.directory import selectors, services
from tsunagu.directory.extensions import ORGANISATION_DETAIL_SECTIONS
from tsunagu.directory.forms import OrganisationForm
from tsunagu.directory.models import Organisation
from tsunagu.directory.permissions import (
    can_create_in,
    can_edit_record,
    can_see_contact_details,
    can_view_record,
)
from tsunagu.directory.views.shared import _creatable_scopes, _same_scope, organisation_url


def _organisation_breadcrumbs(organisation: Organisation, user: Any) -> list[tuple[str, str]]:
    crumbs = [(_("地域資源"), reverse("directory:search"))]
    if organisation.municipality_id:
        municipality = organisation.municipality
        # Another municipality's public record: its area page is not the user's (404);
        # the public directory shows what that municipality publishes.
        url = (
            reverse("directory:area", args=["municipality", municipality.pk])
            if can_view(user, municipality)
            else f"{reverse('public:search')}?municipality={municipality.pk}"
        )
        crumbs.append((_("%(name)sの地域資源") % {"name": municipality.name}, url))
    chain = []
    parent = organisation.parent
    # A parent the user may not see would be a dead link (and leak its name): stop there.
    while parent is not None and len(chain) < 5 and can_view_record(user, parent):
        chain.insert(0, (parent.name, organisation_url(parent)))
        parent = parent.parent
    return crumbs + chain


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    visible = selectors.organisation_list_visible_to(user=user)
    roles = list(selectors.people_of_organisation(user=user, organisation=organisation))
    people = [
        {
            "role": role,
            "person": role.person,
            "show_contact": can_see_contact_details(user, role.person),
        }
        for role in roles
    ]
    resources = (
        selectors.resource_list_visible_to(user=user)
        .filter(provider=organisation)
        .order_by("category__sort_order", "name")
    )
    can_edit = can_edit_record(user, organisation)
    return render(
        request,
        "directory/organisation_detail.html",
        {
            "organisation": organisation,
            "breadcrumbs": _organisation_breadcrumbs(organisation, user),
            "children": visible.filter(parent=organisation).order_by("name_kana", "name"),
            "daily_life_areas": organisation.daily_life_areas.all(),
            "districts": organisation.districts.all(),
            "strength_tags": organisation.strength_tags.all(),
            "problem_tags": organisation.problem_tags.all(),
            "resources": resources,
            "current_people": [p for p in people if p["role"].is_current],
            "past_people": [p for p in people if not p["role"].is_current],
            "can_edit": can_edit,
            "sections": sections(
                ORGANISATION_DETAIL_SECTIONS,
                user=user,
                organisation=organisation,
                can_edit=can_edit,
            ),
            "can_add_child": can_create_in(
                user, municipality=organisation.municipality, prefecture=organisation.prefecture
            ),
            "can_add_resource": can_create_in(
                user,
                municipality=organisation.municipality,
                prefecture=organisation.prefecture,
                provider=organisation,
            ),
        },
    )


def _organisation_form_page(
    request: HttpRequest, form: OrganisationForm, title: str, cancel_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "directory/organisation_form.html",
        {"form": form, "title": title, "cancel_url": cancel_url, **extra},
    )


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    parent = None
    municipality: Municipality | None = None
    prefecture: Prefecture | None = None
    if int_param(request.GET.get("parent")):
        parent = selectors.organisation_get_for_user(user=user, pk=int_param(request.GET["parent"]))
        municipality, prefecture = parent.municipality, parent.prefecture
    elif int_param(request.GET.get("municipality")):
        municipality = area_selectors.area_get_for_user(
            user=user, kind="municipality", pk=int_param(request.GET["municipality"])
        )
    elif int_param(request.GET.get("prefecture")):
        prefecture = area_selectors.area_get_for_user(
            user=user, kind="prefecture", pk=int_param(request.GET["prefecture"])
        )
    else:
        scopes = _creatable_scopes(user)
        if not scopes:
            raise PermissionDenied()
        if len(scopes) > 1:
            return render(request, "directory/scope_choice.html", {"scopes": scopes})
        kind, area = scopes[0]
        if kind == "municipality":
            municipality = area
        else:
            prefecture = area
    if municipality is not None:
        prefecture = None
    if not can_create_in(user, municipality=municipality, prefecture=prefecture):
        raise PermissionDenied()
    parents = _same_scope(
        selectors.organisation_list_visible_to(user=user), municipality, prefecture
    )
    form = OrganisationForm(
        request.POST or None,
        instance=Organisation(municipality=municipality, prefecture=prefecture),
        parents=parents,
        municipality=municipality,
        initial={"parent": parent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                fields=form.service_fields(municipality=municipality, prefecture=prefecture),
                actor=user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("団体を登録しました。"))
            return redirect(organisation_url(organisation))
    return _organisation_form_page(
        request,
        form,
        _("団体・組織の登録"),
        organisation_url(parent) if parent else reverse("directory:search"),
        scope=municipality or prefecture,
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, organisation):
        raise PermissionDenied()
    # Bind to a fresh copy: a failed save must not leak typed values into ``organisation``,
    # and the service compares the stored values with the new ones.
    fresh = Organisation.objects.get(pk=organisation.pk)
    parents = _same_scope(
        selectors.organisation_list_visible_to(user=user),
        organisation.municipality,
        organisation.prefecture,
    ).exclude(pk=organisation.pk)
    if organisation.parent_id:
        # Keep the current parent choosable even when it sits outside this scope.
        current = selectors.organisation_list_visible_to(user=user).filter(
            pk=organisation.parent_id
        )
        parents = (parents | current).distinct()
    form = OrganisationForm(
        request.POST or None,
        instance=fresh,
        parents=parents,
        municipality=organisation.municipality,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation, fields=form.service_fields(), actor=user
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(organisation_url(organisation))
    return _organisation_form_page(
        request,
        form,
        _("団体・組織の編集"),
        organisation_url(organisation),
        organisation=organisation,
        scope=organisation.municipality or organisation.prefecture,
        history_url=reverse("directory:organisation_history", args=[organisation.pk]),
    )


@login_required
@require_POST
def organisation_verify(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_user(user=request.user, pk=pk)
    services.organisation_verify(organisation=organisation, actor=request.user)
    messages.success(request, _("「%(name)s」を確認済みにしました。") % {"name": organisation.name})
    return redirect(safe_next(request, organisation_url(organisation)))
