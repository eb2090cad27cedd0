"""Support programs (支援事業) and the selection of municipalities into them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import municipalities_creatable_to, scope_for
from tsunagu.areas.models import Municipality, Prefecture
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import raise_if_access
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.commands import ProgramFields
from tsunagu.engagements.forms import ProgramForm, SelectionForm
from tsunagu.engagements.models import ProgramOwnerKind
from tsunagu.engagements.views.common import form_page

# --- programs ------------------------------------------------------------------------------


def _program_prefectures(user: Any) -> QuerySet[Prefecture]:
    scope = scope_for(user)
    if scope.is_system_admin:
        return Prefecture.objects.order_by("code")
    return Prefecture.objects.filter(pk__in=scope.editable_prefecture_ids).order_by("code")


@login_required
def program_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    programs = selectors.program_list(user=user)
    return render(
        request,
        "engagements/program_list.html",
        {
            "programs": programs,
            "can_create": scope_for(user).is_system_admin or _program_prefectures(user).exists(),
        },
    )


@login_required
def program_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk)
    engagements = selectors.engagement_list_filtered(user=user, program=program)
    return render(
        request,
        "engagements/program_detail.html",
        {
            "program": program,
            "selections": selectors.selections_visible_to(user=user, program=program),
            "engagements": engagements,
            "can_edit": permissions.can_edit_program(user, program),
            "can_select": permissions.can_edit_program(user, program)
            or municipalities_creatable_to(user).exists(),
        },
    )


@login_required
def program_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk) if pk else None
    prefectures = _program_prefectures(user)
    if program is not None and not permissions.can_edit_program(user, program):
        raise PermissionDenied()
    if program is None and not (scope_for(user).is_system_admin or prefectures.exists()):
        raise PermissionDenied()
    initial = {}
    if program is None and not scope_for(user).is_system_admin:
        initial = {
            "owner_kind": ProgramOwnerKind.PREFECTURE,
            "owner_prefecture": prefectures.first(),
        }
    form = ProgramForm(
        request.POST or None, instance=program, prefectures=prefectures, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        fields = fields_from(ProgramFields, form.cleaned_data)
        try:
            if program is None:
                program = services.program_create(fields=fields, actor=user)
            else:
                services.program_update(program=program, fields=fields, actor=user)
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("支援事業を保存しました。"))
            return redirect("engagements:program", pk=program.pk)
    return form_page(
        request,
        {
            "form": form,
            "title": _("支援事業を登録") if program is None else _("支援事業を編集"),
            "cancel_url": reverse("engagements:programs"),
        },
    )


@login_required
def selection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    program = selectors.program_get(user=user, pk=pk)
    if permissions.can_edit_program(user, program):
        municipalities = (
            Municipality.objects.filter(prefecture=program.owner_prefecture).order_by("code")
            if program.owner_prefecture_id
            else Municipality.objects.order_by("code")
        )
    else:
        municipalities = municipalities_creatable_to(user)
    if not municipalities.exists():
        raise PermissionDenied()
    form = SelectionForm(request.POST or None, program=program, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.selection_record(
                program=program,
                municipality=data["municipality"],
                fiscal_year=data["fiscal_year"],
                status=data["status"],
                note=data.get("note") or "",
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("応募・採択を記録しました。"))
            return redirect("engagements:program", pk=program.pk)
    return form_page(
        request,
        {
            "form": form,
            "title": _("応募・採択を記録"),
            "lead": program.name,
            "cancel_url": reverse("engagements:program", args=[program.pk]),
        },
    )
