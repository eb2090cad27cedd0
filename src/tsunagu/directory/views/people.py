"""Contact pages: a person's detail, registration and editing, and their roles
(adding one, ending one at a 人事異動).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.http import safe_next, show_on_form
from tsunagu.core.sections import sections
from tsunagu.directory import selectors, services
from tsunagu.directory.extensions import PERSON_DETAIL_SECTIONS
from tsunagu.directory.forms import PersonCreateForm, PersonForm, RoleEndForm, RoleForm
from tsunagu.directory.models import Person, PersonRole
from tsunagu.directory.permissions import can_create_in, can_edit_record, can_see_contact_details
from tsunagu.directory.views.shared import _editable_organisations, organisation_url, person_url


def _visible_roles(user: Any, person: Person) -> list[PersonRole]:
    visible = selectors.organisation_list_visible_to(user=user)
    return list(
        person.roles.filter(organisation__in=visible)
        .select_related("organisation")
        .order_by(F("ends_on").desc(nulls_first=True), "-starts_on")
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    roles = [
        {"role": role, "can_end": role.ends_on is None and can_edit_record(user, role.organisation)}
        for role in _visible_roles(user, person)
    ]
    first = next((r["role"].organisation for r in roles if r["role"].is_current), None)
    crumbs = [(_("地域資源"), reverse("directory:search"))]
    if first is not None:
        crumbs.append((first.name, organisation_url(first)))
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "breadcrumbs": crumbs,
            "roles": roles,
            "show_contact": can_see_contact_details(user, person),
            "can_edit": can_edit_record(user, person),
            "sections": sections(
                PERSON_DETAIL_SECTIONS,
                user=user,
                person=person,
                can_edit=can_edit_record(user, person),
            ),
            "can_add_role": _editable_organisations(
                user, person.municipality, person.prefecture
            ).exists(),
        },
    )


@login_required
def person_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A new contact with a role in the organisation (``pk``)."""
    user = request.user
    organisation = selectors.organisation_get_for_user(user=user, pk=pk)
    if not (
        can_edit_record(user, organisation)
        or can_create_in(
            user, municipality=organisation.municipality, prefecture=organisation.prefecture
        )
    ):
        raise PermissionDenied()
    form = PersonCreateForm(
        request.POST or None,
        instance=Person(municipality=organisation.municipality, prefecture=organisation.prefecture),
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                fields=form.service_fields(),
                actor=user,
                organisation=organisation,
                title=form.cleaned_data["title"],
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("連絡先を登録しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/person_form.html",
        {
            "form": form,
            "title": _("連絡先の登録"),
            "organisation": organisation,
            "cancel_url": organisation_url(organisation),
        },
    )


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    if not can_edit_record(user, person):
        raise PermissionDenied()
    fresh = Person.objects.get(pk=person.pk)
    form = PersonForm(
        request.POST or None, instance=fresh, show_contact=can_see_contact_details(user, person)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(person=person, fields=form.service_fields(), actor=user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/person_form.html",
        {
            "form": form,
            "title": _("連絡先の編集"),
            "person": person,
            "cancel_url": person_url(person),
            "history_url": reverse("directory:person_history", args=[person.pk]),
        },
    )


@login_required
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get_for_user(user=user, pk=pk)
    organisations = _editable_organisations(user, person.municipality, person.prefecture)
    if not organisations.exists():
        raise PermissionDenied()
    form = RoleForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_add(person=person, actor=user, **form.cleaned_data)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("役割を追加しました。"))
            return redirect(person_url(person))
    return render(
        request,
        "directory/role_form.html",
        {
            "form": form,
            "person": person,
            "title": _("役割の追加"),
            "cancel_url": person_url(person),
        },
    )


@login_required
def role_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a role (人事異動): the row stays, with its end date, for the record."""
    user = request.user
    role = PersonRole.objects.select_related("person", "organisation").filter(pk=pk).first()
    if role is None:
        raise NotFound()
    person = selectors.person_get_for_user(user=user, pk=role.person_id)
    selectors.organisation_get_for_user(user=user, pk=role.organisation_id)
    if not can_edit_record(user, role.organisation):
        raise PermissionDenied()
    form = RoleEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.person_role_end(role=role, ends_on=form.cleaned_data["ends_on"], actor=user)
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("役割を終了しました。"))
            return redirect(safe_next(request, person_url(person)))
    return render(
        request,
        "directory/role_form.html",
        {
            "form": form,
            "person": person,
            "role": role,
            "title": _("役割の終了"),
            "cancel_url": person_url(person),
        },
    )
