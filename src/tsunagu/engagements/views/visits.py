"""An engagement's visits, insights, contacts, follow-ups and breadth, and the insight search."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.scope import municipalities_visible_to
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.fields import fields_from
from tsunagu.core.forms import apply_validation_error
from tsunagu.core.http import int_param, raise_if_access
from tsunagu.engagements import permissions, selectors, services
from tsunagu.engagements.commands import VisitFields
from tsunagu.engagements.forms import (
    ContactForm,
    FollowUpForm,
    InsightForm,
    InsightSearchForm,
    VisitForm,
    directory_organisations,
    participant_formset,
)
from tsunagu.engagements.models import Engagement
from tsunagu.engagements.views.common import (
    MORE_ROWS,
    PARTICIPANT_ROWS,
    PER_PAGE,
    detail_url,
    record_page,
)

# --- visits --------------------------------------------------------------------------------


def _visit_page(request: HttpRequest, engagement: Engagement, visit: Any = None) -> HttpResponse:
    user = request.user
    organisations = directory_organisations(user, engagement.municipality)
    existing = [
        {
            "kind": p.kind,
            "department": p.department,
            "organisation": p.organisation_id,
            "organisation_name": p.organisation_name,
            "organisation_type": p.organisation_type,
            "person_name": p.person_name,
            "headcount": p.headcount,
        }
        for p in (visit.participants.all() if visit is not None else [])
    ]
    extra = PARTICIPANT_ROWS if not existing else 2
    adding = request.method == "POST" and "add_rows" in request.POST
    if adding:
        extra = 0
    post = request.POST if request.method == "POST" else None
    if adding and post is not None:
        # Re-render with more blank rows, keeping everything typed so far.
        post = post.copy()
        total = (int_param(post.get("participants-TOTAL_FORMS")) or 0) + MORE_ROWS
        post["participants-TOTAL_FORMS"] = str(total)
    formset = participant_formset(extra)(
        post, prefix="participants", organisations=organisations, initial=existing or None
    )
    form = VisitForm(post, instance=visit, engagement=engagement)
    if request.method == "POST" and not adding:
        if form.is_valid() and formset.is_valid():
            fields = fields_from(VisitFields, form.cleaned_data)
            try:
                if visit is None:
                    visit = services.visit_record(
                        engagement=engagement,
                        fields=fields,
                        participants=formset.rows(),
                        actor=user,
                    )
                    messages.success(request, _("訪問を記録しました。"))
                else:
                    services.visit_update(
                        visit=visit, fields=fields, participants=formset.rows(), actor=user
                    )
                    messages.success(request, _("訪問を更新しました。"))
            except (TsunaguError, ValidationError) as error:
                raise_if_access(error)
                apply_validation_error(form, error)
            else:
                return redirect(detail_url(engagement, f"visit-{visit.pk}"))
    return render(
        request,
        "engagements/visit_form.html",
        {
            "form": form,
            "formset": formset,
            "engagement": engagement,
            "visit": visit,
            "title": _("訪問を記録") if visit is None else _("訪問を編集"),
            "cancel_url": detail_url(engagement, "visits"),
        },
    )


@login_required
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    if not permissions.can_record_visit(request.user, engagement):
        raise PermissionDenied()
    return _visit_page(request, engagement)


@login_required
def visit_edit(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    if not permissions.can_record_visit(request.user, visit.engagement):
        raise PermissionDenied()
    return _visit_page(request, visit.engagement, visit)


# --- insights, contacts, follow-ups --------------------------------------------------------


@login_required
def insight_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    initial = {}
    if int_param(request.GET.get("visit")):
        initial["visit"] = int_param(request.GET.get("visit"))
    form = InsightForm(request.POST or None, engagement=engagement, user=user, initial=initial)

    def save() -> Any:
        data = form.cleaned_data
        return services.insight_add(
            engagement=engagement,
            text=data["text"],
            realised_by=data.get("realised_by") or "",
            visit=data.get("visit"),
            tags=data.get("tags") or "",
            organisations=list(data.get("organisations") or []),
            actor=user,
        )

    return record_page(
        request,
        engagement,
        form,
        save=save,
        saved_message=_("気づきを記録しました。"),
        title=_("気づきを記録"),
        lead=_("支援を通して市町村や関係者が気づいたことを、一つずつ記録します。"),
        anchor="insights",
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_visit(user, engagement):
        raise PermissionDenied()
    form = ContactForm(request.POST or None, initial={"contacted_on": timezone.localdate()})
    return record_page(
        request,
        engagement,
        form,
        save=lambda: services.contact_add(engagement=engagement, actor=user, **form.cleaned_data),
        saved_message=_("連絡を記録しました。"),
        title=_("訪問の間の連絡を記録"),
        anchor="contacts",
    )


@login_required
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    engagement = selectors.engagement_get_for_user(user=user, pk=pk)
    if not permissions.can_record_follow_up(user, engagement):
        raise PermissionDenied()
    form = FollowUpForm(request.POST or None, initial={"followed_on": timezone.localdate()})
    return record_page(
        request,
        engagement,
        form,
        save=lambda: services.follow_up_record(
            engagement=engagement, actor=user, **form.cleaned_data
        ),
        saved_message=_("フォローアップを記録しました。"),
        title=_("フォローアップを記録"),
        anchor="follow-ups",
    )


@login_required
def breadth(request: HttpRequest, pk: int) -> HttpResponse:
    engagement = selectors.engagement_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "engagements/breadth.html",
        {"engagement": engagement, "matrix": selectors.breadth_matrix(engagement)},
    )


# --- insight search ------------------------------------------------------------------------


@login_required
def insight_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    municipalities = municipalities_visible_to(user)
    form = InsightSearchForm(request.GET or None, municipalities=municipalities)
    data = form.valid_data()
    insights = selectors.insight_search(
        user=user,
        q=data.get("q") or "",
        tag=data.get("tag") or "",
        municipality=data.get("municipality"),
        fiscal_year=data.get("fiscal_year"),
        theme=data.get("theme") or "",
        realised_by=data.get("realised_by") or "",
    )
    page = Paginator(insights, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "engagements/insight_search.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "tags": selectors.insight_tag_counts(user=user),
        },
    )
