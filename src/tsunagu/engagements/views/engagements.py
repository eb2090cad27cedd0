"""Engagement pages: list, create, detail, edit, status, history and advisors."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import (
    can_view,
    municipalities_creatable_to,
    municipalities_visible_to,
    scope_for,
)
from tsunagu.core.errors import NotFound, PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.history import history_entries
from tsunagu.core.http import int_param, raise_if_access
from tsunagu.engagements import permissions, reminders, selectors, services
from tsunagu.engagements.commands import EngagementFields
from tsunagu.engagements.forms import (
    AdvisorForm,
    EngagementCreateForm,
    EngagementFilterForm,
    EngagementForm,
    StatusForm,
)
from tsunagu.engagements.models import EngagementAdvisor, Roadmap
from tsunagu.engagements.views.common import (
    PER_PAGE,
    detail_url,
    form_page,
    form_saved,
    record_page,
)

# --- engagement list, detail, create, edit -------------------------------------------------


@login_required
def engagement_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = EngagementFilterForm(request.GET or None, municipalities=municipalities)
    data = form.valid_data()
    engagements = selectors.engagement_list_filtered(
        user=user,
        fiscal_year=data.get("fiscal_year"),
        status=data.get("status") or "",
        theme=data.get("theme") or "",
        municipality=data.get("municipality"),
    )
    page = Paginator(engagements, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagements/engagement_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": municipalities_creatable_to(user).exists(),
            "is_prefecture_staff": bool(scope_for(user).editable_prefecture_ids)
            or scope_for(user).is_system_admin,
        },
    )


@login_required
def engagement_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_creatable_to(user)
    if not municipalities.exists():
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("program")):
        initial["program"] = int_param(request.GET.get("program"))
    form = EngagementCreateForm(
        request.POST or None, municipalities=municipalities, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            engagement = services.engagement_create(
                program=data["program"],
                municipality=data["municipality"],
                fields=fields_from(EngagementFields, data),
                actor=user,
            )
        except (TsunaguError, ValidationError) as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("伴走的支援を登録しました。"))
            return redirect(detail_url(engagement))
    return form_page(
        request,
        {
            "form": form,
            "title": _("伴走的支援を登録"),
            "lead": _("応募した段階で登録し、採択・訪問・フォローアップと記録を重ねていきます。"),
            "cancel_url": reverse("engagements:list"),
        },
    )


@login_required
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    today = timezone.localdate()
    roadmaps = [
        (roadmap, selectors.roadmap_timeline(roadmap, today))
        for roadmap in Roadmap.objects.filter(engagement=engagement).prefetch_related(
            "milestones__owner_organisation"
        )
    ]
    due = reminders.follow_up_due_on(engagement, today)
    return render(
        request,
        "engagements/engagement_detail.html",
        {
            "engagement": engagement,
            "visits": sorted(engagement.visits.all(), key=lambda v: v.number),
            "insights": engagement.insights.all(),
            "contacts": engagement.contacts.all(),
            "follow_ups": engagement.follow_ups.all(),
            "status_changes": engagement.status_changes.all(),
            "matrix": selectors.breadth_matrix(engagement),
            "roadmaps": roadmaps,
            "today": today,
            "last_contact": selectors.last_contact_on(engagement),
            "next_due": due,
            "due_overdue": due is not None and due <= today,
            "allowed": services.allowed_transitions(engagement),
            "can_edit": permissions.can_edit_engagement(user, engagement),
            "can_change_status": permissions.can_change_status(user, engagement),
            "can_record": permissions.can_record_visit(user, engagement),
            "can_follow_up": permissions.can_record_follow_up(user, engagement),
            "is_advisor": permissions.is_advisor_of(user, engagement),
            # Linked bodies/issues/organisations open only for those who see the municipality.
            "links_open": can_view(user, engagement),
        },
    )


@login_required
def engagement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_engagement(user, engagement):
        raise PermissionDenied()
    form = EngagementForm(request.POST or None, engagement=engagement, user=user)
    if form_saved(
        request,
        form,
        _("伴走的支援を更新しました。"),
        lambda: services.engagement_update(
            engagement=engagement,
            fields=fields_from(EngagementFields, form.cleaned_data),
            actor=user,
        ),
    ):
        return redirect(detail_url(engagement))
    return form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("伴走的支援を編集"),
            "cancel_url": detail_url(engagement),
        },
    )


@login_required
def engagement_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_change_status(user, engagement):
        raise PermissionDenied()
    allowed = services.allowed_transitions(engagement)
    form = StatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.engagement_transition(
                engagement=engagement,
                to=data["to"],
                reason=data.get("reason") or "",
                at=data.get("at"),
                actor=user,
            )
        except TsunaguError as error:
            raise_if_access(error)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("状態を変更しました。"))
            return redirect(detail_url(engagement, "status"))
    return form_page(
        request,
        {
            "form": form,
            "engagement": engagement,
            "title": _("状態を変更"),
            "lead": _("今の状態: %(status)s") % {"status": engagement.get_status_display()},
            "cancel_url": detail_url(engagement, "status"),
        },
    )


@login_required
def engagement_history(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "engagements/history.html",
        {"engagement": engagement, "entries": history_entries(engagement, user=request.user)},
    )


# --- advisors ------------------------------------------------------------------------------


@login_required
def advisor_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_edit_engagement(user, engagement):
        raise PermissionDenied()
    form = AdvisorForm(request.POST or None, engagement=engagement, user=user)
    return record_page(
        request,
        engagement,
        form,
        save=lambda: services.advisor_add(engagement=engagement, actor=user, **form.cleaned_data),
        saved_message=_("アドバイザーを追加しました。"),
        title=_("アドバイザーを追加"),
        anchor="advisors",
    )


@login_required
@require_POST
def advisor_remove(request: HttpRequest, pk: int) -> HttpResponse:
    advisor = EngagementAdvisor.objects.select_related("engagement__municipality").filter(pk=pk)
    found = advisor.first()
    if found is None or not permissions.can_view_engagement(request.user, found.engagement):
        raise NotFound()
    services.advisor_remove(advisor=found, actor=request.user)
    messages.success(request, _("アドバイザーを外しました。"))
    return redirect(detail_url(found.engagement, "advisors"))
