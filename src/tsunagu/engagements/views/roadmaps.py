"""Roadmaps (ロードマップ) and their milestones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import municipalities_editable_to
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import int_param, raise_if_access
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.commands import MilestoneFields, RoadmapFields
from tsunagu.engagements.forms import MilestoneForm, RoadmapForm
from tsunagu.engagements.models import Roadmap
from tsunagu.engagements.views.common import detail_url, form_page, form_saved

# --- roadmaps ------------------------------------------------------------------------------


@login_required
def roadmap_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    roadmaps = selectors.roadmap_list_visible_to(user=user).order_by(
        "municipality__code", "first_fiscal_year"
    )
    return render(
        request,
        "engagements/roadmap_list.html",
        {
            "roadmaps": roadmaps,
            "overdue": selectors.overdue_milestones(user=user),
            "can_create": municipalities_editable_to(user).exists(),
        },
    )


@login_required
def roadmap_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    engagement = None
    if int_param(request.GET.get("engagement")):
        engagement = selectors.engagement_get_for_user(
            user=user,
            pk=int_param(request.GET.get("engagement")),  # type: ignore[arg-type]
        )
        municipality = engagement.municipality
    else:
        municipality = (
            municipalities_editable_to(user)
            .filter(pk=int_param(request.GET.get("municipality")))
            .first()
            or municipalities_editable_to(user).first()
        )
    if municipality is None or not permissions.can_edit_roadmap(user, municipality):
        raise PermissionDenied()
    initial: dict[str, Any] = {}
    if engagement is not None:
        initial = {
            "engagement": engagement.pk,
            "first_fiscal_year": engagement.fiscal_year,
            "last_fiscal_year": engagement.fiscal_year + 3,
            "title": _("%(theme)sのロードマップ") % {"theme": engagement.theme},
        }
    form = RoadmapForm(request.POST or None, municipality=municipality, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            roadmap = services.roadmap_create(
                municipality=municipality,
                fields=fields_from(RoadmapFields, form.cleaned_data),
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("ロードマップを作成しました。"))
            return redirect("engagements:roadmap", pk=roadmap.pk)
    return form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("ロードマップを作成"),
            "lead": municipality.name,
            "cancel_url": detail_url(engagement) if engagement else reverse("engagements:roadmaps"),
        },
    )


@login_required
def roadmap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    columns = selectors.roadmap_timeline(roadmap, today)
    return render(
        request,
        "engagements/roadmap_detail.html",
        {
            "roadmap": roadmap,
            "columns": columns,
            "overdue_count": sum(1 for c in columns for _m, late in c.milestones if late),
            "today": today,
            "can_edit": permissions.can_edit_roadmap(user, roadmap),
        },
    )


@login_required
def roadmap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    form = RoadmapForm(request.POST or None, instance=roadmap, municipality=roadmap.municipality)
    if form_saved(
        request,
        form,
        _("ロードマップを更新しました。"),
        lambda: services.roadmap_update(
            roadmap=roadmap, fields=fields_from(RoadmapFields, form.cleaned_data), actor=user
        ),
    ):
        return redirect("engagements:roadmap", pk=roadmap.pk)
    return form_page(
        request,
        {
            "form": form,
            "title": _("ロードマップを編集"),
            "cancel_url": reverse("engagements:roadmap", args=[roadmap.pk]),
        },
    )


@login_required
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    roadmap = selectors.roadmap_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("fiscal_year")):
        initial["fiscal_year"] = int_param(request.GET.get("fiscal_year"))
    form = MilestoneForm(request.POST or None, roadmap=roadmap, user=user, initial=initial)
    return _milestone_save(request, form, roadmap, None)


@login_required
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    milestone = selectors.milestone_get_for_user(user=user, pk=pk)
    roadmap = milestone.roadmap
    if not permissions.can_edit_roadmap(user, roadmap):
        raise PermissionDenied()
    form = MilestoneForm(request.POST or None, instance=milestone, roadmap=roadmap, user=user)
    return _milestone_save(request, form, roadmap, milestone)


def _milestone_save(
    request: HttpRequest, form: MilestoneForm, roadmap: Roadmap, milestone: Any
) -> HttpResponse:
    user = request.user
    if request.method == "POST" and form.is_valid():
        fields = fields_from(MilestoneFields, form.cleaned_data)
        try:
            if milestone is None:
                services.milestone_add(roadmap=roadmap, fields=fields, actor=user)
            else:
                services.milestone_update(milestone=milestone, fields=fields, actor=user)
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("ロードマップの項目を保存しました。"))
            return redirect("engagements:roadmap", pk=roadmap.pk)
    return form_page(
        request,
        {
            "form": form,
            "title": _("項目を追加") if milestone is None else _("項目を編集"),
            "lead": roadmap.title,
            "cancel_url": reverse("engagements:roadmap", args=[roadmap.pk]),
        },
    )
